/// A WHERE (or ON) clause assembled from fixed SQL fragments written in this module;
/// every value is a bound `?` parameter, so nothing a user types ever becomes SQL text.
struct SQLConditions {
    private(set) var fragments: [String] = []
    private(set) var arguments: [any SQLValueConvertible] = []

    var isEmpty: Bool { fragments.isEmpty }

    /// Adds a fragment whose `?` placeholders take `values` in order.
    mutating func add(_ fragment: String, _ values: any SQLValueConvertible...) {
        fragments.append(fragment)
        arguments.append(contentsOf: values)
    }

    /// `column IN (?, ?, …)` with one placeholder per value; `column` is a fixed expression.
    mutating func addIn<Value: SQLValueConvertible>(_ column: String, _ values: [Value], negated: Bool = false) {
        let placeholders = Array(repeating: "?", count: values.count).joined(separator: ", ")
        fragments.append("\(column) \(negated ? "NOT IN" : "IN") (\(placeholders))")
        arguments.append(contentsOf: values.map { $0 as any SQLValueConvertible })
    }

    /// Adds a fragment built around another clause (e.g. an EXISTS subquery) with its arguments.
    mutating func add(_ fragment: String, arguments values: [any SQLValueConvertible]) {
        fragments.append(fragment)
        arguments.append(contentsOf: values)
    }

    /// `expression` contains `needle`, ignoring case: a LIKE with the needle's own % and _ escaped,
    /// written the same for both engines (SQLite's instr and PostgreSQL's strpos differ).
    mutating func addContains(_ expression: String, _ needle: String) {
        fragments.append(Self.containsFragment(expression))
        arguments.append(Self.containsPattern(needle))
    }

    static func containsFragment(_ expression: String) -> String {
        "lower(\(expression)) LIKE lower(?) ESCAPE '\\'"
    }

    static func containsPattern(_ needle: String) -> String {
        var escaped = ""
        for c in needle {
            if c == "\\" || c == "%" || c == "_" { escaped.append("\\") }
            escaped.append(c)
        }
        return "%" + escaped + "%"
    }

    mutating func append(_ other: SQLConditions) {
        fragments += other.fragments
        arguments += other.arguments
    }

    /// The conditions joined with AND (empty when there are none).
    var joined: String { fragments.joined(separator: "\n   AND ") }

    /// ` WHERE …` or nothing.
    var whereClause: String { isEmpty ? "" : "\nWHERE " + joined }

    /// ` AND …` after an ON clause, or nothing.
    var andClause: String { isEmpty ? "" : "\n   AND " + joined }
}
