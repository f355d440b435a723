/// What a command accepts: options, positional arguments, subcommands, and what it does.
/// The parser reads these specs; help text is generated from them, so help and behaviour
/// cannot drift apart.
struct OptionSpec: Sendable {
    /// Long name without dashes, e.g. "treatment".
    let name: String
    /// One-letter short name, e.g. "o".
    var short: Character? = nil
    /// Name of the value in help (`--treatment <code>`); nil for a flag.
    var valueName: String? = nil
    let help: String
    /// The option may be given several times (`--treatment a --treatment b`).
    var repeatable = false
    /// Allowed values, checked by the parser (e.g. table, csv, json).
    var choices: [String]? = nil
    /// Older spellings still accepted but not shown in help (e.g. --dir for -o/--out).
    var aliases: [String] = []

    var isFlag: Bool { valueName == nil }

    static func flag(_ name: String, short: Character? = nil, help: String) -> OptionSpec {
        OptionSpec(name: name, short: short, valueName: nil, help: help)
    }

    static func value(_ name: String, short: Character? = nil, _ valueName: String, help: String,
                      repeatable: Bool = false, choices: [String]? = nil, aliases: [String] = []) -> OptionSpec {
        OptionSpec(name: name, short: short, valueName: valueName, help: help, repeatable: repeatable, choices: choices,
                   aliases: aliases)
    }

    /// `-o/--out`: the one name of every option that says where a command writes.
    static func out(_ valueName: String, help: String, aliases: [String] = []) -> OptionSpec {
        .value("out", short: "o", valueName, help: help, aliases: aliases)
    }
}

struct ArgumentSpec: Sendable {
    let name: String
    let help: String
    var optional = false
    /// Takes all remaining arguments.
    var variadic = false
}

struct CommandSpec: Sendable {
    let name: String
    let abstract: String
    var discussion: String? = nil
    var arguments: [ArgumentSpec] = []
    var options: [OptionSpec] = []
    var subcommands: [CommandSpec] = []
    var examples: [String] = []
    /// Left out of help, the manual and completion (e.g. `completion values`, used by the scripts).
    var hidden = false
    /// Runs the command; returns the exit code. Nil for a command that only groups subcommands.
    var run: (@Sendable (Invocation) throws -> Int32)? = nil
}

/// Options every command accepts.
enum GlobalOptions {
    static let all: [OptionSpec] = [
        .value("db", "path", help: "The database file, or postgresql://user@host[:port]/dbname (default: $LIMS_DB, else ./lims.sqlite)."),
        .value("operator", "name", help: "Who is making the change (default: $LIMS_OPERATOR, else $USER, else the account name)."),
        .flag("help", short: "h", help: "Show help information."),
    ]
}

/// The output format option shared by listing commands.
enum FormatOption {
    static let table = OptionSpec.value("format", "format", help: "Output format: table, csv or json (default: table).",
                                        choices: ["table", "csv", "json"])
    /// CSV of query and export commands: opt out of the formula guard (see CSVField).
    static let raw = OptionSpec.flag("raw", help: "CSV: write text cells as stored (by default a cell starting with =, +, -, @, tab or CR gets a leading ' so spreadsheets do not run it as a formula).")
}
