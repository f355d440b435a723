import Foundation
import XCTest
@testable import LIMSCLI
import LIMSTestSupport

/// Seeded fuzzing of the argument parser against the real command tree (`LIMSMain.root`):
/// thousands of random and mutated command lines. The parser must never crash or hang;
/// it either returns a call that the command can run (all options known, choices respected,
/// required arguments there) or a usage error with a message and a usage line.
final class ReliabilityArgumentFuzzTests: XCTestCase {
    static let master = SeededRandom.masterSeed(fallback: 0xA5_6E_2026)

    /// Every command path and every option name of the tree.
    static func vocabulary(_ spec: CommandSpec, path: [String] = []) -> (paths: [[String]], options: [OptionSpec]) {
        var paths = [path]
        var options = spec.options
        for sub in spec.subcommands {
            let (p, o) = vocabulary(sub, path: path + [sub.name])
            paths += p
            options += o
        }
        return (paths, options)
    }

    func testRandomCommandLines() {
        let root = LIMSMain.root
        let (paths, commandOptions) = Self.vocabulary(root)
        let options = commandOptions + GlobalOptions.all
        let words = ["--", "-", "-h", "--help", "-5", "-0.5", "1e9", "", " ", "=", "--=", "--db=", "---x", "-xy",
                     "C1-S", "0-10", "2019-03-14", "table", "csv", "json", "xml", "ramie", "é", "\u{0}", "--format=csv",
                     "-o", "--operator=li.wei", "\"", "'", "nan", "inf", "--force", "--file", "results.csv"]
        let failures = FuzzHarness.run(target: "argument parser", master: Self.master,
                                       cases: SeededRandom.caseCount(default: 4000), timeLimit: 2) { random, _ in
            var arguments: [String] = random.chance(0.8) ? random.pick(paths) : []
            for _ in 0..<random.int(in: 0...7) {
                switch random.int(in: 0...5) {
                case 0, 1:
                    let option = random.pick(options)
                    if random.chance(0.2), let short = option.short {
                        arguments.append("-\(short)")
                    } else if random.chance(0.3) {
                        arguments.append("--\(option.name)=\(random.pick(option.choices ?? words))")
                    } else {
                        arguments.append("--\(option.name)")
                        if !option.isFlag, random.chance(0.8) { arguments.append(random.pick(option.choices ?? words)) }
                    }
                case 2: arguments.append(random.pick(words))
                case 3: arguments.append(random.pick(paths.flatMap { $0 }))
                case 4: arguments.append(String(decoding: random.bytes(count: random.int(in: 0...8)), as: UTF8.self))
                default:
                    if !arguments.isEmpty { arguments.remove(at: random.int(in: 0...(arguments.count - 1))) }
                }
            }
            return Self.checkParse(arguments, root: root)
        }
        XCTAssertTrue(failures.isEmpty, failures.map(\.description).joined(separator: "\n"))
    }

    /// The properties of one parse; nil when they hold.
    static func checkParse(_ arguments: [String], root: CommandSpec) -> String? {
        do {
            let parsed = try ArgumentParser.parse(arguments, root: root)
            // The help of whatever was reached renders.
            let help = HelpFormatter.help(parsed.spec, path: parsed.commandPath)
            if !help.hasPrefix("OVERVIEW:") { return "help of \(parsed.commandPath) does not start with OVERVIEW: \(arguments)" }
            if parsed.helpRequested { return nil }
            if parsed.spec.run == nil { return "parsed to a group without a command: \(arguments)" }
            let known = ArgumentParser.allOptions(parsed.spec)
            for (name, values) in parsed.values {
                guard let option = known.first(where: { $0.name == name }) else { return "unknown option --\(name) accepted: \(arguments)" }
                if option.isFlag { return "flag --\(name) got a value: \(arguments)" }
                if values.count > 1, !option.repeatable { return "--\(name) accepted twice: \(arguments)" }
                if let choices = option.choices, let bad = values.first(where: { !choices.contains($0) }) {
                    return "--\(name) accepted '\(bad)' outside its choices: \(arguments)"
                }
            }
            for flag in parsed.flags where !known.contains(where: { $0.name == flag && $0.isFlag }) {
                return "unknown flag --\(flag) accepted: \(arguments)"
            }
            let required = parsed.spec.arguments.filter { !$0.optional }.count
            if parsed.positionals.count < required { return "missing positional accepted: \(arguments)" }
            if !parsed.spec.arguments.contains(where: \.variadic), parsed.positionals.count > parsed.spec.arguments.count {
                return "extra positional accepted: \(arguments)"
            }
            return nil
        } catch let error as UsageError {
            if error.message.isEmpty { return "usage error without a message: \(arguments)" }
            let spec = LIMSMain.lookup(error.commandPath, in: root)
            let usage = HelpFormatter.usageLine(spec, path: error.commandPath)
            if !usage.hasPrefix("lims") { return "usage line \(usage) for \(arguments)" }
            return nil
        } catch {
            return "an error that is not a usage error: \(error) for \(arguments)"
        }
    }

    /// The whole `lims` main path with hostile words that cannot reach a database: help and
    /// usage errors only, captured, exit 0 or 64, nothing on stdout for an error.
    func testMainReportsUsageErrorsCleanly() {
        let failures = FuzzHarness.run(target: "LIMSMain.run", master: Self.master ^ 1,
                                       cases: SeededRandom.caseCount(default: 600), timeLimit: 2) { random, _ in
            let (paths, _) = Self.vocabulary(LIMSMain.root)
            var arguments = random.pick(paths)
            // Either ask for help, or break the call so it cannot run (an unknown option).
            if random.chance(0.5) {
                arguments.insert("--help", at: random.int(in: 0...arguments.count))
            } else {
                arguments.insert("--no-such-option-\(random.int(in: 0...99))", at: random.int(in: 0...arguments.count))
            }
            final class Capture: @unchecked Sendable { var out = ""; var err = "" }
            let capture = Capture()
            let console = Console(out: { capture.out += $0 }, err: { capture.err += $0 })
            let directory = FileManager.default.temporaryDirectory.path
            let code = LIMSMain.run(arguments: arguments, environment: ["LIMS_DB": "/nonexistent/fuzz.sqlite"],
                                    console: console, currentDirectory: directory)
            if arguments.contains("--help") && !arguments.contains(where: { $0.hasPrefix("--no-such") }) {
                if code != 0 || !capture.out.hasPrefix("OVERVIEW:") { return "help failed (\(code)) for \(arguments): \(capture.err)" }
            } else {
                if code != 64 { return "exit \(code) instead of 64 for \(arguments): \(capture.err)" }
                if !capture.out.isEmpty { return "stdout not empty on a usage error: \(arguments)" }
                if !capture.err.hasPrefix("Error: Unknown option") || !capture.err.contains("Usage: lims") {
                    return "unclear usage error for \(arguments): \(capture.err)"
                }
            }
            return nil
        }
        XCTAssertTrue(failures.isEmpty, failures.map(\.description).joined(separator: "\n"))
    }
}
