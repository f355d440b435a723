import LIMSStore

/// A usage error: the words of the call are wrong. Exit 64 with the usage line.
struct UsageError: Error, CustomStringConvertible {
    let message: String
    /// The command path whose usage to print, e.g. ["sample", "add"].
    let commandPath: [String]
    var description: String { message }
}

/// The parsed words of one call.
struct ParsedArguments {
    var commandPath: [String] = []
    var spec: CommandSpec
    var values: [String: [String]] = [:]
    var flags: Set<String> = []
    var positionals: [String] = []
    var helpRequested: Bool { flags.contains("help") }
}

/// A small hand-rolled parser with swift-argument-parser's manners: `--name value`,
/// `--name=value`, `-x value`, flags, `--` to end options, and clear errors.
enum ArgumentParser {
    static func parse(_ arguments: [String], root: CommandSpec) throws -> ParsedArguments {
        var spec = root
        var path: [String] = []
        var parsed = ParsedArguments(spec: root)
        var index = 0
        var optionsEnded = false
        // Global options may come before the command name.
        while index < arguments.count {
            let word = arguments[index]
            if !optionsEnded, word == "--" { optionsEnded = true; index += 1; continue }
            if !optionsEnded, word.hasPrefix("-"), word.count > 1, !isNegativeNumber(word) {
                index = try readOption(arguments, at: index, spec: spec, path: path, into: &parsed)
                continue
            }
            // A subcommand name, while we are still at a command that has subcommands
            // and have not started reading positional arguments.
            if parsed.positionals.isEmpty, !spec.subcommands.isEmpty {
                guard let sub = spec.subcommands.first(where: { $0.name == word }) else {
                    if parsed.helpRequested { break }
                    let names = spec.subcommands.map(\.name)
                    let hint = Suggestions.closest(to: word, among: names).first.map { " Did you mean '\($0)'?" } ?? ""
                    throw UsageError(message: "Unknown command '\(word)'.\(hint)", commandPath: path)
                }
                spec = sub
                path.append(word)
                parsed.spec = sub
                index += 1
                continue
            }
            parsed.positionals.append(word)
            index += 1
        }
        parsed.commandPath = path
        if parsed.helpRequested { return parsed }
        try checkArguments(parsed)
        return parsed
    }

    private static func isNegativeNumber(_ word: String) -> Bool { DecimalNumber.double(word) != nil }

    /// Reads the option at `index`; returns the index after it (and its value).
    private static func readOption(_ arguments: [String], at index: Int, spec: CommandSpec, path: [String],
                                   into parsed: inout ParsedArguments) throws -> Int {
        let word = arguments[index]
        var name: String
        var inlineValue: String?
        if word.hasPrefix("--") {
            name = String(word.dropFirst(2))
            if let equals = name.firstIndex(of: "=") {
                inlineValue = String(name[name.index(after: equals)...])
                name = String(name[..<equals])
            }
        } else {
            let letter = word.dropFirst().first!
            guard word.count == 2, let option = allOptions(spec).first(where: { $0.short == letter }) else {
                throw UsageError(message: "Unknown option '\(word)'.", commandPath: path)
            }
            name = option.name
        }
        guard let option = allOptions(spec).first(where: { $0.name == name || $0.aliases.contains(name) }) else {
            let hint = Suggestions.closest(to: name, among: allOptions(spec).map(\.name)).first.map { " Did you mean '--\($0)'?" } ?? ""
            throw UsageError(message: "Unknown option '--\(name)'.\(hint)", commandPath: path)
        }
        name = option.name   // an alias is stored under the option's name
        if option.isFlag {
            if inlineValue != nil {
                throw UsageError(message: "The flag '--\(name)' does not take a value.", commandPath: path)
            }
            parsed.flags.insert(name)
            return index + 1
        }
        var next = index + 1
        let value: String
        if let inlineValue {
            value = inlineValue
        } else {
            guard next < arguments.count, !(arguments[next].hasPrefix("--") && arguments[next].count > 2) else {
                throw UsageError(message: "Missing value for '--\(name) <\(option.valueName!)>'.", commandPath: path)
            }
            value = arguments[next]
            next += 1
        }
        if let choices = option.choices, !choices.contains(value) {
            // Every `choices:` option gets the same error and a "did you mean" when one is close.
            let hint = Suggestions.closest(to: value, among: choices, limit: 1).first.map { " Did you mean '\($0)'?" } ?? ""
            throw UsageError(message: "The value '\(value)' is invalid for '--\(name) <\(option.valueName!)>'; "
                             + "expected one of: \(choices.joined(separator: ", ")).\(hint)", commandPath: path)
        }
        if parsed.values[name] != nil, !option.repeatable {
            throw UsageError(message: "The option '--\(name)' was given more than once.", commandPath: path)
        }
        parsed.values[name, default: []].append(value)
        return next
    }

    static func allOptions(_ spec: CommandSpec) -> [OptionSpec] { spec.options + GlobalOptions.all }

    private static func checkArguments(_ parsed: ParsedArguments) throws {
        let spec = parsed.spec
        let path = parsed.commandPath
        if spec.run == nil {
            let names = spec.subcommands.map(\.name).joined(separator: ", ")
            throw UsageError(message: path.isEmpty ? "Missing a command (one of: \(names))."
                             : "Missing a subcommand for '\(path.joined(separator: " "))' (one of: \(names)).",
                             commandPath: path)
        }
        let required = spec.arguments.filter { !$0.optional }
        if parsed.positionals.count < required.count {
            let missing = required[parsed.positionals.count]
            throw UsageError(message: "Missing expected argument '<\(missing.name)>'.", commandPath: path)
        }
        if !spec.arguments.contains(where: \.variadic), parsed.positionals.count > spec.arguments.count {
            let extra = parsed.positionals[spec.arguments.count]
            throw UsageError(message: "Unexpected argument '\(extra)'.", commandPath: path)
        }
    }
}

