import Foundation
import LIMSStore

/// Where a command writes. Commands never print directly, so tests can capture output.
final class Console: @unchecked Sendable {
    private let writeOut: (String) -> Void
    private let writeErr: (String) -> Void
    /// True when stderr is a terminal (progress lines are shown only then).
    let stderrIsTerminal: Bool

    init(out: @escaping (String) -> Void, err: @escaping (String) -> Void, stderrIsTerminal: Bool = false) {
        self.writeOut = out
        self.writeErr = err
        self.stderrIsTerminal = stderrIsTerminal
    }

    static func standard() -> Console {
        Console(out: { FileHandle.standardOutput.write(Data($0.utf8)) },
                err: { FileHandle.standardError.write(Data($0.utf8)) },
                stderrIsTerminal: isatty(2) == 1)
    }

    /// A result line on stdout.
    func out(_ text: String = "") { writeOut(text + "\n") }
    /// Text on stdout as it is (no newline added).
    func write(_ text: String) { writeOut(text) }
    /// A diagnostic, notice or progress line on stderr.
    func err(_ text: String) { writeErr(text + "\n") }
    func warning(_ text: String) { writeErr("warning: " + text + "\n") }
}

/// One call of a command: its parsed arguments plus the environment it runs in.
struct Invocation {
    let parsed: ParsedArguments
    let environment: [String: String]
    let console: Console
    let currentDirectory: String

    var commandPath: [String] { parsed.commandPath }

    // MARK: Database

    /// `--db`, else `$LIMS_DB`, else `./lims.sqlite`. A `postgresql://` URL is passed on as it is
    /// (it may hold a password: print `databaseName` instead).
    var databasePath: String {
        if let path = value("db") { return databaseLocation(path) }
        if let path = environment["LIMS_DB"], !path.isEmpty { return databaseLocation(path) }
        return absolute("lims.sqlite")
    }

    /// The database as messages name it: the file path, or the URL without its password.
    var databaseName: String { DatabaseLocation.redacted(databasePath) }

    /// True when the database is a PostgreSQL server rather than a SQLite file.
    var databaseIsServer: Bool { DatabaseLocation.isServerURL(databasePath) }

    private func databaseLocation(_ text: String) -> String {
        DatabaseLocation.isServerURL(text) ? text : absolute(text)
    }

    var operatorName: String { value("operator") ?? LabStore.defaultOperator(environment: environment) }

    /// Opens the existing database (schema must be current).
    func openStore(readOnly: Bool = false) throws -> LabStore {
        try LabStore.open(path: databasePath, mode: readOnly ? .readOnly : .readWrite, operatorName: operatorName)
    }

    func absolute(_ path: String) -> String {
        if path.hasPrefix("/") || path == ":memory:" { return path }
        return URL(fileURLWithPath: currentDirectory).appendingPathComponent(path).standardizedFileURL.path
    }

    // MARK: Options

    func value(_ name: String) -> String? { parsed.values[name]?.last }
    func values(_ name: String) -> [String] { parsed.values[name] ?? [] }
    func flag(_ name: String) -> Bool { parsed.flags.contains(name) }
    func argument(_ index: Int) -> String? { index < parsed.positionals.count ? parsed.positionals[index] : nil }
    var arguments: [String] { parsed.positionals }

    func usageError(_ message: String) -> UsageError { UsageError(message: message, commandPath: commandPath) }

    /// A required option's value.
    func required(_ name: String) throws -> String {
        guard let value = value(name) else {
            let spec = ArgumentParser.allOptions(parsed.spec).first { $0.name == name }
            throw usageError("Missing expected option '--\(name) <\(spec?.valueName ?? "value")>'.")
        }
        return value
    }

    /// A number option, with the unit named in the error.
    func double(_ name: String, unit: String = "") throws -> Double? {
        guard let text = value(name) else { return nil }
        switch DecimalNumber.parse(text) {
        case .success(let number): return number
        case .failure(let failure):
            throw usageError("The value '\(text)' is invalid for '--\(name)'; expected a number\(unit.isEmpty ? "" : " in \(unit)")"
                             + (failure == .notDecimal || failure == .empty ? "" : " (\(failure.reason))") + ".")
        }
    }

    func int(_ name: String) throws -> Int? {
        guard let text = value(name) else { return nil }
        guard let number = Int(text) else {
            throw usageError("The value '\(text)' is invalid for '--\(name)'; expected a whole number.")
        }
        return number
    }

    /// A count option (`--limit`, `--offset`): a whole number ≥ 0.
    func count(_ name: String) throws -> Int? {
        guard let text = value(name) else { return nil }
        guard let number = Int(text), number >= 0 else {
            throw usageError("The value '\(text)' is invalid for '--\(name) <n>'; expected a whole number ≥ 0.")
        }
        return number
    }

    /// A date option written YYYY-MM-DD.
    func date(_ name: String) throws -> String? {
        guard let text = value(name) else { return nil }
        guard Validate.isISODate(text) else {
            let hint = Self.dateSuggestion(text).map { " Did you mean '\($0)'?" } ?? ""
            throw usageError("The value '\(text)' is invalid for '--\(name)'; expected \(Validate.expectedDate(text)).\(hint)")
        }
        return text
    }

    /// A valid date close to what was typed: other separators (2019/01/05, 2019.1.5) or none (20190105).
    static func dateSuggestion(_ text: String) -> String? {
        let parts = text.split(whereSeparator: { "/.-_ ".contains($0) }).map(String.init)
        var candidate: String?
        if parts.count == 3, parts[0].count == 4, parts.allSatisfy({ Int($0) != nil }) {
            candidate = parts[0] + "-" + String(repeating: "0", count: max(0, 2 - parts[1].count)) + parts[1]
                + "-" + String(repeating: "0", count: max(0, 2 - parts[2].count)) + parts[2]
        } else if text.count == 8, Int(text) != nil {
            let digits = Array(text)
            candidate = String(digits[0..<4]) + "-" + String(digits[4..<6]) + "-" + String(digits[6..<8])
        }
        guard let candidate, candidate != text, Validate.isISODate(candidate) else { return nil }
        return candidate
    }

    /// `--format` (table by default).
    var outputFormat: OutputFormat { OutputFormat(rawValue: value("format") ?? "table") ?? .table }
}
