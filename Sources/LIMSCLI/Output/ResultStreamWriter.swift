import Foundation
import LIMSStore

/// `lims query results` as JSON, NDJSON or wide CSV, written value by value as SQLite returns
/// them: nothing but the current row (or, for --wide, the current sample) is held in memory.
enum ResultStreamWriter {
    /// JSON (`[`, objects, `]`) or NDJSON (one object a line) with typed numbers: `value` and
    /// `detection_limit` are numbers or null, never strings; `censored` is true/false and
    /// `reported` is the lab's text (`<0.05`). Returns the number of values written.
    static func writeJSON(_ store: LabStore, _ filter: QueryFilter, lines: Bool, sink: RowSink) throws -> Int {
        var count = 0
        if !lines { sink.append("[\n") }
        try store.forEachResult(filter) { r in
            if !lines && count > 0 { sink.append(",\n") }
            count += 1
            sink.append(object(r, history: filter.allVersions))
            if lines { sink.append("\n") }
        }
        if !lines { sink.append("\n]\n") }
        sink.flush()
        return count
    }

    static func object(_ r: ResultRecord, history: Bool) -> String {
        let censored = ReportedValue.isCensored(r.qualifier)
        var fields: [(String, String)] = [
            ("id", String(r.id)), ("sample", string(r.sample)), ("treatment", string(r.treatment)),
            ("plot", string(r.plot)), ("depth_cm", string(r.depthText)), ("analyte", string(r.analyte)),
            ("value", number(r.qualifier == "=" ? r.value : nil)), ("unit", string(r.unit)),
            ("qualifier", string(r.qualifier)), ("censored", censored ? "true" : "false"),
            ("detection_limit", number(r.detectionLimit)), ("reported", string(r.reported.display)),
            ("method", string(r.method)), ("batch", r.batchID.map { String($0) } ?? "null"), ("file", string(r.file)),
        ]
        if history {
            fields += [("status", string(r.status)), ("superseded_by", r.supersededBy.map { String($0) } ?? "null")]
        }
        return "{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
    }

    /// A JSON number; null for a missing or non-finite one.
    static func number(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "null" }
        return Validate.format(value)
    }

    /// A JSON string (RFC 8259 escapes); null for nil.
    static func string(_ text: String?) -> String {
        guard let text else { return "null" }
        return JSONText.quote(text)
    }

    /// Wide CSV for R or Python: one row per sample; per analyte a numeric value column (empty
    /// when censored), its qualifier (`<`, `>`, `nd`; empty when measured) and detection limit:
    /// `La,La_qualifier,La_dl`. An analyte found in two units gets the unit in the name
    /// (`La_mg_kg`, `La_mg_L`). Returns (samples written, duplicate cells).
    static func writeWideCSV(_ store: LabStore, _ filter: QueryFilter, raw: Bool, sink: RowSink) throws -> (Int, Int) {
        let columns = try store.wideColumns(filter)
        var unitsPerAnalyte: [String: Int] = [:]
        for column in columns { unitsPerAnalyte[column.analyte, default: 0] += 1 }
        var header = ["sample", "treatment", "plot", "depth_cm"]
        for column in columns {
            let base = unitsPerAnalyte[column.analyte]! > 1 && !column.unit.isEmpty
                ? column.analyte + "_" + column.unit.map { $0.isLetter || $0.isNumber ? String($0) : "_" }.joined()
                : column.analyte
            header += [base, base + "_qualifier", base + "_dl"]
        }
        sink.append(header.map(CSVText.escape).joined(separator: ",") + "\n")
        var count = 0
        let duplicates = try store.forEachWideSample(filter) { sample in
            count += 1
            var cells = sample.info.map { cell -> String in
                if case .text(let text) = cell { return RowWriter.escape(raw ? text : CSVField.neutralised(text)) }
                return cell.display
            }
            for column in columns {
                guard let r = sample.values[column] else { cells += ["", "", ""]; continue }
                let censored = r.qualifier != "="
                let value = r.value.flatMap { $0.isFinite ? Validate.format($0) : nil } ?? ""
                cells += [censored ? "" : value,
                          censored ? RowWriter.escape(r.qualifier) : "",
                          r.detectionLimit.map(Validate.format) ?? ""]
            }
            sink.append(cells.joined(separator: ",") + "\n")
        }
        sink.flush()
        return (count, duplicates)
    }
}
