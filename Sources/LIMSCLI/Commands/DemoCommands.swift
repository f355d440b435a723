import Foundation
import LIMSStore

/// `lims demo`: builds the example study in a fresh database through the same import
/// commands a technician runs, then writes the full report.
enum DemoCommands {
    /// Marks a folder as written by `lims demo`, so `--force` never empties a folder of the user's.
    static let markerName = ".lims-demo"

    static let demo = CommandSpec(
        name: "demo",
        abstract: "Build the example study (invented data) in a fresh database and write its full report.",
        discussion: """
            Writes DIR/study/ (the bundled lab sheets and instrument exports), DIR/demo.sqlite
            (imported with 'lims import …', exactly as a technician would) and DIR/report/
            (report.md, report.json and SVG figures). All values are invented; see DIR/study/README.txt.
            """,
        options: [
            .out("path", help: "Where to write the demo (default: ./lims-demo).", aliases: ["dir"]),
            .flag("force", help: "Replace an earlier demo in that folder."),
        ],
        examples: ["lims demo", "lims demo -o /tmp/lims-demo --force"],
        run: { invocation in try DemoRun(invocation: invocation).run() })
}

/// One run of `lims demo`.
struct DemoRun {
    let invocation: Invocation
    var console: Console { invocation.console }

    var directory: URL { URL(fileURLWithPath: invocation.absolute(invocation.value("out") ?? "lims-demo")) }
    var studyDirectory: URL { directory.appendingPathComponent("study") }
    var reportDirectory: URL { directory.appendingPathComponent("report") }
    var databasePath: String { directory.appendingPathComponent("demo.sqlite").path }

    func run() throws -> Int32 {
        try refuseTheLabDatabase()
        try prepareDirectory()
        try writeStudyFiles()
        try runStep(["init"], label: "create \(databasePath)")
        for line in DemoStudyFiles.manifest.split(separator: "\n") where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            var words = line.split(separator: " ").map(String.init)
            words[1] = studyDirectory.appendingPathComponent(words[1]).path
            let output = try runStep(["import"] + words, label: "import \(line)")
            console.out("  " + firstLine(output))
        }
        for (words, file) in [(["report", "all"], "report.md"), (["report", "all", "--format", "json"], "report.json"),
                              (["report", "leaching"], "leaching.md"), (["report", "seepage"], "seepage.md")] {
            let output = try runStep(words + ["--out", reportDirectory.appendingPathComponent(file).path],
                                     label: "write \(file)", allowWarnings: true)
            console.out("  " + firstLine(output))
        }
        printNextSteps()
        return ExitCode.success
    }

    /// The demo writes its own demo.sqlite and, with --force, empties its folder: neither may touch
    /// the lab's database (--db / $LIMS_DB), whatever the links.
    private func refuseTheLabDatabase() throws {
        _ = try invocation.checkedOutputPath(databasePath, option: "--out")
        let lab = URL(fileURLWithPath: invocation.databasePath).resolvingSymlinksInPath().deletingLastPathComponent().standardizedFileURL.path
        let demo = directory.resolvingSymlinksInPath().standardizedFileURL.path
        // Only a database that exists needs protecting (the default ./lims.sqlite may not).
        if FileManager.default.fileExists(atPath: invocation.databasePath), lab == demo || lab.hasPrefix(demo + "/") {
            throw invocation.usageError("The folder '\(directory.path)' for '--out' holds the database \(invocation.databasePath); "
                                        + "lims demo writes and replaces files there. Choose another folder; nothing was written.")
        }
    }

    /// The demo folder must be new, empty, or an earlier demo (replaced only with --force).
    private func prepareDirectory() throws {
        let manager = FileManager.default
        let marker = directory.appendingPathComponent(DemoCommands.markerName)
        if manager.fileExists(atPath: directory.path) {
            let contents = try manager.contentsOfDirectory(atPath: directory.path)
            if !contents.isEmpty {
                guard manager.fileExists(atPath: marker.path) else {
                    throw StoreError.invalidValue(field: "--out", value: directory.path,
                                                  expected: "a new or empty folder (this one holds files that lims demo did not write)")
                }
                guard invocation.flag("force") else {
                    throw StoreError.invalidValue(field: "--out", value: directory.path,
                                                  expected: "a folder without an earlier demo; add --force to replace it")
                }
                for name in contents { try manager.removeItem(at: directory.appendingPathComponent(name)) }
            }
        }
        try manager.createDirectory(at: studyDirectory, withIntermediateDirectories: true)
        try manager.createDirectory(at: reportDirectory, withIntermediateDirectories: true)
        try Data("written by lims demo; `lims demo --force` may replace this folder\n".utf8).write(to: marker)
        console.out("Tailings LIMS demo — an example study with INVENTED data, in \(directory.path)")
    }

    private func writeStudyFiles() throws {
        for file in DemoStudyFiles.files {
            try Data(file.bytes).write(to: studyDirectory.appendingPathComponent(file.name))
        }
        try Data(DemoStudyFiles.manifest.utf8).write(to: studyDirectory.appendingPathComponent("MANIFEST.txt"))
        try Data(DemoStudyFiles.readme.utf8).write(to: studyDirectory.appendingPathComponent("README.txt"))
        console.out("  wrote \(DemoStudyFiles.files.count) study files (lab sheets and instrument exports) to \(studyDirectory.path)")
    }

    /// Runs one `lims` command in-process against the demo database; returns its stdout.
    @discardableResult
    private func runStep(_ arguments: [String], label: String, allowWarnings: Bool = false) throws -> String {
        let captured = CapturedOutput()
        let stepConsole = Console(out: { captured.append(out: $0) }, err: { captured.append(err: $0) })
        let code = LIMSMain.run(arguments: ["--db", databasePath, "--operator", "lims-demo"] + arguments,
                                environment: invocation.environment, console: stepConsole,
                                currentDirectory: invocation.currentDirectory)
        if code != ExitCode.success {
            throw DemoStepFailed(step: label, exitCode: code, stderr: captured.err)
        }
        if allowWarnings, !captured.err.isEmpty {
            captured.err.split(separator: "\n").forEach { console.err(String($0)) }
        }
        return captured.out
    }

    private func firstLine(_ text: String) -> String {
        text.split(separator: "\n").first.map(String.init) ?? "done"
    }

    private func printNextSteps() {
        let db = databasePath
        console.out("""

            Done. Look at:
              \(reportDirectory.appendingPathComponent("report.md").path)   (tables and SVG figures)
              \(reportDirectory.appendingPathComponent("report.json").path) (the same numbers for scripts)
              \(reportDirectory.appendingPathComponent("leaching.md").path), seepage.md (column leaching and seepage experiments)

            Try:
              lims --db \(db) query samples --treatment ramie
              lims --db \(db) query results --treatment control --type bulk --matrix solid --analyte REE --wide --format csv
              lims --db \(db) query extractions --analyte Ce
            """)
    }
}

/// A demo step that failed: which one, and what it said.
struct DemoStepFailed: Error, CustomStringConvertible {
    let step: String
    let exitCode: Int32
    let stderr: String
    var description: String {
        "the demo could not \(step) (exit \(exitCode)):\n" + stderr.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// Output of an in-process step.
final class CapturedOutput: @unchecked Sendable {
    private(set) var out = ""
    private(set) var err = ""
    func append(out text: String) { out += text }
    func append(err text: String) { err += text }
}
