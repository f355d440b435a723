import Foundation
import LIMSStore

/// `lims help [CMD [SUB]]` (the same text as `lims CMD SUB --help`) and `lims manual`, a roff
/// man page made from the same CommandSpecs, so help, manual and parser cannot drift apart.
enum HelpCommands {
    static let help = CommandSpec(
        name: "help", abstract: "Show help for a command: 'lims help query results' is 'lims query results --help'.",
        arguments: [ArgumentSpec(name: "command", help: "The command and subcommand, e.g. query results.", optional: true, variadic: true)],
        options: [.flag("man", help: "Write the whole manual as a roff man page instead (same as 'lims manual').")],
        examples: ["lims help import results", "lims help --man > lims.1"],
        run: { invocation in
            let root = LIMSMain.root
            if invocation.flag("man") {
                invocation.console.write(ManualPage.render(root))
                return ExitCode.success
            }
            var spec = root
            var path: [String] = []
            for word in invocation.arguments {
                guard let sub = spec.subcommands.first(where: { $0.name == word }) else {
                    let hint = Suggestions.closest(to: word, among: spec.subcommands.map(\.name)).first.map { " Did you mean '\($0)'?" } ?? ""
                    let place = path.isEmpty ? "" : " of '\(path.joined(separator: " "))'"
                    throw invocation.usageError("Unknown command '\(word)'\(place).\(hint)")
                }
                spec = sub
                path.append(word)
            }
            invocation.console.write(HelpFormatter.help(spec, path: path))
            return ExitCode.success
        })

    static let manual = CommandSpec(
        name: "manual", abstract: "Write the lims man page (roff) to stdout: every command, option and example.",
        examples: ["lims manual > lims.1 && man ./lims.1", "lims manual | man -l -"],
        run: { invocation in
            invocation.console.write(ManualPage.render(LIMSMain.root))
            return ExitCode.success
        })
}

/// The man page, section 1, in man(7) macros.
enum ManualPage {
    static func render(_ root: CommandSpec) -> String {
        var lines = [
            ".TH LIMS 1 \"\" \"lims \(LIMSMain.version)\" \"Tailings LIMS\"",
            ".SH NAME", "lims \\- \(escape(root.abstract))",
            ".SH SYNOPSIS", ".B lims", "[\\fIoptions\\fR] \\fIcommand\\fR [\\fIsubcommand\\fR] ...",
            ".SH DESCRIPTION",
        ]
        if let discussion = root.discussion { lines += paragraphs(discussion) }
        lines += [".SH GLOBAL OPTIONS"] + options(GlobalOptions.all)
        lines += [".SH COMMANDS"]
        for command in root.subcommands where !command.hidden { lines += section(command, path: [command.name]) }
        lines += [".SH EXIT STATUS", ".TP", "0", "Success.", ".TP", "1", "A data or runtime error (bad file, unknown sample, SQLite error).",
                  ".TP", "64", "A usage error: the words of the call are wrong.",
                  ".SH ENVIRONMENT", ".TP", ".B LIMS_DB", "The database file when --db is not given.",
                  ".TP", ".B LIMS_OPERATOR", "Who is making the change when --operator is not given."]
        return lines.joined(separator: "\n") + "\n"
    }

    private static func section(_ spec: CommandSpec, path: [String]) -> [String] {
        var lines = [".SS \"\(escape(HelpFormatter.usageLine(spec, path: path)))\"", escape(spec.abstract)]
        if let discussion = spec.discussion { lines += [".PP"] + paragraphs(discussion) }
        for argument in spec.arguments {
            lines += [".TP", "\\fI<\(escape(argument.name))>\\fR" + (argument.variadic ? " ..." : ""), escape(argument.help)]
        }
        lines += options(spec.options)
        if !spec.examples.isEmpty {
            lines += [".PP", "Examples:", ".RS", ".nf"] + spec.examples.map(escape) + [".fi", ".RE"]
        }
        for sub in spec.subcommands where !sub.hidden { lines += section(sub, path: path + [sub.name]) }
        return lines
    }

    private static func options(_ options: [OptionSpec]) -> [String] {
        options.flatMap { option -> [String] in
            var left = option.short.map { "\\fB\\-\($0)\\fR, " } ?? ""
            left += "\\fB\\-\\-\(escape(option.name))\\fR"
            if let value = option.valueName { left += " \\fI<\(escape(value))>\\fR" }
            var help = escape(option.help)
            if option.repeatable { help += " (repeatable)" }
            return [".TP", left, help]
        }
    }

    private static func paragraphs(_ text: String) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { escape(String($0)) }
    }

    /// roff escapes: backslashes, hyphens (so they copy as ASCII), and a leading . or ' (a request).
    static func escape(_ text: String) -> String {
        var out = text.replacingOccurrences(of: "\\", with: "\\e").replacingOccurrences(of: "-", with: "\\-")
        if out.hasPrefix(".") || out.hasPrefix("'") { out = "\\&" + out }
        return out
    }
}
