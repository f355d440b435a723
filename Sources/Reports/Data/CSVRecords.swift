import Foundation

/// A small RFC 4180 reader that remembers where each field starts (line and column, 1-based),
/// so errors can point at the cell. Handles a UTF-8 BOM, CRLF and quoted fields with commas.
public struct CSVRecords {
    public struct Field: Sendable { public var text: String; public var line: Int; public var column: Int }
    public var records: [[Field]] = []

    public init(text: String) {
        var text = text
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        var record: [Field] = []
        var field = ""
        var line = 1, column = 1
        var fieldLine = 1, fieldColumn = 1
        var inQuotes = false
        var chars = Array(text)
        if chars.last != "\n" { chars.append("\n") }
        var i = 0
        func endField() {
            record.append(Field(text: field, line: fieldLine, column: fieldColumn))
            field = ""
        }
        while i < chars.count {
            let c = chars[i]
            if inQuotes {
                if c == "\"" {
                    if i + 1 < chars.count && chars[i + 1] == "\"" { field.append("\""); i += 2; column += 2; continue }
                    inQuotes = false
                } else {
                    field.append(c)
                    if c == "\n" || c == "\r\n" { line += 1; column = 0 }
                }
                i += 1; column += 1
                continue
            }
            switch c {
            case "\"" where field.isEmpty:
                inQuotes = true
            case ",":
                endField()
                fieldLine = line; fieldColumn = column + 1
            case "\r":
                break
            case "\n", "\r\n":
                endField()
                if !(record.count == 1 && record[0].text.isEmpty) { records.append(record) }
                record = []
                line += 1; column = 0
                fieldLine = line; fieldColumn = 1
            default:
                field.append(c)
            }
            i += 1; column += 1
        }
    }
}
