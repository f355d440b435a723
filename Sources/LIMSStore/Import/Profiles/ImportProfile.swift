import Foundation

/// A saved description of a vendor layout no built-in reader knows: which rows hold the header,
/// units and data, and which columns are the sample, its type, the analytes, detection limits,
/// dilution and date. Made from a profile sheet (`ImportProfileSheet`), validated as a whole,
/// stored as JSON in `import_profile`, and read by `GenericProfileReader`.
public struct ImportProfile: Sendable {
    public enum Layout: String, Sendable { case wide, long }

    /// One `key,value` row as written, with where it was (for errors).
    public struct Setting: Sendable, Equatable {
        public var key: String
        public var value: String
        public var line: Int
        public var column: Int
        public init(key: String, value: String, line: Int = 0, column: Int = 2) {
            self.key = key; self.value = value; self.line = line; self.column = column
        }
    }

    public var name: String
    /// The settings as written, in the order of `ImportProfileKey.all` (what is stored and shown).
    public private(set) var settings: [Setting]

    public private(set) var description: String?
    public private(set) var layout: Layout = .wide
    public private(set) var delimiter: Character?
    public private(set) var decimalComma: Bool?
    /// The first row of column names.
    public private(set) var headerRow = 1
    /// The last row of column names: a header of two rows (a group name over each measure) reads
    /// `header_row,1-2`, and a column's name is its cells joined (a blank upper cell takes the group on its left).
    public private(set) var headerLastRow = 1
    /// `3` or `3-4`, as shown in messages.
    public var headerRowsText: String { headerRow == headerLastRow ? "\(headerRow)" : "\(headerRow)-\(headerLastRow)" }
    public private(set) var unitRow: Int?
    public private(set) var dataStarts = 2
    public private(set) var sampleColumn: ColumnReference = .position(0)
    public private(set) var typeColumn: ColumnReference?
    public private(set) var analytePattern: HeaderPattern?
    public private(set) var analyteColumns: [ColumnReference] = []
    public private(set) var analyteColumn: ColumnReference?
    public private(set) var valueColumn: ColumnReference?
    public private(set) var unitColumn: ColumnReference?
    public private(set) var unit: String?
    public private(set) var dlPattern: HeaderPattern?
    public private(set) var dlColumn: ColumnReference?
    public private(set) var dilutionColumn: ColumnReference?
    /// False: the dilution column is recorded in flags, values are not multiplied.
    public private(set) var multiplyDilution = true
    public private(set) var rejectColumn: ColumnReference?
    /// Upper-cased cells of `rejectColumn` that mark a rejected row.
    public private(set) var rejectValues: Set<String> = ["TRUE", "VRAI", "YES", "X", "1"]
    public private(set) var dateColumn: ColumnReference?
    public private(set) var timeColumn: ColumnReference?
    public private(set) var dateOrder: InstrumentDate.Order?
    public private(set) var skipLabels: [String] = []
    public private(set) var ignoreColumns: [ColumnReference] = []
    public private(set) var method: String?

    public func value(_ key: String) -> String? { settings.first { $0.key == key }?.value }

    /// Checks every setting and their combination; all problems at once, each at its `file:line:col`.
    public init(name: String, settings rawSettings: [Setting], source: String) throws {
        self.name = name
        var problems: [ImportDiagnostic] = []
        var byKey: [String: Setting] = [:]
        func problem(_ setting: Setting?, _ message: String) {
            problems.append(ImportDiagnostic(file: source, line: setting?.line ?? 1, column: setting.map { $0.column }, message: message))
        }
        for setting in rawSettings {
            let key = setting.key
            guard ImportProfileKey.names.contains(key) else {
                let hint = Suggestions.closest(to: key, among: ImportProfileKey.names).first.map { "; did you mean \"\($0)\"?" } ?? ""
                problems.append(ImportDiagnostic(file: source, line: setting.line, column: 1,
                                                 message: "unknown setting \"\(key)\"\(hint) (see lims template import-profile)"))
                continue
            }
            if let first = byKey[key] {
                problems.append(ImportDiagnostic(file: source, line: setting.line, column: 1,
                                                 message: "\(key) is given twice (first on line \(first.line))"))
                continue
            }
            if setting.value.trimmingCharacters(in: .whitespaces).isEmpty {
                problem(setting, "\(key): an empty value is not valid; leave the row out or give a value (e.g. \(Self.example(key)))")
                continue
            }
            byKey[key] = setting
        }
        settings = ImportProfileKey.names.compactMap { byKey[$0] }

        func text(_ key: String) -> String? { byKey[key]?.value.trimmingCharacters(in: .whitespaces) }
        func column(_ key: String) -> ColumnReference? {
            guard let value = text(key) else { return nil }
            guard let reference = ColumnReference(value) else {
                problem(byKey[key], "\(key): \"\(value)\" is not a column; expected a header name, a number ≥ 1 or a letter (e.g. \(Self.example(key)))")
                return nil
            }
            return reference
        }
        func columns(_ key: String) -> [ColumnReference] {
            guard let value = text(key) else { return [] }
            return value.split(separator: "|").compactMap { part in
                guard let reference = ColumnReference(String(part)) else {
                    problem(byKey[key], "\(key): \"\(part)\" is not a column; expected header names, numbers or letters separated by |")
                    return nil
                }
                return reference
            }
        }
        func row(_ key: String) -> Int? {
            guard let value = text(key) else { return nil }
            guard let number = Int(value), number >= 1 else {
                problem(byKey[key], "\(key): \"\(value)\" is not a row number; expected a whole number ≥ 1 (e.g. \(Self.example(key)))")
                return nil
            }
            return number
        }
        func pattern(_ key: String) -> HeaderPattern? {
            guard let value = text(key) else { return nil }
            do { return try HeaderPattern(value) } catch {
                problem(byKey[key], "\(key): \"\(value)\" is not a header pattern: \(error.message)")
                return nil
            }
        }
        func choice<T>(_ key: String, _ options: [String: T]) -> T? {
            guard let value = text(key) else { return nil }
            guard let chosen = options[value.lowercased()] else {
                problem(byKey[key], "\(key): \"\(value)\" is not valid; expected one of " + options.keys.sorted().joined(separator: ", "))
                return nil
            }
            return chosen
        }

        description = text("description")
        layout = choice("layout", ["wide": Layout.wide, "long": .long]) ?? .wide
        if let value = text("delimiter"), value.lowercased() != "auto" {
            let named: [String: Character] = ["comma": ",", ",": ",", "semicolon": ";", ";": ";", "tab": "\t", "\\t": "\t",
                                              "pipe": "|", "|": "|"]
            if let character = named[value.lowercased()] { delimiter = character } else {
                problem(byKey["delimiter"], "delimiter: \"\(value)\" is not valid; expected comma, semicolon, tab, pipe or auto")
            }
        }
        decimalComma = choice("decimal", ["point": false, "comma": true, ".": false, ",": true])
        if decimalComma == true && delimiter == "," {
            problem(byKey["decimal"], "decimal: a decimal comma cannot be read in a comma-delimited file; expected decimal point, or another delimiter")
        }
        if let value = text("header_row") {
            let bounds = value.split(separator: "-", omittingEmptySubsequences: false).map { Int($0.trimmingCharacters(in: .whitespaces)) }
            if bounds.count <= 2, let first = bounds.first ?? nil, let last = bounds.last ?? nil, first >= 1, last >= first, last - first < 10 {
                (headerRow, headerLastRow) = (first, last)
            } else {
                problem(byKey["header_row"], "header_row: \"\(value)\" is not a row number or range; expected e.g. 2, or 1-2 for a header of two rows")
            }
        } else if byKey["header_row"] == nil {
            problem(nil, "header_row is missing; expected the row number of the column names (e.g. header_row,1)")
        }
        unitRow = row("unit_row")
        if let unitRow, (headerRow...headerLastRow).contains(unitRow) {
            problem(byKey["unit_row"], "unit_row: \(unitRow) is a header row; expected the row of units under the column names")
        }
        let lastHeader = max(headerLastRow, unitRow ?? 0)
        if let start = row("data_starts") {
            dataStarts = start
            if start <= lastHeader {
                problem(byKey["data_starts"], "data_starts: \(start) is not after the header\(unitRow == nil ? "" : " and unit") rows (\(lastHeader)); expected a row number > \(lastHeader)")
            }
        } else {
            dataStarts = lastHeader + 1
        }
        if let sample = column("sample_column") { sampleColumn = sample } else if byKey["sample_column"] == nil {
            problem(nil, "sample_column is missing; expected the column of the sample names (e.g. sample_column,Sample)")
        }
        typeColumn = column("type_column")
        analytePattern = pattern("analyte_pattern")
        analyteColumns = columns("analyte_columns")
        analyteColumn = column("analyte_column")
        valueColumn = column("value_column")
        unitColumn = column("unit_column")
        dlPattern = pattern("dl_pattern")
        dlColumn = column("dl_column")
        dilutionColumn = column("dilution_column")
        multiplyDilution = choice("dilution", ["multiply": true, "record": false]) ?? true
        if byKey["dilution"] != nil && byKey["dilution_column"] == nil {
            problem(byKey["dilution"], "dilution: applies to a dilution_column, which is missing")
        }
        rejectColumn = column("reject_column")
        if let values = text("reject_values") {
            rejectValues = Set(values.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces).uppercased() }.filter { !$0.isEmpty })
            if byKey["reject_column"] == nil { problem(byKey["reject_values"], "reject_values: applies to a reject_column, which is missing") }
        }
        dateColumn = column("date_column")
        timeColumn = column("time_column")
        if byKey["time_column"] != nil && byKey["date_column"] == nil {
            problem(byKey["time_column"], "time_column without date_column; expected the date column too")
        }
        dateOrder = choice("date_order", ["dmy": InstrumentDate.Order.dmy, "mdy": .mdy, "ymd": .ymd])
        if let value = text("unit") {
            if UnitConversion.isKnownUnit(value) { unit = value } else {
                problem(byKey["unit"], "unit: \"\(value)\" is not a concentration unit; expected one of \(UnitConversion.acceptedList)")
            }
        }
        skipLabels = text("skip_labels").map { $0.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } } ?? []
        ignoreColumns = columns("ignore_columns")
        method = text("method")

        // The layout decides which columns are needed and which make no sense.
        switch layout {
        case .wide:
            if analytePattern == nil && analyteColumns.isEmpty && byKey["analyte_pattern"] == nil && byKey["analyte_columns"] == nil {
                problem(byKey["layout"], "a wide profile needs analyte_pattern (e.g. {element} {mass} ({unit})) or analyte_columns")
            }
            for key in ["analyte_column", "value_column", "unit_column", "dl_column"] where byKey[key] != nil {
                let instead = key == "dl_column" ? "dl_pattern" : key == "unit_column" ? "unit_row or {unit} in analyte_pattern" : "analyte_pattern"
                problem(byKey[key], "\(key) is for layout long; this profile is wide (use \(instead), or set layout,long)")
            }
        case .long:
            if byKey["analyte_column"] == nil { problem(byKey["layout"], "a long profile needs analyte_column (the column naming the analyte)") }
            if byKey["value_column"] == nil { problem(byKey["layout"], "a long profile needs value_column (the column of the concentration)") }
            for key in ["analyte_columns", "dl_pattern", "unit_row"] where byKey[key] != nil {
                problem(byKey[key], "\(key) is for layout wide; this profile is long")
            }
        }
        if !problems.isEmpty { throw ImportDiagnostics(problems) }
    }

    static func example(_ key: String) -> String {
        ImportProfileKey.all.first { $0.name == key }.map { "\($0.name),\($0.example)" } ?? key
    }

    // MARK: Stored form

    /// The JSON stored in `import_profile.definition`: the settings as written.
    public var definitionJSON: String {
        var object: [String: Any] = [:]
        for setting in settings { object[setting.key] = setting.value }
        return JSONText.encode(object)
    }

    /// Reads a stored definition back (validated again: a hand-edited row fails with the key named).
    public init(name: String, definitionJSON: String) throws {
        guard let object = try? JSONSerialization.jsonObject(with: Data(definitionJSON.utf8)) as? [String: Any] else {
            throw StoreError.invalidValue(field: "import_profile.definition of \(name)", value: String(definitionJSON.prefix(60)),
                                          expected: "a JSON object of settings")
        }
        let settings = object.keys.sorted().map { Setting(key: $0, value: "\(object[$0]!)", line: 0, column: 2) }
        try self.init(name: name, settings: settings, source: "import profile \(name)")
    }

    /// The settings as a profile sheet (`lims import-profile show NAME --format csv` can be edited and added again).
    public var sheet: String {
        (["key,value"] + settings.map { "\($0.key),\(CSVText.escape($0.value))" }).joined(separator: "\n") + "\n"
    }
}
