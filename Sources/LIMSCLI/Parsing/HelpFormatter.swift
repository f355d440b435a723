import Foundation

/// Help text in swift-argument-parser's layout: OVERVIEW, USAGE, ARGUMENTS, OPTIONS, SUBCOMMANDS.
enum HelpFormatter {
    static func usageLine(_ spec: CommandSpec, path: [String]) -> String {
        var parts = ["lims"] + path
        if !spec.subcommands.isEmpty && spec.run == nil {
            parts.append("[<options>] <subcommand>")
        } else {
            if !spec.options.isEmpty || path.isEmpty { parts.append("[<options>]") }
            for argument in spec.arguments {
                let name = "<\(argument.name)>" + (argument.variadic ? " ..." : "")
                parts.append(argument.optional ? "[\(name)]" : name)
            }
        }
        return parts.joined(separator: " ")
    }

    static func help(_ spec: CommandSpec, path: [String]) -> String {
        var lines = ["OVERVIEW: \(spec.abstract)"]
        if let discussion = spec.discussion { lines += ["", discussion] }
        lines += ["", "USAGE: \(usageLine(spec, path: path))"]
        if !spec.arguments.isEmpty {
            lines += ["", "ARGUMENTS:"]
            lines += columns(spec.arguments.map { ("<\($0.name)>", $0.help) })
        }
        let options = spec.options + GlobalOptions.all
        lines += ["", "OPTIONS:"]
        lines += columns(options.map { option in
            var left = option.short.map { "-\($0), " } ?? ""
            left += "--\(option.name)"
            if let value = option.valueName { left += " <\(value)>" }
            var help = option.help
            if option.repeatable { help += " (repeatable)" }
            return (left, help)
        })
        if !spec.subcommands.isEmpty {
            lines += ["", "SUBCOMMANDS:"]
            lines += columns(spec.subcommands.filter { !$0.hidden }.map { ($0.name, $0.abstract) })
            lines += ["", "  See 'lims \((path + ["<subcommand>"]).joined(separator: " ")) --help' for detailed help."]
        }
        if !spec.examples.isEmpty {
            lines += ["", "EXAMPLES:"] + spec.examples.map { "  " + $0 }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func columns(_ rows: [(String, String)]) -> [String] {
        let width = min(max(rows.map(\.0.count).max() ?? 0, 10), 30)
        return rows.map { left, right in
            if left.count > width {
                return "  \(left)\n  " + String(repeating: " ", count: width + 2) + right
            }
            return "  " + left.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + right
        }
    }
}
