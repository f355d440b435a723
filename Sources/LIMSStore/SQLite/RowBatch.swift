import CSQLite

/// Rows for one table, held in memory until `BulkInsert` writes them: the values of each row in
/// column order, typed (NULL, integer, real, text), the texts' UTF-8 in one arena. Filling a batch
/// allocates only when its arrays grow, so an importer can fill it on one thread and hand it to
/// the writing thread whole.
///
///     var rows = RowBatch(columns: 3)
///     rows.append(sampleID); rows.append("La"); rows.append(0.52)   // one row
public struct RowBatch: @unchecked Sendable {   // plain values only: the C cells hold no pointers
    public let columns: Int
    var cells: [lims_cell] = []
    var text: [UInt8] = []

    /// `textBytes`: the UTF-8 bytes of text to make room for per row.
    public init(columns: Int, reservingRows rows: Int = 0, textBytes: Int = 64) {
        precondition(columns > 0 && columns <= Int(LIMS_ROWS_COLUMNS), "a row batch has 1…\(LIMS_ROWS_COLUMNS) columns")
        self.columns = columns
        cells.reserveCapacity(rows * columns)
        text.reserveCapacity(rows * textBytes)
    }

    /// Complete rows so far.
    public var count: Int { cells.count / columns }
    public var isEmpty: Bool { cells.isEmpty }
    /// True when the last row has all its columns.
    public var rowsAreComplete: Bool { cells.count % columns == 0 }

    public mutating func appendNull() {
        cells.append(lims_cell(value: 0, length: 0, type: Self.nullCell))
    }

    public mutating func append(_ value: Int64?) {
        guard let value else { return appendNull() }
        cells.append(lims_cell(value: value, length: 0, type: Self.integerCell))
    }

    public mutating func append(_ value: Int?) {
        guard let value else { return appendNull() }
        cells.append(lims_cell(value: Int64(value), length: 0, type: Self.integerCell))
    }

    /// NaN is stored as NULL, as `Double.sqlValue` binds it.
    public mutating func append(_ value: Double?) {
        guard let value, !value.isNaN else { return appendNull() }
        cells.append(lims_cell(value: Int64(bitPattern: value.bitPattern), length: 0, type: Self.realCell))
    }

    public mutating func append(_ value: String?) {
        guard var value else { return appendNull() }
        let offset = text.count
        let length = value.withUTF8 { bytes in
            text.append(contentsOf: bytes)
            return bytes.count
        }
        cells.append(lims_cell(value: Int64(offset), length: Int32(length), type: Self.textCell))
    }

    /// Replaces each integer of `column` by `transform` of it (NULLs stay): e.g. ordinals by the ids they stand for.
    public mutating func replaceIntegers(inColumn column: Int, _ transform: (Int64) -> Int64) {
        precondition(column >= 0 && column < columns)
        var index = column
        while index < cells.count {
            if cells[index].type == Self.integerCell { cells[index].value = transform(cells[index].value) }
            index += columns
        }
    }

    public mutating func removeAll() {
        cells.removeAll(keepingCapacity: true)
        text.removeAll(keepingCapacity: true)
    }

    /// The value at `row`, `column` (both 0-based), as a statement would bind it.
    public subscript(row: Int, column: Int) -> SQLValue {
        let cell = cells[row * columns + column]
        switch cell.type {
        case Self.integerCell: return .integer(cell.value)
        case Self.realCell: return .real(Double(bitPattern: UInt64(bitPattern: cell.value)))
        case Self.textCell:
            let start = Int(cell.value)
            return .text(String(decoding: text[start..<start + Int(cell.length)], as: UTF8.self))
        default: return .null
        }
    }

    /// Calls `body` with the C view of the batch that `lims_rows(?)` reads (valid only during the call).
    func withCBatch<T>(_ body: (UnsafePointer<lims_row_batch>) throws -> T) rethrows -> T {
        try cells.withUnsafeBufferPointer { cells in
            try text.withUnsafeBufferPointer { text in
                var batch = lims_row_batch(cells: cells.baseAddress, text: text.baseAddress,
                                           rows: sqlite3_int64(cells.count / columns), columns: Int32(columns))
                return try withUnsafePointer(to: &batch) { try body($0) }
            }
        }
    }

    static let nullCell = Int32(LIMS_CELL_NULL), integerCell = Int32(LIMS_CELL_INTEGER)
    static let realCell = Int32(LIMS_CELL_REAL), textCell = Int32(LIMS_CELL_TEXT)
}
