/// One record (logical row) of a CSV file.
public struct CSVRecord: Sendable, Equatable {
    /// The fields, unquoted, as text.
    public var fields: [String]
    /// The physical line (1-based) where the record starts; a quoted field with line
    /// breaks makes a record span several lines.
    public var line: Int

    public init(fields: [String], line: Int) {
        self.fields = fields
        self.line = line
    }

    /// The field at a 0-based index, or "" past the end.
    public subscript(_ index: Int) -> String { index < fields.count ? fields[index] : "" }

    /// True when every field is empty (blank lines, `;;;;` rows).
    public var isBlank: Bool {
        // A printable ASCII character other than space is not white space: no Foundation for nearly every row.
        fields.allSatisfy { field in
            !field.utf8.contains { $0 > 0x20 && $0 < 0x7F } && field.trimmingCharacters(in: .whitespaces).isEmpty
        }
    }
}

import Foundation
