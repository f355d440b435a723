/// Errors of the lab's store in the lab's words: each names the record or field,
/// the value, and what was expected.
public enum StoreError: Error, CustomStringConvertible, Equatable {
    case noDatabase(path: String)
    case newerSchema(path: String, databaseVersion: Int, knownVersion: Int)
    case olderSchema(path: String, databaseVersion: Int, knownVersion: Int)
    case foreignKeyViolations(context: String, count: Int)
    /// A referenced record does not exist, e.g. `plot "P9"`.
    case notFound(kind: String, key: String, suggestions: [String])
    /// A record with that key exists already.
    case duplicate(kind: String, key: String)
    /// A new code equal, ignoring case, to a registered one (codes are matched ignoring case).
    case duplicateIgnoringCase(kind: String, key: String, registered: String)
    /// A field holds a value that cannot be right.
    case invalidValue(field: String, value: String, expected: String)

    public var description: String {
        switch self {
        case .noDatabase(let path):
            return "no LIMS database at \(path); create it with `lims --db \(path) init`"
        case .newerSchema(let path, let version, let known):
            return "\(path) was written by a newer Tailings LIMS (schema version \(version)); "
                + "this lims knows versions up to \(known). Use a newer lims; the file was not changed"
        case .olderSchema(let path, let version, let known):
            return "\(path) has schema version \(version) but this lims needs \(known); "
                + "upgrade it with `lims --db \(path) init` (back it up first if you like)"
        case .foreignKeyViolations(let context, let count):
            return "\(context): \(count) foreign-key violation(s); nothing was written"
        case .notFound(let kind, let key, let suggestions):
            var text = "\(kind) \"\(key)\" does not exist"
            if !suggestions.isEmpty {
                text += "; did you mean " + suggestions.map { "\"\($0)\"" }.joined(separator: ", ") + "?"
            }
            return text
        case .duplicate(let kind, let key):
            return "\(kind) \"\(key)\" already exists"
        case .duplicateIgnoringCase(let kind, let key, let registered):
            return "\(kind) \"\(key)\" already exists as \"\(registered)\" (codes are matched ignoring case, so both cannot be registered)"
        case .invalidValue(let field, let value, let expected):
            return "\(field): \"\(value)\" is not valid; expected \(expected)"
        }
    }
}

extension StoreError {
    /// `duplicate`, or `duplicateIgnoringCase` when the registered code is spelt differently.
    static func duplicate(kind: String, key: String, registered: String) -> StoreError {
        registered == key ? .duplicate(kind: kind, key: key) : .duplicateIgnoringCase(kind: kind, key: key, registered: registered)
    }
}
