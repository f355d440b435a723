/// The lab's QC acceptance limits (`qc_setting`, `lims qc settings`), with the defaults of
/// migration 0010 when a key is absent.
public struct QCSettings: Sendable, Equatable {
    public var crmRecovery: ClosedRange<Double> = 90...110
    public var ccvRecovery: ClosedRange<Double> = 90...110
    public var duplicateRPDMax = 20.0
    public var duplicateDLMultiple = 10.0
    public var duplicateNearDLMultiple = 5.0

    public init() {}

    public static let keys = ["crm_recovery_low", "crm_recovery_high", "ccv_recovery_low", "ccv_recovery_high",
                              "duplicate_rpd_max", "duplicate_dl_multiple", "duplicate_near_dl_multiple"]

    static func values(_ store: LabStore) throws -> [String: Double] {
        var values: [String: Double] = [:]
        try store.db.cachedStatement("SELECT key, value FROM qc_setting").forEachRow { row in
            if let key = row.string("key"), let value = row.double("value") { values[key] = value }
        }
        return values
    }

    public static func load(_ store: LabStore) throws -> QCSettings {
        let values = try values(store)
        var settings = QCSettings()
        // `set` keeps each low ≤ its high, so the ranges are valid.
        settings.crmRecovery = (values["crm_recovery_low"] ?? 90)...(values["crm_recovery_high"] ?? 110)
        settings.ccvRecovery = (values["ccv_recovery_low"] ?? 90)...(values["ccv_recovery_high"] ?? 110)
        settings.duplicateRPDMax = values["duplicate_rpd_max"] ?? 20
        settings.duplicateDLMultiple = values["duplicate_dl_multiple"] ?? 10
        settings.duplicateNearDLMultiple = values["duplicate_near_dl_multiple"] ?? 5
        return settings
    }

    /// Changes one limit (one transaction, one audit row). A low limit may not pass its high one.
    public static func set(_ key: String, to value: Double, store: LabStore) throws {
        guard keys.contains(key) else {
            throw StoreError.invalidValue(field: "qc setting", value: key, expected: "one of " + keys.joined(separator: ", "))
        }
        guard value.isFinite, value >= 0 else {
            throw StoreError.invalidValue(field: key, value: Validate.format(value), expected: "a number >= 0")
        }
        try store.write {
            let old = try values(store)[key]
            try store.db.execute("""
                INSERT INTO qc_setting (key, value, note) VALUES (?, ?, 'set by lims qc settings')
                ON CONFLICT(key) DO UPDATE SET value = excluded.value
                """, [key, value])
            let family = key.hasSuffix("_low") ? String(key.dropLast(4)) : key.hasSuffix("_high") ? String(key.dropLast(5)) : nil
            if let family {
                let now = try values(store)
                let low = now[family + "_low"] ?? 90, high = now[family + "_high"] ?? 110
                if low > high {
                    throw StoreError.invalidValue(field: key, value: Validate.format(value),
                                                  expected: "\(family)_low (\(Validate.format(low))) not above \(family)_high (\(Validate.format(high)))")
                }
            }
            try store.audit(action: "update", table: "qc_setting", recordID: nil, batchID: nil,
                            summary: "QC limit \(key): \(old.map(Validate.format) ?? "default") → \(Validate.format(value))",
                            reason: "lims qc settings")
        }
    }
}
