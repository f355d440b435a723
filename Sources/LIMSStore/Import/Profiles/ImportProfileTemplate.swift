/// `lims template import-profile`: a commented example of a profile sheet, and the words that
/// explain a profile (`--describe`, `lims import-profile show`).
public enum ImportProfileTemplate {
    /// An example sheet: a made-up "ICP-OES wide export" with a units row and DL columns.
    public static var text: String {
        var lines = [
            "# Import profile sheet for `lims import-profile add NAME --from FILE`.",
            "# One setting per row: key,value. Rows starting with # are comments. Row numbers are as a",
            "# spreadsheet shows them (blank rows counted). Columns: a header name, a number (3) or a",
            "# letter (C); a header of that name wins over a letter (ID, DF), a number never is a header.",
            "# Lists are separated by |.",
            "# Placeholders in patterns: {element} {mass} {wavelength} {unit} {mode} {any}.",
            "# This example reads a file like:",
            "#   Run report;;;;;                                    <- row 1 (ignored)",
            "#   Sample;Type;Date;Ce 413.380;Ce 413.380 LOD;Dil     <- row 2, header_row",
            "#   ;;;mg/L;mg/L;                                       <- row 3, unit_row",
            "#   T-01;Sample;14/03/2019 10:42;0,512;0,004;10        <- row 4, data_starts",
            "key,value",
        ]
        let example: [String: String] = [
            "description": "ICP-OES wide export (semicolon, decimal comma, units row, LOD columns)",
            "layout": "wide", "delimiter": "semicolon", "decimal": "comma", "header_row": "2", "unit_row": "3",
            "data_starts": "4", "sample_column": "Sample", "type_column": "Type", "analyte_pattern": "{element} {wavelength}",
            "dl_pattern": "{element} {wavelength} LOD", "dilution_column": "Dil", "dilution": "multiply",
            "date_column": "Date", "date_order": "dmy", "skip_labels": "Mean|SD|%RSD",
        ]
        for key in ImportProfileKey.all {
            lines.append("# \(key.name): \(key.help)")
            if let value = example[key.name] { lines.append("\(key.name),\(CSVText.escape(value))") }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// What each setting of a profile means, in words.
    public static func describe(_ profile: ImportProfile) -> [String] {
        var lines = ["Import profile \(profile.name)" + (profile.description.map { ": \($0)" } ?? "")]
        func add(_ text: String) { lines.append("  " + text) }
        add("layout:      \(profile.layout.rawValue) — " + (profile.layout == .wide ? "one row per sample, one column per analyte" : "one row per sample × analyte"))
        add("delimiter:   " + (profile.delimiter.map { $0 == "\t" ? "tab" : "'\($0)'" } ?? "detected") + "; decimal "
            + (profile.decimalComma.map { $0 ? "comma (1,5 = 1.5)" : "point" } ?? "comma when the delimiter is not a comma"))
        add("rows:        names on row " + profile.headerRowsText + (profile.headerLastRow > profile.headerRow ? " (joined)" : "") + (profile.unitRow.map { ", units on row \($0)" } ?? "")
            + ", data from row \(profile.dataStarts)" + (profile.headerRow > 1 ? " (rows above the header are ignored)" : ""))
        add("sample:      \(profile.sampleColumn)" + (profile.typeColumn.map { "; type from \($0) (QC rows by type and by name)" } ?? "; QC rows told by name"))
        switch profile.layout {
        case .wide:
            var parts: [String] = []
            if let pattern = profile.analytePattern { parts.append("every column whose header reads \"\(pattern)\"") }
            if !profile.analyteColumns.isEmpty { parts.append(profile.analyteColumns.map(\.description).joined(separator: ", ")) }
            add("analytes:    " + parts.joined(separator: " and "))
            if let dl = profile.dlPattern { add("DL:          the column whose header reads \"\(dl)\" for the same element and line") }
        case .long:
            add("analytes:    named in \(profile.analyteColumn!)" + (profile.analytePattern.map { ", written \"\($0)\"" } ?? "")
                + "; values in \(profile.valueColumn!)")
            if let dl = profile.dlColumn { add("DL:          \(dl)") }
        }
        // In the order the reader tries them.
        let patternUnit = profile.analytePattern?.placeholders.contains(.unit) == true
        let unitSources = (profile.layout == .wide
            ? [patternUnit ? "the header's {unit}" : nil, profile.unitRow.map { "row \($0)" }]
            : [profile.unitColumn?.description, patternUnit ? "the analyte cell's {unit}" : nil])
            + [profile.unit.map { "else \($0)" }]
        let units = unitSources.compactMap { $0 }
        add("units:       " + (units.isEmpty ? "none given: the analyte header must carry one (or set unit)" : units.joined(separator: ", ")))
        if let dilution = profile.dilutionColumn {
            add("dilution:    \(dilution), " + (profile.multiplyDilution ? "values and DLs multiplied by it" : "recorded in flags, not multiplied"))
        }
        if let reject = profile.rejectColumn {
            add("rejected:    rows whose \(reject) reads " + profile.rejectValues.sorted().joined(separator: "|") + " become QC rows of type dnu")
        }
        if let date = profile.dateColumn {
            add("date:        \(date)" + (profile.timeColumn.map { " + time \($0)" } ?? "") + (profile.dateOrder.map { ", order \($0.rawValue)" } ?? ""))
        }
        if !profile.skipLabels.isEmpty { add("skipped:     rows named " + profile.skipLabels.joined(separator: ", ")) }
        if !profile.ignoreColumns.isEmpty { add("ignored:     " + profile.ignoreColumns.map(\.description).joined(separator: ", ")) }
        if let method = profile.method { add("method:      \(method)") }
        add("other columns are not imported (named once in a warning)")
        return lines
    }
}
