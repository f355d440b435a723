import Foundation
import LIMSStore

/// Helpers shared by the test targets.
public enum TestSupport {
    /// The package root (this file is Tests/LIMSTestSupport/TestSupport.swift).
    public static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `../shared` beside the project, when present (CI always has it).
    public static var sharedDirectory: URL? {
        let url = packageRoot.deletingLastPathComponent().appendingPathComponent("shared")
        return FileManager.default.fileExists(atPath: url.appendingPathComponent("DESIGN.md").path) ? url : nil
    }

    /// A real instrument export from `../shared/fixtures/instruments/`, or nil when shared/ is absent.
    public static func sharedInstrumentFixture(_ name: String) -> URL? {
        sharedDirectory?.appendingPathComponent("fixtures/instruments/\(name)")
    }

    /// The project's own fixtures (`Tests/Fixtures`).
    public static func fixture(_ relativePath: String) -> URL {
        packageRoot.appendingPathComponent("Tests/Fixtures/\(relativePath)")
    }

    /// A fresh empty directory, unique per call, removed when the test process finishes (see
    /// `TemporaryDirectories`; `LIMS_TEST_KEEP_TEMP=1` keeps them for a look after a failure).
    public static func temporaryDirectory(_ label: String = "lims-test") -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(label)-\(UUID().uuidString)", isDirectory: true)
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        TemporaryDirectories.shared.register(url)
        return url
    }

    /// A new migrated database in a temporary directory.
    public static func makeStore(operatorName: String = "tester") throws -> LabStore {
        let path = temporaryDirectory().appendingPathComponent("lab.sqlite").path
        return try LabStore.create(path: path, operatorName: operatorName)
    }

    /// A small lab: site DN; treatments control, miscanthus, ramie; plots C1..C3, M1..M3, R1..R3;
    /// one bulk 0-10 cm sample per plot named "<plot>-S".
    @discardableResult
    public static func seedSmallLab(_ store: LabStore) throws -> [Sample] {
        try store.addSite(Site(code: "DN", name: "Dingnan demonstration site"))
        var samples: [Sample] = []
        for (treatment, prefix) in [("control", "C"), ("miscanthus", "M"), ("ramie", "R")] {
            try store.addTreatment(Treatment(siteCode: "DN", code: treatment))
            for replicate in 1...3 {
                let plot = "\(prefix)\(replicate)"
                try store.addPlot(Plot(treatmentCode: treatment, code: plot, replicate: replicate, areaM2: 4))
                samples.append(try store.addSample(Sample(code: "\(plot)-S", plotCode: plot, type: "bulk",
                                                          depthTopCm: 0, depthBottomCm: 10)))
            }
        }
        return samples
    }

    // MARK: The lims binary

    public struct RunResult {
        public let exitCode: Int32
        public let stdout: String
        public let stderr: String
    }

    /// The built `lims` executable, next to the test bundle.
    public static var limsExecutable: URL {
        var directory = Bundle.main.bundleURL
        for _ in 0..<3 {
            let candidate = directory.appendingPathComponent("lims")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return packageRoot.appendingPathComponent(".build/debug/lims")
    }

    /// Runs `lims` with arguments, in `directory`, with an environment of our own (no $LIMS_DB leaking in).
    public static func runLIMS(_ arguments: [String], in directory: URL? = nil,
                               environment: [String: String] = [:], stdin: String? = nil) throws -> RunResult {
        let process = Process()
        process.executableURL = limsExecutable
        process.arguments = arguments
        var env = ["PATH": "/usr/bin:/bin", "USER": "tester", "HOME": NSTemporaryDirectory()]
        env.merge(environment) { $1 }
        process.environment = env
        let ownDirectory = directory == nil ? temporaryDirectory() : nil
        defer { if let ownDirectory { TemporaryDirectories.shared.remove(ownDirectory) } }
        process.currentDirectoryURL = directory ?? ownDirectory
        // Output goes to files, so a large output can never block the child on a full pipe.
        let scratch = temporaryDirectory("lims-run")
        defer { TemporaryDirectories.shared.remove(scratch) }
        let outURL = scratch.appendingPathComponent("stdout"), errURL = scratch.appendingPathComponent("stderr")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let outHandle = try FileHandle(forWritingTo: outURL), errHandle = try FileHandle(forWritingTo: errURL)
        defer { try? outHandle.close(); try? errHandle.close() }
        process.standardOutput = outHandle
        process.standardError = errHandle
        let inPipe = Pipe()
        process.standardInput = inPipe
        try process.run()
        if let stdin { inPipe.fileHandleForWriting.write(Data(stdin.utf8)) }
        try? inPipe.fileHandleForWriting.close()
        process.waitUntilExit()
        let outData = (try? Data(contentsOf: outURL)) ?? Data()
        let errData = (try? Data(contentsOf: errURL)) ?? Data()
        return RunResult(exitCode: process.terminationStatus,
                         stdout: String(decoding: outData, as: UTF8.self),
                         stderr: String(decoding: errData, as: UTF8.self))
    }
}
