import Foundation

/// Checks of single fields before anything is written; each failure names the field,
/// the value and what was expected. CHECK constraints in the schema are the backstop.
public enum Validate {
    public static func code(_ value: String, field: String) throws {
        if value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw StoreError.invalidValue(field: field, value: value, expected: "a non-empty code")
        }
        if value != value.trimmingCharacters(in: .whitespacesAndNewlines) {
            throw StoreError.invalidValue(field: field, value: value,
                                          expected: "a code without leading or trailing spaces")
        }
    }

    public static func nonNegative(_ value: Double, field: String, unit: String) throws {
        guard value.isFinite, value >= 0 else {
            throw StoreError.invalidValue(field: field, value: format(value), expected: "a number ≥ 0 \(unit)")
        }
    }

    public static func positive(_ value: Double, field: String, unit: String) throws {
        guard value.isFinite, value > 0 else {
            throw StoreError.invalidValue(field: field, value: format(value), expected: "a number > 0 \(unit)")
        }
    }

    public static func range(_ value: Double, _ range: ClosedRange<Double>, field: String, unit: String) throws {
        guard value.isFinite, range.contains(value) else {
            throw StoreError.invalidValue(field: field, value: format(value),
                                          expected: "a number from \(format(range.lowerBound)) to \(format(range.upperBound)) \(unit)")
        }
    }

    /// A calendar date written YYYY-MM-DD (nil passes).
    public static func date(_ value: String?, field: String) throws {
        guard let value else { return }
        guard isISODate(value) else {
            throw StoreError.invalidValue(field: field, value: value, expected: expectedDate(value))
        }
    }

    /// What a refused date should have been: written YYYY-MM-DD, and a day that exists —
    /// "2018-02-30" is written right, so saying "written YYYY-MM-DD" alone would mislead.
    public static func expectedDate(_ value: String) -> String {
        let parts = value.split(separator: "-", omittingEmptySubsequences: false)
        guard value.utf8.count == 10, parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              parts.allSatisfy({ $0.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } }) else {
            return "a date written YYYY-MM-DD"
        }
        guard (1...12).contains(month) else { return "a date written YYYY-MM-DD with a month from 01 to 12" }
        let days = daysIn(month: month, year: year)
        guard day >= 1 && day <= days else {
            return "a date that exists (\(parts[0])-\(parts[1]) has \(days) days)"
        }
        return "a date written YYYY-MM-DD"
    }

    /// Days of a month of the Gregorian calendar, leap years counted.
    static func daysIn(month: Int, year: Int) -> Int {
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        switch month {
        case 2: return leap ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// `YYYY-MM-DD` with ASCII digits only and a day that exists (leap years counted): the text
    /// SQLite's `date()` gives back unchanged, so the schema's CHECK on dates never refuses one.
    public static func isISODate(_ value: String) -> Bool {
        var value = value
        return value.withUTF8 { bytes in
            guard bytes.count == 10, bytes[4] == 0x2D, bytes[7] == 0x2D else { return false }
            func number(_ range: Range<Int>) -> Int? {
                var result = 0
                for index in range {
                    let digit = Int(bytes[index]) - 0x30
                    guard digit >= 0 && digit <= 9 else { return nil }
                    result = result * 10 + digit
                }
                return result
            }
            guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
                  (1...12).contains(month), day >= 1 else { return false }
            return day <= daysIn(month: month, year: year)
        }
    }

    /// A number as a person writes it: no trailing ".0", and at most 10 significant digits, so
    /// unit conversions (228.803928 ppb × 0.001) print as 0.228803928, not 0.22880392800000002.
    public static func format(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        let shortest = String(value)
        if shortest.count <= 12 || !value.isFinite { return shortest }
        return String(format: "%.10g", value)
    }
}

extension JSONText {
    public static func encodeArray(_ values: [String]) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: values),
              let text = String(data: data, encoding: .utf8) else { return "[]" }
        return text
    }
}

extension LabStore {
    /// Tables whose codes can be suggested.
    public enum CodeTable: String {
        case site, treatment, plot, sample
    }

    /// The one rule for codes (sites, treatments, plots, samples) in queries, registration and
    /// imports: a code is written as registered, but matched ignoring case — `t1-a` finds `T1-A`,
    /// and `t1-a` cannot be registered beside `T1-A` (instrument labels are matched the same way,
    /// see SampleMatcher). Returns the registered spelling: the exact code when there is one,
    /// else the one code equal ignoring case; nil when none. Two registered codes equal ignoring
    /// case (possible in a database older than this rule) make a case-different lookup ambiguous.
    public func registeredCode(_ table: CodeTable, matching code: String) throws -> String? {
        let exact: String, loose: String
        switch table {
        case .site: (exact, loose) = ("SELECT code FROM site WHERE code = ?", "SELECT code FROM site WHERE lower(code) = lower(?) ORDER BY code LIMIT 2")
        case .treatment: (exact, loose) = ("SELECT code FROM treatment WHERE code = ?", "SELECT code FROM treatment WHERE lower(code) = lower(?) ORDER BY code LIMIT 2")
        case .plot: (exact, loose) = ("SELECT code FROM plot WHERE code = ?", "SELECT code FROM plot WHERE lower(code) = lower(?) ORDER BY code LIMIT 2")
        case .sample: (exact, loose) = ("SELECT code FROM sample WHERE code = ?", "SELECT code FROM sample WHERE lower(code) = lower(?) ORDER BY code LIMIT 2")
        }
        if let found = try db.scalar(exact, [code])?.string { return found }
        let matches = try db.rows(loose, [code]).compactMap { $0.string("code") }
        guard matches.count < 2 else {
            throw StoreError.invalidValue(field: "\(table.rawValue) code", value: code,
                                          expected: "one of the registered codes \(matches.joined(separator: " and ")) written exactly "
                                              + "(they differ only in case)")
        }
        return matches.first
    }

    /// The existing codes closest to a mistyped one.
    public func suggestions(table: CodeTable, for input: String) throws -> [String] {
        let sql: String
        switch table {
        case .site: sql = "SELECT code FROM site"
        case .treatment: sql = "SELECT code FROM treatment"
        case .plot: sql = "SELECT code FROM plot"
        case .sample: sql = "SELECT code FROM sample"
        }
        return Suggestions.closest(to: input, among: try db.rows(sql).compactMap { $0.string("code") })
    }
}
