/// A value as SQLite stores it. Every value that reaches SQL goes through this type
/// and is bound as a parameter; SQL text is never built from values.
public enum SQLValue: Sendable, Equatable, CustomStringConvertible {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])

    public var description: String {
        switch self {
        case .null: return "NULL"
        case .integer(let v): return String(v)
        case .real(let v): return String(v)
        case .text(let v): return v
        case .blob(let v): return "<\(v.count) bytes>"
        }
    }

    public var isNull: Bool { self == .null }

    public var int64: Int64? {
        switch self {
        case .integer(let v): return v
        case .real(let v): return Int64(exactly: v)
        case .text(let v): return Int64(v)
        default: return nil
        }
    }

    public var int: Int? { int64.map { Int($0) } }

    public var double: Double? {
        switch self {
        case .integer(let v): return Double(v)
        case .real(let v): return v
        case .text(let v): return Double(v)
        default: return nil
        }
    }

    public var string: String? {
        switch self {
        case .null, .blob: return nil
        case .integer(let v): return String(v)
        case .real(let v): return String(v)
        case .text(let v): return v
        }
    }
}

/// Anything that can be bound as a statement argument.
public protocol SQLValueConvertible: Sendable {
    var sqlValue: SQLValue { get }
}

extension SQLValue: SQLValueConvertible {
    public var sqlValue: SQLValue { self }
}
extension Int: SQLValueConvertible {
    public var sqlValue: SQLValue { .integer(Int64(self)) }
}
extension Int64: SQLValueConvertible {
    public var sqlValue: SQLValue { .integer(self) }
}
extension Double: SQLValueConvertible {
    public var sqlValue: SQLValue { self.isNaN ? .null : .real(self) }
}
extension String: SQLValueConvertible {
    public var sqlValue: SQLValue { .text(self) }
}
extension Substring: SQLValueConvertible {
    public var sqlValue: SQLValue { .text(String(self)) }
}
extension Bool: SQLValueConvertible {
    public var sqlValue: SQLValue { .integer(self ? 1 : 0) }
}
extension Optional: SQLValueConvertible where Wrapped: SQLValueConvertible {
    public var sqlValue: SQLValue {
        switch self {
        case .none: return .null
        case .some(let v): return v.sqlValue
        }
    }
}
