import Foundation

/// The instrument export formats `lims import results` reads, and their detection from the first rows.
/// Each reader is told by its header signature (never by the file name); the reason it was chosen
/// is kept, so a summary or an error can say which reader read the file and why.
public enum ResultsFormat: String, Sendable, CaseIterable {
    case masshunter
    case qtegra
    case icpExpert = "icp-expert"
    case perkinElmer = "perkinelmer"
    case perkinElmerWide = "perkinelmer-wide"
    case shimadzuICPE = "shimadzu-icpe"
    case horiba
    case xrf
    case long

    public var displayName: String {
        switch self {
        case .masshunter: return "Agilent MassHunter batch table"
        case .qtegra: return "Thermo Qtegra export"
        case .icpExpert: return "Agilent/Varian ICP Expert export"
        case .perkinElmer: return "PerkinElmer WinLab32/Syngistix long export"
        case .perkinElmerWide: return "PerkinElmer WinLab32/Syngistix wide export"
        case .shimadzuICPE: return "Shimadzu ICPE export"
        case .horiba: return "Horiba Jobin Yvon ICP report"
        case .xrf: return "XRF results table (Rigaku, Bruker)"
        case .long: return "long results sheet"
        }
    }

    /// XRF measures pressed powders and fused beads: solids, whatever the unit says (`ppm` = mg/kg).
    public var impliedMatrix: UnitConversion.Matrix? { self == .xrf ? .solid : nil }

    /// A format told from the first rows, and the signature that told it.
    public struct Detection: Sendable, Equatable {
        public let format: ResultsFormat
        public let reason: String
    }

    /// The format the first records look like, or nil.
    public static func detect(_ records: [CSVRecord]) -> ResultsFormat? { detection(records)?.format }

    /// The format the first records look like and why, or nil.
    public static func detection(_ records: [CSVRecord]) -> Detection? {
        let rows = records.prefix(8).map { $0.fields.map(LongTableHeader.normalize) }
        guard let first = rows.first else { return nil }
        for (i, row) in rows.prefix(3).enumerated() {
            if ["sample", "analyte", "value", "unit"].allSatisfy(row.contains) {
                return Detection(format: .long, reason: "row \(i + 1) has the columns sample, analyte, value, unit")
            }
            if row.contains("solution label") && row.contains("element") {
                return Detection(format: .icpExpert, reason: "row \(i + 1) has the columns Solution Label and Element")
            }
        }
        if let horiba = horibaSignature(rows) { return Detection(format: .horiba, reason: horiba) }
        if first.contains("sample id") || first.first == "sample name" {
            if first.contains("analyte name") || first.contains("analyte") {
                return Detection(format: .perkinElmer, reason: "the header has Sample ID and Analyte Name")
            }
            let analytes = records[0].fields.filter { AnalyteName.parse($0) != nil }.count
            if analytes > 0 && oxideShare(records[0]) < 3 {
                return Detection(format: .perkinElmerWide, reason: "the header has Sample ID and \(analytes) analyte columns such as \"La 139 (mg/L)\"")
            }
        }
        if let index = masshunterMeasureRow(rows) {
            return Detection(format: .masshunter, reason: "row \(index + 1) names Sample Name and Conc. […] columns under a row of analyte groups")
        }
        if first.count > 2, first[0].isEmpty, first[1].isEmpty {
            let headerRows = rows.prefix { $0.count > 2 && $0[0].isEmpty && $0[1].isEmpty }
            let hasLines = records.prefix(headerRows.count).contains { $0.fields.dropFirst(2).contains { AnalyteName.parse($0) != nil } }
            let oxides = records.prefix(headerRows.count).map(oxideShare).max() ?? 0
            if hasLines && oxides < 3 {
                return Detection(format: .qtegra, reason: "header rows start with two unnamed columns and name emission lines or isotopes")
            }
        }
        if let record = records.prefix(3).first(where: { ShimadzuICPEReader.isDataRow($0) }) {
            return Detection(format: .shimadzuICPE, reason: "no header; line \(record.line) has a run kind (\(record[1].trimmedASCII)), an element, QUANT and a wavelength in Shimadzu's columns")
        }
        if let index = records.prefix(4).firstIndex(where: { oxideShare($0) >= 3 || XRFReader.analyteShare($0) >= 3 && XRFReader.hasXRFUnits(records) }) {
            return Detection(format: .xrf, reason: "row \(index + 1) names oxides or elements with mass% / ppm units (an XRF results table)")
        }
        return nil
    }

    /// Cells naming an oxide (`Al2O3`, `Tb4O7 (mass%)`): XRF tables report majors as oxides.
    static func oxideShare(_ record: CSVRecord) -> Int {
        record.fields.filter { AnalyteName.parse($0)?.oxide != nil }.count
    }

    /// MassHunter: a row with `Sample Name` and `Conc. [ ppb ]` cells under a row naming analyte groups.
    private static func masshunterMeasureRow(_ rows: [[String]]) -> Int? {
        for index in rows.indices.dropFirst().prefix(4) {
            let row = rows[index]
            let names = row.contains("sample name") || row.contains("data file")
            if names && row.contains(where: { $0.hasPrefix("conc.") || $0 == "cps" }) { return index }
        }
        if rows.first?.first == "sample", rows.count > 1,
           rows[1].contains("sample name") || rows[1].contains("data file") || rows[1].contains(where: { $0.hasPrefix("conc.") }) {
            return 1
        }
        return nil
    }

    /// Horiba "ICP Short Report": `Sample:,NAME,Method:,…,Measured:,…` blocks with `LineName` headers.
    private static func horibaSignature(_ rows: [[String]]) -> String? {
        for (i, row) in rows.enumerated() {
            if row.first == "sample:" && (row.contains("method:") || row.contains("measured:")) {
                return "line \(i + 1) starts a Sample:/Method:/Measured: block"
            }
            if row.contains(where: { $0.hasPrefix("icp short report") }) { return "line \(i + 1) is an ICP Short Report title" }
        }
        return nil
    }

    /// What the importer reads a file with: the reader, its context, and why it was chosen.
    struct Opened {
        let format: ResultsFormat
        let reason: String
        let context: ResultsReadContext
        let reader: ResultsReading
        /// The workbook sheet read, for an .xlsx file.
        var sheetName: String? = nil
        /// What the choice of sheet left out (other sheets), for the summary's warnings.
        var notes: [String] = []
    }

    /// Opens a reader for a file: a text file (delimiter detected unless given) or an .xlsx workbook
    /// (its `--sheet`, else the first sheet a reader can read: intensity and RSD sheets are passed
    /// over and named), then the format (detected unless given).
    static func open(url: URL, displayName: String, options: ResultsImportOptions, dateOrder: InstrumentDate.Order,
                     dateOrderIsExplicit: Bool) throws -> Opened {
        func openSheet(_ make: (Character?) throws -> any RecordReading) throws -> Opened {
            try open(records: make, displayName: displayName, options: options, dateOrder: dateOrder, dateOrderIsExplicit: dateOrderIsExplicit)
        }
        guard let book = try InputDocument.workbook(url, displayName: displayName) else {
            return try openSheet { detected in
                try InputDocument.open(url: url, displayName: displayName, delimiter: options.delimiter ?? detected, sheet: options.sheet)
            }
        }
        if let sheet = options.sheet {
            let chosen = try book.sheet(sheet)
            var opened = try placing(chosen.sheetName, displayName) { try openSheet { _ in try book.sheet(sheet) } }
            opened.sheetName = chosen.sheetName
            return opened
        }
        var readable: [(name: String, opened: Opened)] = []
        var passedOver: [(name: String, why: String)] = []
        var firstError: Error?
        for index in book.sheetNames.indices {
            let name = book.sheetNames[index]
            do {
                var opened = try placing(name, displayName) { try openSheet { _ in try book.sheet(at: index) } }
                opened.sheetName = name
                readable.append((name, opened))
            } catch {
                if firstError == nil { firstError = error }
                let why = (error as? DiagnosticError)?.diagnosticLines.first.map { line in
                    line.components(separatedBy: "error: ").dropFirst().joined(separator: "error: ")
                } ?? "\(error)"
                passedOver.append((name, why.components(separatedBy: ";").first ?? why))
            }
        }
        guard var opened = readable.first?.opened else {
            throw firstError ?? ImportDiagnostic(file: displayName, line: 0, message: "the workbook has no sheet of results")
        }
        if readable.count > 1 {
            opened.notes.append("the workbook has \(readable.count) sheets of results; read \"\(readable[0].name)\", not "
                                + readable.dropFirst().map { "\"\($0.name)\"" }.joined(separator: ", ") + " (give --sheet to import another)")
        }
        if !passedOver.isEmpty {
            opened.notes.append("sheets passed over: " + passedOver.map { "\"\($0.name)\" (\($0.why))" }.joined(separator: "; "))
        }
        return opened
    }

    /// Runs `body`, placing its located errors in `sheet`.
    private static func placing<T>(_ sheet: String?, _ file: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let diagnostic as ImportDiagnostic {
            throw diagnostic.placed(inSheet: sheet, of: file)
        } catch let diagnostics as ImportDiagnostics {
            var placed = diagnostics.placed(inSheet: sheet, of: file)
            placed.readerNote = diagnostics.readerNote
            throw placed
        }
    }

    /// Detects the format from the first records of `make()`, then opens a fresh reader on them.
    /// `make(nil)` opens the records for the probe; `make(delimiter)` again with the delimiter it detected.
    static func open(records make: (Character?) throws -> any RecordReading, displayName: String, options: ResultsImportOptions,
                     dateOrder: InstrumentDate.Order, dateOrderIsExplicit: Bool) throws -> Opened {
        let probe = try make(nil)
        var head: [CSVRecord] = []
        while head.count < 8, let record = try probe.next() {
            if !record.isBlank { head.append(record) }
        }
        guard !head.isEmpty else {
            throw probe.diagnostic(line: probe.sheetName == nil ? 1 : 0, column: 1,
                                   "the \(probe.sheetName == nil ? "file" : "sheet") is empty; expected an instrument export or a results sheet with a header row")
        }
        let source = probe.sheetName.map { "sheet \"\($0)\"" }
            ?? (probe.delimiter == UInt8(ascii: "\t") ? "delimiter tab" : "delimiter '\(Character(Unicode.Scalar(probe.delimiter)))'")
        let chosen: ResultsFormat
        var reason: String
        // Title rows above the header (`Report generated …`, a method name): the first rows that a
        // signature fits once up to three leading rows are set aside.
        let titleRows = options.format == nil ? (0...3).first { detection(Array(head.dropFirst($0))) != nil } ?? 0 : 0
        if let format = options.format {
            chosen = format
            reason = "--format \(format.rawValue)"
        } else if let detected = detection(Array(head.dropFirst(titleRows))) {
            chosen = detected.format
            reason = "detected: " + detected.reason
            if titleRows > 0 { reason += " after \(titleRows) title row(s)" }
        } else {
            throw probe.diagnostic(line: head[0].line, column: 1,
                "cannot tell which instrument wrote this \(probe.sheetName == nil ? "file" : "sheet") (read with \(source), first row \"\(head[0].fields.prefix(4).joined(separator: "|"))\"); "
                    + "expected one of: " + allCases.map(\.rawValue).joined(separator: ", ")
                    + " — give --format (and --delimiter if the delimiter is wrong" + (probe.sheetName == nil ? "" : ", --sheet if the sheet is wrong")
                    + "), or --profile NAME for a layout saved with lims import-profile")
        }
        // Read again from the start, with the delimiter the probe detected.
        let records = try make(probe.sheetName == nil ? Character(Unicode.Scalar(probe.delimiter)) : nil)
        var skipped: [String] = []
        while skipped.count < titleRows, let record = try records.next() {
            if !record.isBlank { skipped.append(record.fields.filter { !$0.trimmedASCII.isEmpty }.joined(separator: " ")) }
        }
        var opened = try finish(records)
        if !skipped.isEmpty {
            opened.notes.append("\(skipped.count) title row(s) above the header not imported: " + skipped.map { "\"\($0.prefix(60))\"" }.joined(separator: ", "))
        }
        return opened

        func finish(_ records: any RecordReading) throws -> Opened {
            let context = ResultsReadContext(csv: records, dateOrder: dateOrder, dateOrderIsExplicit: dateOrderIsExplicit,
                                             defaultUnit: options.unit, internalStandardElements: options.internalStandards)
            let reader: ResultsReading
            do {
                reader = try makeReader(chosen, context: context)
            } catch let error as ImportDiagnostic {
                throw ImportDiagnostics([error.placed(inSheet: records.sheetName, of: displayName)]).noting(reader: chosen, reason: reason)
            } catch let error as ImportDiagnostics {
                throw error.placed(inSheet: records.sheetName, of: displayName).noting(reader: chosen, reason: reason)
            }
            return Opened(format: chosen, reason: reason, context: context, reader: reader)
        }
    }

    static func makeReader(_ format: ResultsFormat, context: ResultsReadContext) throws -> ResultsReading {
        switch format {
        case .masshunter: return try AgilentMassHunterReader(context: context)
        case .qtegra: return try ThermoQtegraReader(context: context)
        case .icpExpert: return try ICPExpertReader(context: context)
        case .perkinElmer: return try PerkinElmerReader(context: context, wide: false)
        case .perkinElmerWide: return try PerkinElmerReader(context: context, wide: true)
        case .shimadzuICPE: return try ShimadzuICPEReader(context: context)
        case .horiba: return try HoribaReader(context: context)
        case .xrf: return try XRFReader(context: context)
        case .long: return try LongResultsReader(context: context)
        }
    }
}

extension ImportDiagnostics {
    /// The same errors, with a last line naming the reader that was chosen and why — so a user
    /// whose file was read by the wrong reader sees it and can give `--format`.
    func noting(reader format: ResultsFormat, reason: String) -> ImportDiagnostics {
        noting(readerName: "read as \(format.displayName)", reason: reason)
    }

    func noting(readerName: String, reason: String) -> ImportDiagnostics {
        var copy = self
        copy.readerNote = "\(readerName) (\(reason)); if that is wrong, give --format or --profile"
        return copy
    }
}
