import Foundation
import LIMSStore

/// Exit codes, as sysexits(3) and swift-argument-parser use them.
enum ExitCode {
    static let success: Int32 = 0
    /// Data or runtime error (bad file, unknown sample, SQLite error).
    static let failure: Int32 = 1
    /// The words of the call are wrong.
    static let usage: Int32 = 64
}

/// The `lims` command: parse, run, and turn errors into messages and exit codes.
enum LIMSMain {
    static let version = "0.1.0"

    static var root: CommandSpec {
        CommandSpec(
            name: "lims",
            abstract: "Tailings LIMS: the lab's records of REE studies of mine tailings, from field plots to paper tables.",
            discussion: """
                The database is one SQLite file: --db PATH, else $LIMS_DB, else ./lims.sqlite;
                or a shared PostgreSQL server: --db postgresql://user@host[:port]/dbname.
                Start with 'lims init', then register sites, treatments, plots and samples.
                """,
            subcommands: CommandRegistry.topLevel)
    }

    static func run(arguments: [String], environment: [String: String] = ProcessInfo.processInfo.environment,
                    console: Console = .standard(),
                    currentDirectory: String = FileManager.default.currentDirectoryPath) -> Int32 {
        let rootSpec = root
        if arguments == ["--version"] {
            console.out("lims \(version)")
            return ExitCode.success
        }
        if arguments.isEmpty {
            console.write(HelpFormatter.help(rootSpec, path: []))
            return ExitCode.success
        }
        do {
            let parsed = try ArgumentParser.parse(arguments, root: rootSpec)
            if parsed.helpRequested {
                console.write(HelpFormatter.help(parsed.spec, path: parsed.commandPath))
                return ExitCode.success
            }
            let invocation = Invocation(parsed: parsed, environment: environment, console: console,
                                        currentDirectory: currentDirectory)
            return try parsed.spec.run!(invocation)
        } catch let error as UsageError {
            let spec = lookup(error.commandPath, in: rootSpec)
            console.err("Error: \(error.message)")
            console.err("Usage: \(HelpFormatter.usageLine(spec, path: error.commandPath))")
            console.err("  See 'lims \((error.commandPath + ["--help"]).joined(separator: " "))' for more information.")
            return ExitCode.usage
        } catch let error as DiagnosticError {
            error.diagnosticLines.forEach { console.err($0) }
            return ExitCode.failure
        } catch {
            console.err("Error: \(describe(error))")
            return ExitCode.failure
        }
    }

    static func lookup(_ path: [String], in root: CommandSpec) -> CommandSpec {
        var spec = root
        for name in path {
            guard let sub = spec.subcommands.first(where: { $0.name == name }) else { break }
            spec = sub
        }
        return spec
    }

    /// One clear sentence for an error.
    static func describe(_ error: Error) -> String {
        if let error = error as? DatabaseError {
            if error.isReadOnly {
                return "the database cannot be written (read-only file or folder): \(error.message)"
            }
            if error.isDiskFull { return "the disk is full; nothing was written (\(error.message))" }
            if error.isNotADatabase { return error.message }
            if error.isBusy { return "the database is busy (another lims is writing); try again (\(error.message))" }
            // A server that cannot be reached: libpq's message names the host and port (never the password).
            if error.sqlState?.hasPrefix("08") == true { return error.message }
            return error.description
        }
        return String(describing: error)
    }
}
