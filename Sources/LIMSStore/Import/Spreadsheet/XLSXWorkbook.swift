import Foundation

/// An .xlsx workbook (Office Open XML SpreadsheetML): its worksheets in tab order, shared
/// strings, which cell styles are dates, and the 1904 date flag. Sheets are read one at a time
/// by `XLSXSheetReader`, streaming.
///
///     let book = try XLSXWorkbook(url: url, displayName: "run.xlsx")
///     let reader = try book.sheet("Concentrations")   // or "5": the 5th sheet
///     while let record = try reader.next() { … }
public final class XLSXWorkbook {
    public let fileName: String
    /// Worksheet names in tab order (chart sheets are left out).
    public let sheetNames: [String]
    /// The archive entry of each worksheet, in the order of `sheetNames`.
    let sheetParts: [String]
    let sharedStrings: [String]
    /// Per cell style (`s` attribute): nil, or how a number in that style is shown as a date.
    let dateStyles: [ExcelNumberFormat.Kind?]
    /// Dates count from 1904-01-01 (old Mac Excel) instead of 1900.
    let date1904: Bool
    let archive: ZipArchive

    public init(url: URL, displayName: String? = nil) throws {
        let archive = try ZipArchive(url: url, displayName: displayName)
        self.archive = archive
        self.fileName = archive.fileName
        let workbookPart = try Self.officeDocument(archive)
        guard archive.entry(named: workbookPart) != nil else {
            throw archive.failure("it has no \(workbookPart): this ZIP archive is not an .xlsx workbook")
        }
        let relationships = try Self.relationships(of: workbookPart, in: archive)
        var names: [String] = [], parts: [String] = []
        var date1904 = false
        try Self.scanPart(workbookPart, in: archive) { event in
            guard case .start(let name, let attributes, _) = event else { return }
            if name == "workbookPr", let flag = attributes["date1904"] { date1904 = flag == "1" || flag == "true" }
            if name == "sheet", let sheetName = attributes["name"], let id = attributes["id"],
               let relationship = relationships[id], relationship.type.hasSuffix("/worksheet") {
                names.append(sheetName)
                parts.append(relationship.target)
            }
        }
        self.sheetNames = names
        self.sheetParts = parts
        self.date1904 = date1904
        let others = relationships.values
        if let shared = others.first(where: { $0.type.hasSuffix("/sharedStrings") })?.target ?? (archive.entry(named: "xl/sharedStrings.xml") != nil ? "xl/sharedStrings.xml" : nil),
           archive.entry(named: shared) != nil {
            sharedStrings = try Self.readSharedStrings(shared, in: archive)
        } else {
            sharedStrings = []
        }
        if let styles = others.first(where: { $0.type.hasSuffix("/styles") })?.target ?? (archive.entry(named: "xl/styles.xml") != nil ? "xl/styles.xml" : nil),
           archive.entry(named: styles) != nil {
            dateStyles = try Self.readDateStyles(styles, in: archive)
        } else {
            dateStyles = []
        }
    }

    /// A reader of the sheet named `selector`, or else of the sheet at that 1-based position.
    public func sheet(_ selector: String) throws -> XLSXSheetReader {
        if let index = sheetNames.firstIndex(of: selector) { return try sheet(at: index) }
        if let number = Int(selector.trimmingCharacters(in: .whitespaces)), number >= 1, number <= sheetNames.count {
            return try sheet(at: number - 1)
        }
        throw ImportDiagnostic(file: fileName, line: 0,
            message: "the workbook has no sheet \"\(selector)\"; expected a sheet name or a number 1–\(sheetNames.count): "
                + sheetNames.enumerated().map { "\($0.offset + 1) \"\($0.element)\"" }.joined(separator: ", "))
    }

    /// A reader of the sheet at a 0-based index of `sheetNames`.
    public func sheet(at index: Int) throws -> XLSXSheetReader {
        let part = sheetParts[index]
        guard let entry = archive.entry(named: part) else {
            throw archive.failure("the sheet \"\(sheetNames[index])\" should be in \(part), which the archive does not have; the workbook is damaged")
        }
        return try XLSXSheetReader(workbook: self, sheetName: sheetNames[index], entry: entry)
    }

    // MARK: Parts

    struct Relationship { let type: String; let target: String }

    /// Streams a part's XML events to `handle`; damaged XML is reported with the part's name.
    static func scanPart(_ part: String, in archive: ZipArchive, _ handle: (XMLScanner.Event) throws -> Void) throws {
        guard let entry = archive.entry(named: part) else { return }
        let reader = try archive.open(entry)
        var scanner = XMLScanner { try reader.nextChunk() }
        do {
            while let event = try scanner.next() { try handle(event) }
        } catch let failure as XMLScanner.Failure {
            throw archive.failure("damaged XML at byte \(failure.offset): \(failure.message)", entry: part)
        }
    }

    /// The main part named by `_rels/.rels` (normally xl/workbook.xml).
    static func officeDocument(_ archive: ZipArchive) throws -> String {
        var target: String?
        try scanPart("_rels/.rels", in: archive) { event in
            if case .start("Relationship", let attributes, _) = event, target == nil,
               attributes["Type"]?.hasSuffix("/officeDocument") == true, let value = attributes["Target"] {
                target = resolve(value, base: "")
            }
        }
        return target ?? "xl/workbook.xml"
    }

    /// Id → relationship of a part (`xl/_rels/workbook.xml.rels` for `xl/workbook.xml`), targets as archive paths.
    static func relationships(of part: String, in archive: ZipArchive) throws -> [String: Relationship] {
        let folder = part.contains("/") ? String(part[..<part.lastIndex(of: "/")!]) : ""
        let file = part.split(separator: "/").last.map(String.init) ?? part
        let relsPart = (folder.isEmpty ? "" : folder + "/") + "_rels/" + file + ".rels"
        var result: [String: Relationship] = [:]
        try scanPart(relsPart, in: archive) { event in
            if case .start("Relationship", let attributes, _) = event, let id = attributes["Id"],
               let target = attributes["Target"], attributes["TargetMode"] != "External" {
                result[id] = Relationship(type: attributes["Type"] ?? "", target: resolve(target, base: folder))
            }
        }
        return result
    }

    /// A relationship target as an archive path: `/xl/x.xml` is absolute, `worksheets/sheet1.xml` relative to `base`.
    static func resolve(_ target: String, base: String) -> String {
        var components: [Substring] = target.hasPrefix("/") ? [] : base.split(separator: "/")
        for component in target.split(separator: "/") {
            if component == ".." { _ = components.popLast() } else if component != "." { components.append(component) }
        }
        return components.joined(separator: "/")
    }

    /// `<si>` texts: a plain `<t>` or rich-text runs `<r><t>` joined; phonetic guides (`<rPh>`) left out.
    static func readSharedStrings(_ part: String, in archive: ZipArchive) throws -> [String] {
        var strings: [String] = []
        var current = "", inItem = false, inText = false, phonetic = 0
        try scanPart(part, in: archive) { event in
            switch event {
            case .start("si", _, let selfClosing):
                if selfClosing { strings.append("") } else { inItem = true; current = "" }
            case .start("rPh", _, let selfClosing):
                if !selfClosing { phonetic += 1 }
            case .end("rPh"):
                phonetic -= 1
            case .start("t", _, let selfClosing):
                inText = !selfClosing
            case .end("t"):
                inText = false
            case .text(let text) where inItem && inText && phonetic == 0:
                current += text
            case .end("si"):
                strings.append(current)
                inItem = false
            default:
                break
            }
        }
        return strings
    }

    /// For each `cellXfs/xf`, whether its number format (built-in id or custom code) is a date or time.
    static func readDateStyles(_ part: String, in archive: ZipArchive) throws -> [ExcelNumberFormat.Kind?] {
        var customCodes: [Int: String] = [:]
        var styles: [ExcelNumberFormat.Kind?] = []
        var inCellXfs = false
        var xfDepth = 0
        try scanPart(part, in: archive) { event in
            switch event {
            case .start("numFmt", let attributes, _):
                if let id = attributes["numFmtId"].flatMap({ Int($0) }), let code = attributes["formatCode"] { customCodes[id] = code }
            case .start("cellXfs", _, let selfClosing):
                inCellXfs = !selfClosing
            case .end("cellXfs"):
                inCellXfs = false
            case .start("xf", let attributes, let selfClosing) where inCellXfs && xfDepth == 0:
                let id = attributes["numFmtId"].flatMap { Int($0) } ?? 0
                if let code = customCodes[id] {
                    styles.append(ExcelNumberFormat.kind(code))
                } else if ExcelNumberFormat.isBuiltInDate(id) {
                    styles.append(ExcelNumberFormat.isBuiltInTime(id) ? (id == 22 ? .dateTime : .time) : .date)
                } else {
                    styles.append(nil)
                }
                if !selfClosing { xfDepth = 1 }
            case .end("xf") where inCellXfs:
                xfDepth = 0
            default:
                break
            }
        }
        return styles
    }
}
