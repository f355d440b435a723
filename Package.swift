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
        // libpq, PostgreSQL's client library (Debian: libpq-dev), for a lab's shared server.
        .systemLibrary(
            name: "CLibPQ",
            path: "Sources/CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),
        // zlib from the system (Debian: zlib1g-dev) for the deflated parts of .xlsx workbooks;
        // the shim wraps the inflateInit2 macro.
        .systemLibrary(
            name: "CZlib",
            path: "Sources/CZlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        // SHA-256 block compression with the CPU's SHA instructions (x86-64), used when present:
        // the audit chain hashes every row an import writes (SHA256.swift falls back to Swift).
        .target(
            name: "CSHA256",
            path: "Sources/CSHA256"
        ),
        // The SQL migrations, embedded in the binary so a copied `lims` works anywhere.
        .target(
            name: "LIMSMigrations",
            path: "Migrations",
            exclude: ["README.md", "postgresql/translate_from_sqlite.py"],
            resources: [
                .embedInCode("0001_initial_schema.sql"),
                .embedInCode("0006_leaching_seepage.sql"),
                .embedInCode("0007_import_profiles.sql"),
                .embedInCode("0008_audit_chain.sql"),
                .embedInCode("0009_internal_standards.sql"),
                .embedInCode("0010_quality_control.sql"),
                .embedInCode("0011_code_case.sql"),
                .embedInCode("postgresql/0001_initial_schema.pg.sql"),
                .embedInCode("postgresql/0006_leaching_seepage.pg.sql"),
                .embedInCode("postgresql/0007_import_profiles.pg.sql"),
                .embedInCode("postgresql/0008_audit_chain.pg.sql"),
                .embedInCode("postgresql/0009_internal_standards.pg.sql"),
                .embedInCode("postgresql/0010_quality_control.pg.sql"),
                .embedInCode("postgresql/0011_code_case.pg.sql"),
            ]
        ),
        .target(
            name: "LIMSStore",
            dependencies: ["CSQLite", "CLibPQ", "CZlib", "CSHA256", "LIMSMigrations"]
        ),
        .target(
            name: "Reports",
            dependencies: ["LIMSStore"]
        ),
        .executableTarget(
            name: "LIMSCLI",
            dependencies: ["LIMSStore", "Reports"],
            exclude: ["DemoStudy/make_demo_study.py", "DemoStudy/README.md", "DemoStudy/expected_key_numbers.json",
                      "DemoStudy/leaching/README.md", "DemoStudy/leaching/generate_demo.py",
                      "DemoStudy/leaching/expected.json"],
            // The example study of `lims demo`, embedded so an installed binary runs it anywhere.
            resources: [
                .embedInCode("DemoStudy/correlations.csv"),
                .embedInCode("DemoStudy/extractions.csv"),
                .embedInCode("DemoStudy/fractions.csv"),
                .embedInCode("DemoStudy/icpms_cacl2_extracts_masshunter.csv"),
                .embedInCode("DemoStudy/icpms_totals_masshunter.csv"),
                .embedInCode("DemoStudy/lcf.csv"),
                .embedInCode("DemoStudy/leaching-samples.csv"),
                .embedInCode("DemoStudy/plots.csv"),
                .embedInCode("DemoStudy/pois.csv"),
                .embedInCode("DemoStudy/properties.csv"),
                .embedInCode("DemoStudy/samples.csv"),
                .embedInCode("DemoStudy/sites.csv"),
                .embedInCode("DemoStudy/thin-sections.csv"),
                .embedInCode("DemoStudy/treatments.csv"),
                .embedInCode("DemoStudy/xanes.csv"),
                .embedInCode("DemoStudy/xrf-maps.csv"),
                .embedInCode("DemoStudy/xrf_majors_long.csv"),
                .embedInCode("DemoStudy/leaching/cathode.csv"),
                .embedInCode("DemoStudy/leaching/electric-log.csv"),
                .embedInCode("DemoStudy/leaching/head-readings.csv"),
                .embedInCode("DemoStudy/leaching/leachate.csv"),
                .embedInCode("DemoStudy/leaching/leaching-residuals.csv"),
                .embedInCode("DemoStudy/leaching/leaching-runs.csv"),
                .embedInCode("DemoStudy/leaching/seepage-tests.csv"),
                .embedInCode("DemoStudy/leaching/swcc.csv"),
                .embedInCode("DemoStudy/MANIFEST.txt"),
            ]
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
