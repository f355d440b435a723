import Foundation

enum BenchMain {
    static func run(_ options: BenchOptions, arguments: [String]) throws -> Int32 {
        ChildProcess.timeoutSeconds = options.timeoutSeconds
        let limsPath = locateLIMS(options.limsPath)
        if limsPath == nil && !options.generateOnly {
            throw BenchError("no lims binary found next to lims-bench; build it (swift build -c release) or pass --lims PATH")
        }
        let work = options.workDirectory ?? (NSTemporaryDirectory() + "lims-bench-\(options.seed)-\(getpid())")
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)

        if options.generateOnly {
            let values = options.valueScales.last!
            let lab = SyntheticLab(sampleCount: SyntheticLab.samples(forValues: values), seed: options.seed)
            _ = try lab.writeSheets(in: work)
            let run = try lab.writeRun(agilentPath: work + "/run_User_Raw.csv", longPath: work + "/run_long.csv")
            print("Wrote \(work): \(lab.sampleCount) samples, \(run.rows) rows, \(run.values) values, "
                + "\(Format.megabytes(run.agilentBytes)) MB Agilent, \(Format.megabytes(run.longBytes)) MB long CSV, 4 lab sheets.")
            return 0
        }

        let lims = limsPath!
        let sqlite3 = ChildProcess.locate(options.sqlite3Path)
        if sqlite3 == nil {
            FileHandle.standardError.write(Data("[lims-bench] \(options.sqlite3Path) not found: the sqlite3 comparison is skipped.\n".utf8))
        }
        let machine = machineInfo(lims: lims, sqlite3: sqlite3, work: work)
        if machine.limsBuild != "release" {
            FileHandle.standardError.write(Data("[lims-bench] warning: \(lims) is a \(machine.limsBuild) build; numbers are for release builds.\n".utf8))
        }
        let command = (["lims-bench"] + arguments).joined(separator: " ")
        let runner = BenchmarkRunner(options: options, lims: lims, sqlite3: sqlite3, work: work, machine: machine, command: command)
        let results = try runner.runAll()

        let markdown = MarkdownReport.render(results)
        print(markdown)
        let out = options.outDirectory ?? defaultOutDirectory()
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        try Data(markdown.utf8).write(to: URL(fileURLWithPath: out + "/latest.md"))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(results).write(to: URL(fileURLWithPath: out + "/latest.json"))
        FileHandle.standardError.write(Data("[lims-bench] wrote \(out)/latest.md and latest.json\n".utf8))
        if !options.keepFiles { try? FileManager.default.removeItem(atPath: work) }
        return 0
    }

    /// This executable's folder (.build/release), where SwiftPM also puts `lims`.
    static var executableDirectory: URL {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
    }

    static func locateLIMS(_ given: String?) -> String? {
        if let given {
            let path = URL(fileURLWithPath: given).standardizedFileURL.path
            return FileManager.default.isExecutableFile(atPath: path) ? path : nil
        }
        let beside = executableDirectory.appendingPathComponent("lims").path
        return FileManager.default.isExecutableFile(atPath: beside) ? beside : nil
    }

    /// Sources/LIMSBench/Results of the package this binary was built in (found upward from
    /// the executable, then from the current folder), else ./lims-bench-results.
    static func defaultOutDirectory() -> String {
        for start in [executableDirectory, URL(fileURLWithPath: FileManager.default.currentDirectoryPath)] {
            var directory = start
            for _ in 0..<6 {
                if FileManager.default.fileExists(atPath: directory.appendingPathComponent("Package.swift").path),
                   FileManager.default.fileExists(atPath: directory.appendingPathComponent("Sources/LIMSBench").path) {
                    return directory.appendingPathComponent("Sources/LIMSBench/Results").path
                }
                directory = directory.deletingLastPathComponent()
            }
        }
        return FileManager.default.currentDirectoryPath + "/lims-bench-results"
    }

    static func machineInfo(lims: String, sqlite3: String?, work: String) -> MachineInfo {
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let model = cpuinfo.split(separator: "\n").first { $0.hasPrefix("model name") }
            .map { $0.split(separator: ":", maxSplits: 1).last!.trimmingCharacters(in: .whitespaces) } ?? "unknown"
        let meminfo = (try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8)) ?? ""
        let memKB = meminfo.split(separator: "\n").first { $0.hasPrefix("MemTotal:") }
            .flatMap { Double($0.split(separator: " ").dropFirst().first ?? "") } ?? 0
        var name = utsname()
        uname(&name)
        let kernel = withUnsafeBytes(of: &name.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        #if DEBUG
        let benchBuild = "debug"
        #else
        let benchBuild = "release"
        #endif
        let limsBuild = lims.contains("/release/") ? "release" : lims.contains("/debug/") ? "debug" : "unknown"
        let formatter = ISO8601DateFormatter()
        return MachineInfo(
            date: formatter.string(from: Date()), cpuModel: model, cores: ProcessInfo.processInfo.activeProcessorCount,
            memoryGB: memKB / 1_048_576, kernel: kernel,
            swiftVersion: ChildProcess.capture("swift", ["--version"], in: work)?.split(separator: "\n").first.map(String.init) ?? "unknown",
            benchBuild: benchBuild, limsBuild: limsBuild,
            limsVersion: ChildProcess.capture(lims, ["--version"], in: work) ?? "unknown",
            sqlite3Version: sqlite3.flatMap { ChildProcess.capture($0, ["--version"], in: work) }
                .map { $0.split(separator: " ").prefix(2).joined(separator: " ") },
            gitCommit: ChildProcess.capture("git", ["-C", FileManager.default.currentDirectoryPath, "rev-parse", "--short", "HEAD"], in: work))
    }
}
