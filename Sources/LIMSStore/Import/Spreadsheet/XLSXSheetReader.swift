import Foundation

/// Reads one worksheet as records, streaming its XML: one record per `<row>`, fields in column
/// order with gaps as empty fields (every row padded to the sheet's width, as Excel's own CSV
/// export does), `line` = the sheet's row number. Cell text is what the workbook stores: numbers
/// exactly as written in `<v>` (never reformatted through Double), shared and inline strings,
/// TRUE/FALSE, error codes (#N/A); numbers in a date style become ISO dates.
public final class XLSXSheetReader: RecordReading {
    public let fileName: String
    public let sheetName: String?
    /// An xlsx has no delimiter; "," tells the value parsers that a comma is not a decimal mark.
    public let delimiter = UInt8(ascii: ",")
    /// A cell longer than this is refused (Excel itself stops at 32767 characters).
    public static let maxCellBytes = CSVReader.Limits.standard.field

    private let workbook: XLSXWorkbook
    private let part: String
    private let entryReader: ZipEntryReader
    private var scanner: XMLScanner
    /// Columns in the sheet's `<dimension>` (0 when absent); rows are padded to at least this.
    private var width = 0
    private var inSheetData = false
    private var finished = false
    private var lastRow = 0

    public var bytesRead: Int { entryReader.compressedBytesRead }

    init(workbook: XLSXWorkbook, sheetName: String, entry: ZipEntry) throws {
        self.workbook = workbook
        self.fileName = workbook.fileName
        self.sheetName = sheetName
        self.part = entry.name
        let reader = try workbook.archive.open(entry)
        self.entryReader = reader
        self.scanner = XMLScanner(maxText: Self.maxCellBytes + 1) { try reader.nextChunk() }
    }

    private func failure(row: Int, column: Int? = nil, _ message: String) -> ImportDiagnostic {
        ImportDiagnostic(file: fileName, line: row, column: column, message: message, sheet: sheetName)
    }

    private func nextEvent() throws -> XMLScanner.Event? {
        do {
            return try scanner.next()
        } catch let failure as XMLScanner.Failure {
            throw self.failure(row: lastRow, "damaged XML in \(part) at byte \(failure.offset) (after row \(lastRow)): \(failure.message)")
        }
    }

    /// The next row, or nil after the last.
    public func next() throws -> CSVRecord? {
        guard !finished else { return nil }
        while let event = try nextEvent() {
            switch event {
            case .start("dimension", let attributes, _):
                if let ref = attributes["ref"], let last = ref.split(separator: ":").last,
                   let cell = CellReference.parse(last.utf8) {
                    width = cell.column
                }
            case .start("sheetData", _, let selfClosing):
                inSheetData = !selfClosing
                if selfClosing { finished = true; return nil }
                if width == 0 { width = try widthByScanning() }
            case .end("sheetData"):
                finished = true
                return nil
            case .start("row", let attributes, let selfClosing) where inSheetData:
                let number = attributes["r"].flatMap { Int($0) } ?? lastRow + 1
                guard number > lastRow else {
                    throw failure(row: number, "row \(number) comes after row \(lastRow); expected rows in increasing order")
                }
                lastRow = number
                if selfClosing { return CSVRecord(fields: Array(repeating: "", count: max(width, 1)), line: number) }
                return try row(number)
            default:
                break
            }
        }
        finished = true
        if !inSheetData && lastRow == 0 { return nil }
        guard !inSheetData else { throw failure(row: lastRow, "\(part) ends inside <sheetData>; the workbook is truncated") }
        return nil
    }

    /// A sheet without `<dimension>`: one pass over its cells finds the last column, so every row
    /// can be padded to it from the first (a second pass only for such sheets).
    private func widthByScanning() throws -> Int {
        let reader = try workbook.archive.open(workbook.archive.entry(named: part)!)
        var scanner = XMLScanner(maxText: Self.maxCellBytes + 1) { try reader.nextChunk() }
        var widest = 0, column = 0
        do {
            while let event = try scanner.next() {
                switch event {
                case .start("row", _, _): column = 0
                case .start("c", let attributes, _):
                    column = attributes["r"].flatMap { CellReference.parse($0.utf8)?.column } ?? column + 1
                    widest = max(widest, column)
                default: break
                }
            }
        } catch let failure as XMLScanner.Failure {
            throw self.failure(row: 0, "damaged XML in \(part) at byte \(failure.offset): \(failure.message)")
        }
        return widest
    }

    private struct Cell {
        var column: Int
        var type: String
        var style: Int
        var value = ""
        var inline = ""
    }

    /// The cells of one `<row>` up to its `</row>`.
    private func row(_ number: Int) throws -> CSVRecord {
        var fields = [String](repeating: "", count: width)
        var column = 0
        var cell: Cell?
        var inValue = false, inInlineText = false, phonetic = 0
        while let event = try nextEvent() {
            switch event {
            case .start("c", let attributes, let selfClosing):
                if let ref = attributes["r"] {
                    guard let parsed = CellReference.parse(ref.utf8), parsed.row == nil || parsed.row == number else {
                        throw failure(row: number, "the cell reference \"\(ref)\" is not a cell of row \(number)")
                    }
                    column = parsed.column
                } else {
                    column += 1
                }
                guard column <= CellReference.maxColumn else { throw failure(row: number, "a cell beyond column XFD") }
                if !selfClosing {
                    cell = Cell(column: column, type: attributes["t"] ?? "n", style: attributes["s"].flatMap { Int($0) } ?? 0)
                }
            case .start("v", _, let selfClosing):
                inValue = !selfClosing
            case .end("v"):
                inValue = false
            case .start("rPh", _, let selfClosing):
                if !selfClosing { phonetic += 1 }
            case .end("rPh"):
                phonetic -= 1
            case .start("t", _, let selfClosing):
                inInlineText = !selfClosing
            case .end("t"):
                inInlineText = false
            case .text(let text):
                if inValue { cell?.value += text } else if inInlineText && phonetic == 0 { cell?.inline += text }
                if let current = cell, current.value.utf8.count + current.inline.utf8.count > Self.maxCellBytes {
                    throw failure(row: number, column: current.column,
                                  "this cell is longer than \(Self.maxCellBytes) bytes (starts \"\(String((current.value + current.inline).prefix(40)))…\"); expected a value")
                }
            case .end("c"):
                if let current = cell {
                    let text = try self.text(of: current, row: number)
                    if !text.isEmpty {
                        if current.column > fields.count { fields += Array(repeating: "", count: current.column - fields.count) }
                        fields[current.column - 1] = text
                    }
                }
                cell = nil
            case .end("row"):
                if width < fields.count { width = fields.count }  // a <dimension> smaller than the cells
                if fields.isEmpty { fields = [""] }
                return CSVRecord(fields: fields, line: number)
            default:
                break
            }
        }
        throw failure(row: number, "\(part) ends inside row \(number); the workbook is truncated")
    }

    /// The text a cell shows as stored: see the type's comment.
    private func text(of cell: Cell, row: Int) throws -> String {
        switch cell.type {
        case "s":
            guard !cell.value.isEmpty else { return "" }
            guard let index = Int(cell.value), index >= 0, index < workbook.sharedStrings.count else {
                throw failure(row: row, column: cell.column,
                              "shared string \(cell.value) does not exist (the workbook has \(workbook.sharedStrings.count)); the workbook is damaged")
            }
            return workbook.sharedStrings[index]
        case "inlineStr":
            return cell.inline.isEmpty ? cell.value : cell.inline
        case "b":
            switch cell.value {
            case "1", "true": return "TRUE"
            case "0", "false": return "FALSE"
            default: return cell.value
            }
        case "str", "e", "d":
            return cell.value
        default:
            // A number: as written, unless its style shows it as a date.
            guard cell.style < workbook.dateStyles.count, let kind = workbook.dateStyles[cell.style],
                  let serial = Double(cell.value) else { return cell.value }
            return ExcelNumberFormat.isoText(serial: serial, date1904: workbook.date1904, showsTime: kind != .date) ?? cell.value
        }
    }
}
