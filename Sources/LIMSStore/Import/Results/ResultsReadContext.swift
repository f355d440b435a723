/// What readers and the importer learn about a file while reading it: located problems, warnings,
/// columns skipped (intensities, RSDs, internal standards) and pseudo-rows, so the summary can say so.
public final class ResultsReadContext {
    public let fileName: String
    /// The records: a text file's or one workbook sheet's.
    public let csv: any RecordReading
    public let dateOrder: InstrumentDate.Order
    /// A decimal comma is accepted when the delimiter is not a comma (files from a French Excel).
    public var decimalComma: Bool { decimalCommaSetting ?? (csv.delimiter != UInt8(ascii: ",")) }
    /// An import profile's `decimal` setting (nil = from the delimiter, as above).
    var decimalCommaSetting: Bool?
    public internal(set) var diagnostics: [ImportDiagnostic] = []
    public internal(set) var warnings: [String] = []
    /// Header of a skipped column group (e.g. `CPS`) → number of cells not imported.
    public internal(set) var skippedCells: [String: Int] = [:]
    public internal(set) var internalStandards: [String] = []
    /// Rows read from the file (data rows, not headers).
    public internal(set) var dataRows = 0
    /// Repeated header rows and pseudo-rows (Mean/SD lines) skipped.
    public internal(set) var skippedRows = 0

    /// `--date-order` was given: a date that contradicts it is an error, not a reason to switch.
    public let dateOrderIsExplicit: Bool
    /// `--unit`: the unit of every value when the file carries none.
    public let defaultUnit: String?
    /// `--istd Sc,Y`: lines of these elements are internal standards (QC data of the run, not results).
    public let internalStandardElements: Set<String>

    init(csv: any RecordReading, dateOrder: InstrumentDate.Order, dateOrderIsExplicit: Bool = true,
         defaultUnit: String? = nil, internalStandardElements: Set<String> = []) {
        self.csv = csv
        self.fileName = csv.fileName
        self.dateOrder = dateOrder
        self.dateOrderIsExplicit = dateOrderIsExplicit
        self.defaultUnit = defaultUnit
        self.internalStandardElements = internalStandardElements
    }

    /// An analyte the user named with --istd, or one the file marks as an internal standard.
    func isInternalStandard(_ analyte: AnalyteName) -> Bool {
        analyte.isInternalStandard || internalStandardElements.contains(analyte.element)
    }

    /// Errors beyond the first 1000 are counted, not kept (a wrong file can have millions).
    public internal(set) var uncountedErrors = 0

    func error(line: Int, column: Int?, _ message: String) {
        guard diagnostics.count < 1000 else { uncountedErrors += 1; return }
        diagnostics.append(ImportDiagnostic(file: fileName, line: line, column: column, message: message, sheet: csv.sheetName))
    }

    func warn(_ message: String) {
        if !warnings.contains(message) { warnings.append(message) }
    }

    func skip(_ group: String, cells: Int = 1) { skippedCells[group, default: 0] += cells }

    func addInternalStandard(_ name: String) {
        if !internalStandards.contains(name) { internalStandards.append(name) }
    }

    /// The next record that is not blank.
    func nextRecord() throws -> CSVRecord? {
        while let record = try csv.next() {
            if !record.isBlank { return record }
        }
        return nil
    }

    /// A data row must have at least the header's named columns and no values beyond `allowed`
    /// fields (trailing empty fields from a trailing delimiter are tolerated).
    func checkWidth(_ record: CSVRecord, expected: Int, allowed: Int? = nil) -> Bool {
        let limit = max(expected, allowed ?? expected)
        var count = record.fields.count
        while count > limit, record.fields[count - 1].trimmingCharacters(in: .whitespaces).isEmpty { count -= 1 }
        if record.fields.count >= expected && count <= limit { return true }
        let tooMany = count > limit
        let delimiter = Character(Unicode.Scalar(csv.delimiter))
        error(line: record.line, column: tooMany ? limit + 1 : record.fields.count,
              "this row has \(count) fields but the header has \(limit); expected \(limit) fields ("
              + (tooMany ? "too many: wrong delimiter or an unquoted '\(delimiter)' in a value" : "too few: a truncated row or a missing delimiter") + ")")
        return false
    }

    /// Parses a value cell; on failure records `file:line:col` naming the text and the expectation.
    func value(_ text: String, line: Int, column: Int, header: String) -> MeasuredValue? {
        do {
            return try MeasuredValue.parse(text, decimalComma: decimalComma)
        } catch {
            self.error(line: line, column: column,
                       "\(header): \"\(text)\" is not a number; expected a number (e.g. 1.2E-3), <DL, <0.05, n.d., N/A or an empty cell")
            return nil
        }
    }

    private var lastDate: (date: String, time: String?, iso: String?)?
    /// The first date that reads differently as dmy and mdy, when the order was not given.
    public private(set) var ambiguousDate: (text: String, iso: String)?

    func date(_ date: String, time: String? = nil, line: Int, column: Int) throws -> String? {
        // Consecutive rows of a long table share their date and time: parse once.
        if let last = lastDate, last.date == date, last.time == time { return last.iso }
        do {
            let iso = try InstrumentDate.parse(date: date, time: time, order: dateOrder)
            lastDate = (date, time, iso)
            if ambiguousDate == nil, !dateOrderIsExplicit, let other = InstrumentDate.otherOrder(dateOrder),
               let otherISO = try? InstrumentDate.parse(date: date, time: time, order: other), otherISO != iso {
                ambiguousDate = (date, iso ?? "")
            }
            return iso
        } catch {
            if let other = InstrumentDate.otherOrder(dateOrder), (try? InstrumentDate.parse(date: date, time: time, order: other)) != nil {
                // `9/23/2016` read as dmy: the 23 can only be a day, so the whole file is mdy.
                if !dateOrderIsExplicit { throw DateOrderEvidence(order: other, text: date, line: line, column: column) }
                self.error(line: line, column: column,
                           "\"\(date)\" is not a valid date in the order given (--date-order \(dateOrder.rawValue)); it reads as \(other.rawValue): "
                           + "give --date-order \(other.rawValue), or leave --date-order out to let a day > 12 decide between dmy and mdy")
                return nil
            }
            self.error(line: line, column: column, "\"\(error.text)\" is not a valid date/time; expected \(error.expected)")
            return nil
        }
    }
}

/// A date that settles the day/month order of a file (`9/23/2016` can only be mdy). Thrown by a
/// reader when the order was not given; the importer starts over in that order (one transaction,
/// so nothing read under the wrong order is kept).
struct DateOrderEvidence: Error {
    let order: InstrumentDate.Order
    let text: String
    let line: Int
    let column: Int
}
