import Foundation

/// Certified reference materials and their values (`crm_certified_value`): matched to QC rows by
/// name, loaded from a CRM sheet (`lims crm import`), listed (`lims crm list|show`).
public struct CRMValue: Sendable, Equatable {
    public var crmName: String
    public var analyte: String
    public var value: Double
    public var unit: String
    public var uncertainty: Double?
    public var citation: String?
    /// certified, reference, information, consensus, in-house.
    public var kind: String

    /// Only certified, reference, consensus and in-house values judge a batch; information values are shown.
    public var judges: Bool { kind != "information" }
}

public enum CRMCatalog {
    /// The CRM sheet (`lims template crm`): one certified value per row.
    public static let columns: [SheetColumn] = [
        SheetColumn("crm", required: true, help: "the CRM's name as on its certificate", example: "OREAS 465"),
        SheetColumn("analyte", required: true, help: "element symbol", example: "La"),
        SheetColumn("value", required: true, help: "the certified mass fraction", example: "2340"),
        SheetColumn("unit", required: true, help: "mg/kg, µg/g, ppm (a solid), % or wt%", example: "mg/kg"),
        SheetColumn("uncertainty", help: "the expanded uncertainty in the same unit", example: "60"),
        SheetColumn("kind", help: "certified (default), reference, information, consensus or in-house", example: "certified"),
        SheetColumn("citation", help: "the certificate or paper", example: "OREAS 465 certificate, 2019"),
    ]

    public static let kinds = ["certified", "reference", "information", "consensus", "in-house"]

    /// `OREAS 45d`, `oreas-45d`, `OREAS45D`, `NIST SRM 2711a`, `SRM2711a`, `2711a` → one key:
    /// case, spaces, dashes, dots and the NIST/SRM prefixes ignored.
    public static func key(_ name: String) -> String {
        var text = name.uppercased().filter { $0.isLetter || $0.isNumber }
        for prefix in ["NISTSRM", "NIST", "SRM"] where text.hasPrefix(prefix) && text.count > prefix.count {
            text.removeFirst(prefix.count)
            break
        }
        return text
    }

    public static func all(_ store: LabStore) throws -> [CRMValue] {
        try store.db.rows("""
            SELECT crm_name, analyte, value, unit, uncertainty, citation, value_kind FROM crm_certified_value
            ORDER BY crm_name
            """).map(value(from:))
            .sorted { $0.crmName != $1.crmName ? $0.crmName < $1.crmName : AnalyteOrder.areInOrder($0.analyte, $1.analyte) }
    }

    static func value(from row: Row) -> CRMValue {
        CRMValue(crmName: row.string("crm_name") ?? "", analyte: row.string("analyte") ?? "", value: row.double("value") ?? 0,
                 unit: row.string("unit") ?? "", uncertainty: row.double("uncertainty"), citation: row.string("citation"),
                 kind: row.string("value_kind") ?? "certified")
    }

    /// Values of the CRM a QC row names (`OREAS 45d` measured as `Oreas 45d`), by element.
    public static func values(for label: String, in all: [CRMValue]) -> [String: CRMValue] {
        let wanted = key(label)
        var found: [String: CRMValue] = [:]
        for value in all where key(value.crmName) == wanted { found[value.analyte] = value }
        return found
    }

    /// The certified value in mg/kg (the canonical solid unit), or nil for a unit that is not a mass fraction.
    public static func milligramsPerKilogram(_ value: CRMValue) -> Double? {
        guard let unit = UnitConversion.unit(value.unit), unit.matrix != .solution else { return nil }
        return value.value * unit.factor
    }

    /// Loads a CRM sheet in one transaction: new values are added, a value already held for the same
    /// CRM and analyte is replaced (the old one recorded in the audit log). Returns (added, replaced).
    @discardableResult
    public static func importSheet(url: URL, store: LabStore, displayName: String? = nil) throws -> (added: Int, replaced: Int) {
        let sheet = try Sheet(reader: CSVReader(url: url, displayName: displayName), columns: columns)
        var problems: [ImportDiagnostic] = []
        var parsed: [(CRMValue, SheetRow)] = []
        var seen: [String: Int] = [:]
        for row in sheet.rows {
            do {
                let name = try row.requiredText("crm")
                let analyte = try row.requiredText("analyte")
                guard PeriodicTable.isElement(analyte) else {
                    throw row.error("analyte", value: analyte, expected: "an element symbol such as La or Ce")
                }
                let value = try row.requiredNumber("value", minimum: 0, exclusiveMinimum: true)
                let unit = try row.requiredText("unit")
                guard let known = UnitConversion.unit(unit), known.matrix != .solution else {
                    throw row.error("unit", value: unit, expected: "a mass fraction unit: mg/kg, µg/g, ppm, g/kg, % or wt%")
                }
                _ = known
                let uncertainty = try row.number("uncertainty", minimum: 0)
                let kind = try row.choice("kind", kinds) ?? "certified"
                let duplicateKey = key(name) + "|" + analyte
                if let first = seen[duplicateKey] {
                    throw row.error("analyte", "\(name) \(analyte) is given twice (first on line \(first)); expected one value per CRM and analyte")
                }
                seen[duplicateKey] = row.line
                parsed.append((CRMValue(crmName: name, analyte: analyte, value: value, unit: unit, uncertainty: uncertainty,
                                        citation: row.text("citation"), kind: kind), row))
            } catch let diagnostic as ImportDiagnostic {
                problems.append(diagnostic)
            }
        }
        if !problems.isEmpty { throw ImportDiagnostics(problems) }
        guard !parsed.isEmpty else {
            throw ImportDiagnostic(file: sheet.fileName, line: sheet.header.line + 1, column: 1, message: "the sheet has a header but no values")
        }
        return try store.write {
            let existing = try all(store)
            var added = 0, replaced = 0
            for (value, _) in parsed {
                // The CRM's name as already stored wins, so `oreas 45d` does not make a second CRM.
                let stored = existing.first { key($0.crmName) == key(value.crmName) && $0.analyte == value.analyte }
                let name = existing.first { key($0.crmName) == key(value.crmName) }?.crmName ?? value.crmName
                if let stored {
                    try store.db.execute("""
                        UPDATE crm_certified_value SET value = ?, unit = ?, uncertainty = ?, citation = ?, value_kind = ?
                        WHERE crm_name = ? AND analyte = ?
                        """, [value.value, value.unit, value.uncertainty, value.citation, value.kind, stored.crmName, value.analyte])
                    try store.audit(action: "update", table: "crm_certified_value", recordID: nil,
                                    summary: "\(stored.crmName) \(value.analyte): \(Validate.format(stored.value)) \(stored.unit) → \(Validate.format(value.value)) \(value.unit)",
                                    oldValue: ["value": stored.value, "unit": stored.unit, "kind": stored.kind],
                                    newValue: ["value": value.value, "unit": value.unit, "kind": value.kind], reason: "lims crm import")
                    replaced += 1
                } else {
                    try store.db.execute("""
                        INSERT INTO crm_certified_value (crm_name, analyte, value, unit, uncertainty, citation, value_kind)
                        VALUES (?, ?, ?, ?, ?, ?, ?)
                        """, [name, value.analyte, value.value, value.unit, value.uncertainty, value.citation, value.kind])
                    added += 1
                }
            }
            try store.audit(action: "import", table: "crm_certified_value", recordID: nil,
                            summary: "CRM sheet \(url.lastPathComponent): \(added) values added, \(replaced) replaced", reason: "lims crm import")
            return (added, replaced)
        }
    }
}
