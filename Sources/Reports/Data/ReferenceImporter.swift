import Foundation
import LIMSStore

/// A problem in a reference-composition file, at a line and column.
public struct ReferenceImportError: Error, CustomStringConvertible, Equatable {
    public var file: String
    public var line: Int
    public var column: Int
    public var message: String
    public var description: String { "\(file):\(line):\(column): error: \(message)" }
    public init(file: String, line: Int, column: Int, message: String) {
        self.file = file; self.line = line; self.column = column; self.message = message
    }
}

/// Reads a lab's own reference compositions from CSV, the shape of `shared/reference/compositions.csv`:
/// `reference,element,value,unit,citation[,name]`, one row per element; the citation (and name) may be
/// given once, on the reference's first row. Units mg/kg, ppm, µg/g (= mg/kg) or µg/kg, ppb, ng/g (÷ 1000).
public enum ReferenceImporter {
    static let required = ["reference", "element", "value", "unit"]
    static let optional = ["citation", "name"]

    public static func parse(text: String, fileName: String) throws -> [ReferenceComposition] {
        let csv = CSVRecords(text: text)
        guard let header = csv.records.first else {
            throw ReferenceImportError(file: fileName, line: 1, column: 1, message: "the file is empty; expected a header row "
                                       + (required + optional).joined(separator: ","))
        }
        var index: [String: Int] = [:]
        for (i, field) in header.enumerated() {
            let name = field.text.trimmingCharacters(in: .whitespaces).lowercased()
            guard required.contains(name) || optional.contains(name) else {
                throw ReferenceImportError(file: fileName, line: field.line, column: field.column,
                                           message: "unknown column \"\(field.text)\"; expected columns "
                                           + (required + optional).joined(separator: ","))
            }
            index[name] = i
        }
        for name in required where index[name] == nil {
            throw ReferenceImportError(file: fileName, line: 1, column: 1, message: "missing column \"\(name)\"; expected columns "
                                       + (required + optional).joined(separator: ","))
        }
        var order: [String] = []
        var byCode: [String: ReferenceComposition] = [:]
        for record in csv.records.dropFirst() {
            func cell(_ name: String) -> CSVRecords.Field? {
                guard let i = index[name] else { return nil }
                return i < record.count ? record[i] : nil
            }
            func fail(_ name: String, _ message: String) -> ReferenceImportError {
                let f = cell(name)
                return ReferenceImportError(file: fileName, line: f?.line ?? record.first?.line ?? 0,
                                            column: f?.column ?? 1, message: message)
            }
            guard record.count <= header.count else {
                throw ReferenceImportError(file: fileName, line: record[header.count].line, column: record[header.count].column,
                                           message: "the row has \(record.count) fields but the header has \(header.count)")
            }
            let code = cell("reference")?.text.trimmingCharacters(in: .whitespaces) ?? ""
            guard !code.isEmpty else { throw fail("reference", "empty reference code; expected a code such as UCC-TM1995") }
            let element = cell("element")?.text.trimmingCharacters(in: .whitespaces) ?? ""
            guard element.range(of: "^[A-Z][a-z]?$", options: .regularExpression) != nil else {
                throw fail("element", "element \"\(element)\" is not valid; expected an element symbol such as La")
            }
            let valueText = cell("value")?.text.trimmingCharacters(in: .whitespaces) ?? ""
            guard let value = DecimalNumber.double(valueText), value > 0 else {
                throw fail("value", "value \"\(valueText)\" for \(code) \(element) is not valid; expected a number > 0")
            }
            let unit = cell("unit")?.text.trimmingCharacters(in: .whitespaces) ?? ""
            let factor: Double
            switch unit.lowercased() {
            case "mg/kg", "ppm", "µg/g", "ug/g": factor = 1
            case "µg/kg", "ug/kg", "ppb", "ng/g": factor = 0.001
            default:
                throw fail("unit", "unit \"\(unit)\" for \(code) \(element) is not valid; expected mg/kg, ppm, µg/g, µg/kg, ppb or ng/g")
            }
            if byCode[code] == nil {
                order.append(code)
                byCode[code] = ReferenceComposition(code: code, name: "", citation: "", values: [:])
            }
            if byCode[code]!.values[element] != nil {
                throw fail("element", "\(code) gives \(element) twice")
            }
            byCode[code]!.values[element] = value * factor
            if let citation = cell("citation")?.text.trimmingCharacters(in: .whitespaces), !citation.isEmpty {
                byCode[code]!.citation = citation
            }
            if let name = cell("name")?.text.trimmingCharacters(in: .whitespaces), !name.isEmpty {
                byCode[code]!.name = name
            }
        }
        guard !order.isEmpty else {
            throw ReferenceImportError(file: fileName, line: 2, column: 1, message: "no rows after the header")
        }
        return try order.map { code in
            var reference = byCode[code]!
            guard !reference.citation.isEmpty else {
                throw ReferenceImportError(file: fileName, line: 1, column: (index["citation"] ?? 0) + 1,
                                           message: "reference \(code) has no citation; give it in the citation column of its first row")
            }
            if reference.name.isEmpty { reference.name = code }
            return reference
        }
    }
}
