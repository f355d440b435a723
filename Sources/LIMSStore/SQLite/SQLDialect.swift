/// The few pieces of SQL the two engines spell differently. Everything else is written once;
/// a query that needs one of these asks `db.dialect` for it (values stay bound parameters).
public struct SQLDialect: Sendable {
    public let engine: Database.Engine

    /// The values of `separator`-joined `expression` of a group (`group_concat` / `string_agg`).
    /// The separator is our own constant text, never a user's value.
    public func joined(_ expression: String, separator: String, distinct: Bool = false) -> String {
        let quoted = "'" + separator.replacingOccurrences(of: "'", with: "''") + "'"
        switch engine {
        case .sqlite:
            // SQLite's DISTINCT aggregate takes one argument; its default separator is ",".
            return distinct ? "group_concat(DISTINCT \(expression))" : "group_concat(\(expression), \(quoted))"
        case .postgresql:
            return "string_agg(\(distinct ? "DISTINCT " : "")CAST(\(expression) AS text), \(distinct ? "','" : quoted))"
        }
    }

    /// An integer expression as text left-padded with zeros to `width` digits (sort keys of paths).
    public func zeroPadded(_ expression: String, width: Int) -> String {
        switch engine {
        case .sqlite: return "printf('%0\(width)d', \(expression))"
        case .postgresql: return "lpad(CAST(\(expression) AS text), \(width), '0')"
        }
    }

    /// True when `haystack` contains `needle` (both text expressions).
    public func contains(_ haystack: String, _ needle: String) -> String {
        switch engine {
        case .sqlite: return "instr(\(haystack), \(needle)) > 0"
        case .postgresql: return "strpos(\(haystack), \(needle)) > 0"
        }
    }

    /// A subquery of the elements of a JSON array bound at `parameter` (e.g. `?`), as integers or text:
    /// how a list of ids or codes is passed as one bound value.
    public func jsonArrayElements(_ parameter: String, integers: Bool) -> String {
        switch engine {
        case .sqlite: return "SELECT value FROM json_each(\(parameter))"
        case .postgresql:
            return integers ? "SELECT CAST(v AS bigint) FROM json_array_elements_text(CAST(\(parameter) AS json)) AS e(v)"
                : "SELECT v FROM json_array_elements_text(CAST(\(parameter) AS json)) AS e(v)"
        }
    }

    /// The LIMIT argument meaning "no limit" (SQLite: -1, PostgreSQL: NULL).
    public var noLimit: SQLValue { engine == .sqlite ? .integer(-1) : .null }
}

extension Database {
    public var dialect: SQLDialect { SQLDialect(engine: engine) }
}
