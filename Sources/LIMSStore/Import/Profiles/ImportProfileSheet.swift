import Foundation

/// The profile sheet a lab writes for `lims import-profile add NAME --from FILE`: a small CSV of
/// `key,value` rows (an optional `key,value` header, `#` comments and blank rows allowed).
/// A value holding a comma is quoted (`analyte_pattern,"{element}, {unit}"`).
public enum ImportProfileSheet {
    /// Reads the settings of a sheet; every malformed row is reported at `file:line:col`.
    public static func settings(url: URL, displayName: String) throws -> [ImportProfile.Setting] {
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw ImportDiagnostic(file: displayName, line: 1, column: nil, message: "no such file; expected a profile sheet of key,value rows (lims template import-profile)")
        }
        // A workbook or other binary file is named as such, not read as a hundred unknown settings.
        if let handle = try? FileHandle(forReadingFrom: url) {
            let head = (try? handle.read(upToCount: 4096)) ?? nil
            try? handle.close()
            try CSVReader.rejectBinary(head.map { Array($0) } ?? [], fileName: displayName)
        }
        return try settings(reader: try CSVReader(url: url, delimiter: ",", displayName: displayName))
    }

    public static func settings(text: String, fileName: String) throws -> [ImportProfile.Setting] {
        try settings(reader: try CSVReader(text: text, fileName: fileName, delimiter: ","))
    }

    private static func settings(reader: CSVReader) throws -> [ImportProfile.Setting] {
        var settings: [ImportProfile.Setting] = []
        var problems: [ImportDiagnostic] = []
        var first = true
        while let record = try reader.next() {
            if record.isBlank { continue }
            let key = record[0].trimmingCharacters(in: .whitespaces)
            if key.hasPrefix("#") { continue }
            defer { first = false }
            if first && key.lowercased() == "key" && record[1].trimmingCharacters(in: .whitespaces).lowercased() == "value" { continue }
            if let extra = record.fields.indices.dropFirst(2).first(where: { !record.fields[$0].trimmingCharacters(in: .whitespaces).isEmpty }) {
                problems.append(ImportDiagnostic(file: reader.fileName, line: record.line, column: extra + 1,
                    message: "\(key): this row has more than 2 fields (\"\(record.fields[extra])\"); expected key,value — quote a value that holds a comma"))
                continue
            }
            settings.append(ImportProfile.Setting(key: key.lowercased(), value: record[1], line: record.line, column: 2))
        }
        if !problems.isEmpty { throw ImportDiagnostics(problems) }
        if settings.isEmpty {
            throw ImportDiagnostic(file: reader.fileName, line: 1, column: 1,
                                   message: "the profile sheet has no settings; expected key,value rows such as header_row,1 (lims template import-profile)")
        }
        return settings
    }
}
