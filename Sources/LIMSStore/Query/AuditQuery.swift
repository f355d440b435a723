import Foundation
/// `lims log`: the audit log, filtered. The log itself is append-only (schema triggers).
public struct AuditFilter: Sendable {
    public var sampleCode: String?
    /// Dates (YYYY-MM-DD) or timestamps; inclusive.
    public var since: String?
    public var until: String?
    public var table: String?
    public var action: String?
    public var operatorName: String?
    public var recordID: Int64?
    public init() {}
}

extension LabStore {
    public func queryAudit(_ filter: AuditFilter) throws -> QueryRows {
        var conditions = SQLConditions()
        if let code = filter.sampleCode {
            // History outlives records: a sample's entries are found by its id, which must exist.
            conditions.add("a.sample_id = ?", try requireSample(code: code).id)
        }
        if let since = filter.since { conditions.add("a.at >= ?", since) }
        if let until = filter.until {
            // A date means the whole day.
            if until.count == 10, let nextDay = Self.dayAfter(until) {
                conditions.add("a.at < ?", nextDay)
            } else {
                conditions.add("a.at <= ?", until)
            }
        }
        if let table = filter.table { conditions.add("a.table_name = ?", table) }
        if let action = filter.action { conditions.add("a.action = ?", action) }
        if let name = filter.operatorName { conditions.add("a.operator = ?", name) }
        if let record = filter.recordID { conditions.add("a.record_id = ?", record) }
        let sql = """
            SELECT a.*, s.code AS sample_code FROM audit_log a LEFT JOIN sample s ON s.id = a.sample_id\(conditions.whereClause)
            ORDER BY a.id
            """
        let columns = ["id", "at", "operator", "action", "table", "record", "sample", "batch", "summary", "reason",
                       "old_value", "new_value"]
        return queryRows(columns: columns, sql: sql, arguments: conditions.arguments) { row in
            [.integer(row.int64("id") ?? 0), .optionalText(row.string("at")), .optionalText(row.string("operator")),
             .optionalText(row.string("action")), .optionalText(row.string("table_name")),
             row.int64("record_id").map(Cell.integer) ?? .null, .optionalText(row.string("sample_code")),
             row.int64("batch_id").map(Cell.integer) ?? .null, .optionalText(row.string("summary")),
             .optionalText(row.string("reason")), .optionalText(row.string("old_value")),
             .optionalText(row.string("new_value"))]
        }
    }

    /// `2026-03-01` → `2026-03-02` (UTC calendar), the bound end of a whole-day filter.
    static func dayAfter(_ date: String) -> String? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = date.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, let day = calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2])),
              let next = calendar.date(byAdding: .day, value: 1, to: day) else { return nil }
        let c = calendar.dateComponents([.year, .month, .day], from: next)
        return String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
    }
}
