/// How a measured value is shown: censored values as the lab writes them (`<0.01`,
/// `>500`, `nd`), never as a bare number, so nobody copies a detection limit as a result.
public enum ReportedValue {
    /// True for values below detection or over range (they have no plain number).
    public static func isCensored(_ qualifier: String) -> Bool {
        qualifier == "<" || qualifier == ">" || qualifier == "nd"
    }

    /// The text to print for a value with its qualifier and detection limit.
    public static func text(value: Double?, qualifier: String, detectionLimit: Double?) -> String {
        switch qualifier {
        case "=": return value.map(Validate.format) ?? ""
        case "<":
            if let limit = detectionLimit ?? value { return "<" + Validate.format(limit) }
            return "<DL"
        case ">": return value.map { ">" + Validate.format($0) } ?? ">"
        case "nd": return detectionLimit.map { "<" + Validate.format($0) } ?? "nd"
        default: return qualifier
        }
    }

    /// A table cell: a number when uncensored, the censored text otherwise (JSON keeps it as text).
    public static func cell(value: Double?, qualifier: String, detectionLimit: Double?) -> Cell {
        let display = text(value: value, qualifier: qualifier, detectionLimit: detectionLimit)
        if qualifier == "=", let value { return .number(value, display: display) }
        return display.isEmpty ? .null : .text(display)
    }

    static func cell(_ row: Row, value: String = "value", qualifier: String = "qualifier",
                     detectionLimit: String = "detection_limit") -> Cell {
        cell(value: row.double(value), qualifier: row.string(qualifier) ?? "=", detectionLimit: row.double(detectionLimit))
    }
}
