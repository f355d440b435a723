import Foundation
import XCTest
import LIMSStore
import LIMSTestSupport

/// A `lims` child process that a test can kill at a chosen moment.
final class LIMSChild {
    let process = Process()
    let outURL: URL, errURL: URL
    let started = Date()

    init(_ arguments: [String], in directory: URL, environment: [String: String] = [:]) throws {
        process.executableURL = TestSupport.limsExecutable
        process.arguments = arguments
        var env = ["PATH": "/usr/bin:/bin", "USER": "tester", "HOME": NSTemporaryDirectory()]
        env.merge(environment) { $1 }
        process.environment = env
        process.currentDirectoryURL = directory
        let scratch = TestSupport.temporaryDirectory("lims-child")
        outURL = scratch.appendingPathComponent("stdout")
        errURL = scratch.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = try FileHandle(forWritingTo: errURL)
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    func kill() {
        if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    struct Result {
        let exitCode: Int32
        let stdout: String
        let stderr: String
    }

    @discardableResult
    func wait() -> Result {
        process.waitUntilExit()
        return result
    }

    var result: Result {
        Result(exitCode: process.terminationStatus,
               stdout: String(decoding: (try? Data(contentsOf: outURL)) ?? Data(), as: UTF8.self),
               stderr: String(decoding: (try? Data(contentsOf: errURL)) ?? Data(), as: UTF8.self))
    }

    /// True when the child died of SIGKILL (not of its own accord).
    var wasKilled: Bool { process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGKILL }
}

/// The write a reliability test puts under stress. The tests are written against this enum,
/// so moving them to another import is one line; a workload whose command is missing fails.
enum ImportWorkload: String, CaseIterable {
    /// `lims sample add`, one process per sample (on every branch).
    case sampleAdd
    /// `lims import samples FILE`: the samples lab sheet, one transaction per file.
    case importSamples
    /// `lims import results FILE --format long --allow-unmatched`: the long results sheet.
    case importResults

    /// The subcommand whose `--help` must work for the workload to exist.
    var helpProbe: [String] {
        switch self {
        case .sampleAdd: return ["sample", "add", "--help"]
        case .importSamples: return ["import", "samples", "--help"]
        case .importResults: return ["import", "results", "--help"]
        }
    }

    func requireAvailable() throws {
        // `lims import samples --help` falls back to the help of `import` when `samples` is unknown:
        // the command exists only when its own usage line is printed.
        let probe = try TestSupport.runLIMS(helpProbe)
        let command = helpProbe.dropLast().joined(separator: " ")
        if probe.exitCode != 0 || !probe.stdout.contains("USAGE: lims \(command)") {
            // The import commands are part of the product: their absence is a failure, not a skip.
            throw MissingCommand(command: command, stdout: probe.stdout, stderr: probe.stderr)
        }
    }

    /// Samples "RS-0" … that results rows refer to (15 analytes each, so no row repeats a pair).
    static let resultSamples = 3000

    /// A fresh database in `directory` with the small lab (site DN, plots C1-3, M1-3, R1-3, samples
    /// "<plot>-S") and the samples that results rows refer to.
    static func makeLab(in directory: URL) throws -> String {
        let path = directory.appendingPathComponent("lims.sqlite").path
        let store = try LabStore.create(path: path, operatorName: "tester")
        try TestSupport.seedSmallLab(store)
        let plot = try store.requirePlot(code: "R1")
        try store.write {
            for i in 0..<resultSamples {
                try store.db.execute("INSERT INTO sample (code, plot_id, type) VALUES (?, ?, 'bulk')", ["RS-\(i)", plot.id])
            }
        }
        return path
    }

    /// The lims calls of one writer that together add the records `rows`, labelled `tag`
    /// (files are written into `directory`); `files` splits an import into several files.
    func calls(tag: String, rows all: Range<Int>, files: Int = 1, in directory: URL) throws -> [[String]] {
        switch self {
        case .sampleAdd:
            return all.map { ["sample", "add", "--code", "\(tag)-\($0)", "--plot", "C1"] }
        case .importSamples, .importResults:
            let perFile = max(1, all.count / files)
            return try stride(from: all.lowerBound, to: all.upperBound, by: perFile).enumerated().map { part, start in
                let rows = start..<min(all.upperBound, start + perFile)
                let url = directory.appendingPathComponent("\(tag)-\(part).csv")
                try Data(sheet(tag: tag, rows: rows).utf8).write(to: url)
                return arguments(for: url)
            }
        }
    }

    func arguments(for file: URL) -> [String] {
        switch self {
        case .sampleAdd: return []
        case .importSamples: return ["import", "samples", file.path]
        case .importResults: return ["import", "results", file.path, "--format", "long", "--allow-unmatched"]
        }
    }

    /// A lab sheet with the given rows (shared vocabulary of the templates).
    func sheet(tag: String, rows: Range<Int>) -> String {
        switch self {
        case .sampleAdd: return ""
        case .importSamples:
            return "code,plot,type,depth_top_cm,depth_bottom_cm,collected_on,mass_g,description\n"
                + rows.map { "\(tag)-\($0),\(["C1", "M2", "R3"][$0 % 3]),bulk,0,10,2018-07-10,\(100 + $0 % 900),crash and concurrency test\n" }.joined()
        case .importResults:
            let analytes = ["La", "Ce", "Pr", "Nd", "Sm", "Eu", "Gd", "Tb", "Dy", "Ho", "Er", "Tm", "Yb", "Lu", "Y"]
            return "sample,analyte,value,unit,qualifier,detection_limit,method,measured_on\n"
                + rows.map { i in
                    // Every (sample, analyte) pair once; values differ per row so files differ.
                    return "RS-\(i / analytes.count),\(analytes[i % analytes.count]),\(Double(i % 997) + 0.25),mg/kg,,0.01,ICP-MS,2019-03-14\n"
                }.joined()
        }
    }

    /// The number of records this workload adds, as counted in the database.
    func recordCount(_ db: Database, tag: String? = nil) throws -> Int {
        switch self {
        case .sampleAdd, .importSamples:
            return try db.scalar("""
                SELECT count(*) FROM sample
                WHERE (?1 IS NULL AND code NOT LIKE '%-S' AND code NOT LIKE 'RS-%') OR code LIKE ?1 || '-%'
                """, [tag])?.int ?? -1
        case .importResults:
            return try db.scalar("""
                SELECT count(*) FROM measurement
                WHERE ?1 IS NULL OR batch_id IN (SELECT id FROM import_batch WHERE file_name LIKE ?1 || '-%')
                """, [tag])?.int ?? -1
        }
    }
}

/// What every reliability test asks of a database file after the fact.
enum DatabaseHealth {
    /// PRAGMA integrity_check and foreign_key_check, through a fresh read-only connection.
    static func problems(_ path: String) throws -> [String] {
        let db = try Database(path: path, mode: .readOnly)
        let integrity = try db.rows("PRAGMA integrity_check").compactMap { $0.values.first?.string }
        let foreignKeys = try db.rows("PRAGMA foreign_key_check").map(\.description)
        return (integrity == ["ok"] ? [] : integrity) + foreignKeys
    }

    static func scalar(_ path: String, _ sql: String) throws -> Int {
        try Database(path: path, mode: .readOnly).scalar(sql)?.int ?? -1
    }
}

/// A workload's command is not in this `lims`.
struct MissingCommand: Error, CustomStringConvertible {
    let command: String
    let stdout: String
    let stderr: String
    var description: String { "`lims \(command)` is not a command of this lims: \(stderr)\(stdout.prefix(300))" }
}
