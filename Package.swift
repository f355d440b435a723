// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "TailingsLIMS",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "lims", targets: ["LIMSCLI"]),
        .executable(name: "lims-bench", targets: ["LIMSBench"]),
        .library(name: "LIMSStore", targets: ["LIMSStore"]),
        .library(name: "Reports", targets: ["Reports"]),
    ],
    targets: [
        // libsqlite3 from the system (Debian: libsqlite3-dev) plus a tiny C shim
        // for what Swift cannot call directly (SQLITE_TRANSIENT, variadic db_config).
        .systemLibrary(
            name: "CSQLite",
            path: "Sources/CSQLite",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        // The SQL migrations, embedded in the binary so a copied `lims` works anywhere.
        .target(
            name: "LIMSMigrations",
            path: "Migrations",
            exclude: ["README.md"],
            resources: [
                .embedInCode("0001_initial_schema.sql"),
            ]
        ),
        .target(
            name: "LIMSStore",
            dependencies: ["CSQLite", "LIMSMigrations"]
        ),
        .target(
            name: "Reports",
            dependencies: ["LIMSStore"]
        ),
        .executableTarget(
            name: "LIMSCLI",
            dependencies: ["LIMSStore", "Reports"]
        ),
        // The benchmark: generates a synthetic lab in the instruments' real formats and times
        // the `lims` binary (run as a process, as users run it) beside `sqlite3 .import`.
        .executableTarget(
            name: "LIMSBench",
            dependencies: ["LIMSStore"],
            exclude: ["Results"]
        ),
        // Shared helpers of the test targets: temporary databases, the shared/ fixtures,
        // and running the built `lims` binary.
        .target(
            name: "LIMSTestSupport",
            dependencies: ["LIMSStore"],
            path: "Tests/LIMSTestSupport"
        ),
        .testTarget(
            name: "LIMSStoreTests",
            dependencies: ["LIMSStore", "LIMSTestSupport"]
        ),
        .testTarget(
            name: "ReportsTests",
            dependencies: ["Reports", "LIMSStore", "LIMSTestSupport"]
        ),
        .testTarget(
            name: "LIMSBenchTests",
            dependencies: ["LIMSBench", "LIMSTestSupport"]
        ),
        .testTarget(
            name: "LIMSCLITests",
            dependencies: ["LIMSCLI", "LIMSStore", "LIMSTestSupport"]
        ),
    ]
)
