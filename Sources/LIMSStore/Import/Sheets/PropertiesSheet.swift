/// `properties`: soil properties in long form, one value per row (pH, CEC, exchangeable
/// cations, C, N). Units are converted to the canonical one (cmol+/kg, %), keeping the
/// original unit and the text as written. `<0.05` is kept as below detection (qualifier '<',
/// detection limit 0.05, value empty) — never zero. Each value records its import batch;
/// `--replace` retires the replaced batch's values (status 'retired') and inserts the new ones.
public struct PropertiesSheet: SheetImporter {
    public init() {}
    public let kind = "properties"
    public let summary = "Soil properties, one value per row: pH_H2O, CEC, exch_Al/Ca/K/Mg/Na (cmol+/kg), TOC/TN/TC (%)."
    public let columns: [SheetColumn] = [
        SheetColumn("sample", required: true, help: "sample code as registered", example: "M1-S"),
        SheetColumn("property", required: true, help: SoilPropertyUnits.all.map(\.name).joined(separator: ", "), example: "pH_H2O"),
        SheetColumn("value", required: true, help: "the number; <DL for below detection (e.g. <0.05); nd, na, nm", example: "4.52"),
        SheetColumn("unit", help: "pH: empty or pH; CEC and exch_*: cmol+/kg, cmol/kg, meq/100g; TOC/TN/TC: %, g/kg, mg/kg", example: ""),
        SheetColumn("method", help: "e.g. water 1:2.5, cobalt hexamine, dry combustion", example: "water 1:2.5"),
        SheetColumn("measured_on", help: "date of measurement, YYYY-MM-DD", example: "2018-08-20"),
    ]

    public func prepare(context: SheetImportContext) throws {
        guard let replaced = context.replacing else { return }
        let db = context.store.db
        let old = try db.rows("""
            SELECT p.id, p.sample_id, p.property, p.raw_text, p.unit, s.code FROM soil_property p
            JOIN sample s ON s.id = p.sample_id WHERE p.batch_id = ? AND p.status = 'valid' ORDER BY p.id
            """, [replaced.id])
        for value in old {
            let id = value.int64("id")!
            try db.execute("UPDATE soil_property SET status = 'retired' WHERE id = ?", [id])
            let label = "\(value.string("property") ?? "") of \(value.string("code") ?? "")"
            try context.store.audit(action: "retire", table: "soil_property", recordID: id, sampleID: value.int64("sample_id"),
                                    batchID: context.batchID, summary: "\(label) (\(value.string("raw_text") ?? "")) retired: batch \(replaced.id) replaced",
                                    oldValue: ["status": "valid"], newValue: ["status": "retired"], reason: context.auditReason)
            context.counts.retired += 1
            context.note("retire", table: "soil_property", label: label, line: nil)
        }
    }

    public func importRow(_ row: SheetRow, context: SheetImportContext) throws {
        let db = context.store.db
        let sample = try context.sample(row, column: "sample")
        let sampleID = sample.int64("id")!
        let code = sample.string("code") ?? ""
        let name = try row.requiredText("property")
        guard let property = SoilPropertyUnits.property(named: name) else {
            let names = SoilPropertyUnits.all.map(\.name)
            let close = Suggestions.closest(to: name, among: names).first.map { " (did you mean \"\($0)\"?)" } ?? ""
            throw row.error("property", value: name, expected: "one of " + names.joined(separator: ", ") + close)
        }
        let unitText = row.text("unit") ?? ""
        guard let factor = SoilPropertyUnits.factor(unitText, for: property) else {
            throw row.error("unit", value: unitText, expected: "a unit of \(property.name): "
                            + SoilPropertyUnits.acceptedList(for: property)
                            + (unitText.isEmpty ? " (the unit is required)" : " (unknown unit)"))
        }
        let raw = try row.requiredText("value")
        let reading = try CensoredValue.parse(raw, row: row, column: "value")
        let value = reading.number.map { $0 * factor }
        let limit = reading.detectionLimit.map { $0 * factor }
        if let value {
            if value < property.minimum || (property.maximum.map { value > $0 } ?? false) {
                let range = property.maximum.map { "from \(Validate.format(property.minimum)) to \(Validate.format($0))" }
                    ?? "≥ \(Validate.format(property.minimum))"
                throw row.error("value", value: raw, expected: "a \(property.name) \(range)"
                                + (property.unit.isEmpty ? "" : " \(property.unit)") + (factor != 1 ? " after conversion from \(unitText)" : ""))
            }
        }
        let method = row.text("method")
        let measuredOn = try row.date("measured_on")
        let unitChanged = factor != 1 || (!unitText.isEmpty && unitText != property.unit)
        let label = "\(property.name) of \(code)"
        let same = try db.rows("""
            SELECT id, batch_id, value, qualifier, detection_limit, unit, raw_text FROM soil_property
            WHERE sample_id = ? AND property = ? AND method IS NOT DISTINCT FROM ? AND measured_on IS NOT DISTINCT FROM ? AND status = 'valid'
            """, [sampleID, property.name, method, measuredOn])
        if let twice = same.first(where: { $0.int64("batch_id") == context.batchID }),
           let line = context.touched["soil_property"]?[twice.int64("id")!] {
            throw row.error("property", "\(label) appears twice in this file (first on line \(line)) with the same method and date")
        }
        let identical = same.first {
            SheetImportContext.same($0["value"], value.sql) && $0.string("qualifier") == reading.qualifier
                && SheetImportContext.same($0["detection_limit"], limit.sql) && $0.string("unit") == property.unit
        }
        if identical != nil {
            context.counts.unchanged += 1
            context.note("unchanged", table: "soil_property", label: label, line: row.line)
            return
        }
        if let other = same.first {
            context.warn(row, column: "value", "\(label) already has a valid value \(other.string("raw_text") ?? "") "
                         + "(batch \(other.int64("batch_id").map(String.init) ?? "-")) for the same method and date; both are kept")
        }
        let id = try db.insert("""
            INSERT INTO soil_property (sample_id, batch_id, property, value, raw_text, unit, original_unit, qualifier,
                                       detection_limit, method, measured_on)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id
            """, [sampleID, context.batchID, property.name, value, raw, property.unit,
                  unitChanged ? unitText : nil, reading.qualifier, limit, method, measuredOn])
        context.markTouched(table: "soil_property", id: id, line: row.line)
        try context.store.audit(action: "insert", table: "soil_property", recordID: id, sampleID: sampleID,
                                batchID: context.batchID, summary: "\(label) = \(raw) \(unitText) from \(context.fileName) line \(row.line)",
                                newValue: ["property": property.name, "value": value as Any, "raw_text": raw,
                                           "unit": property.unit, "qualifier": reading.qualifier,
                                           "detection_limit": limit as Any],
                                reason: context.auditReason)
        context.counts.inserted += 1
        context.counts.values += 1
        if reading.qualifier == "<" { context.counts.censored += 1 }
        context.note("insert", table: "soil_property", label: "\(label) = \(raw)\(unitText.isEmpty ? "" : " " + unitText)", line: row.line)
    }
}

/// A value cell as written in a lab sheet: a number, `<DL`, `>limit`, or a word for "no value".
struct CensoredValue {
    var number: Double?
    var qualifier: String
    var detectionLimit: Double?

    static func parse(_ raw: String, row: SheetRow, column: String) throws -> CensoredValue {
        let text = raw.trimmingCharacters(in: .whitespaces)
        switch text.lowercased() {
        case "nd", "n.d.", "n.d", "not detected", "bdl": return CensoredValue(number: nil, qualifier: "nd")
        case "na", "n/a", "n.a.", "failed": return CensoredValue(number: nil, qualifier: "na")
        case "nm", "n.m.", "not measured": return CensoredValue(number: nil, qualifier: "nm")
        default: break
        }
        if let first = text.first, first == "<" || first == ">" {
            let rest = String(text.dropFirst()).trimmingCharacters(in: .whitespaces)
            guard let limit = row.parseNumber(rest), limit.isFinite, limit >= 0 else {
                throw row.error(column, value: raw, expected: "a number, or \(first) followed by a number ≥ 0 (e.g. \(first)0.05)")
            }
            // Below detection keeps the limit and no value; over range keeps the text only.
            return first == "<" ? CensoredValue(number: nil, qualifier: "<", detectionLimit: limit)
                                : CensoredValue(number: nil, qualifier: ">", detectionLimit: nil)
        }
        guard let number = row.parseNumber(text), number.isFinite else {
            throw row.error(column, value: raw, expected: "a number, <DL (e.g. <0.05), nd, na or nm")
        }
        return CensoredValue(number: number, qualifier: "=")
    }
}
