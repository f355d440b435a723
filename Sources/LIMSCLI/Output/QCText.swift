import Foundation
import LIMSStore

/// `lims qc batch` and `lims qc chart` as text (sections), one tidy CSV table, or JSON.
enum QCText {
    static func n(_ value: Double?, _ digits: Int = 4) -> String {
        guard let value else { return "" }
        return String(format: "%.\(digits)g", value)
    }

    static func pct(_ value: Double?) -> String { value.map { String(format: "%.1f", $0) } ?? "" }

    static func verdictWord(_ pass: Bool?) -> String { pass.map { $0 ? "pass" : "FAIL" } ?? "–" }

    static func text(_ report: BatchQCReport) -> String {
        var out = "QC of batch \(report.batchID) (\(report.fileName)): \(report.verdict.rawValue.uppercased())\n"
        for reason in report.reasons { out += "  - \(reason)\n" }
        func section(_ title: String, _ table: ResultTable, empty: String) {
            out += "\n\(title)\n"
            out += table.rows.isEmpty ? "  (\(empty))\n" : table.renderText()
        }
        var blanks = ResultTable(columns: ["line", "unit", "n", "censored", "mean", "SD", "LOD (3 SD)", "LOQ (10 SD)"])
        blanks.rows = report.blanks.map { b in
            [.text(b.line.name), .text(b.unit), .integer(Int64(b.n)), .integer(Int64(b.censored)), .text(n(b.mean)), .text(n(b.sd)),
             .text(n(b.lod)), .text(n(b.loq))]
        }
        section("Procedural blanks (method LOD = 3 × SD, LOQ = 10 × SD of the blanks; n measured values)", blanks, empty: "no procedural blanks")
        let limits = report.settings
        var crm = ResultTable(columns: ["row", "CRM", "line", "measured", "unit", "certified", "kind", "recovery %", "result", "note"])
        crm.rows = report.crm.map { r in
            [.text(r.label), .text(r.crmName), .text(r.line.name), .text(n(r.measured)), .text(r.unit),
             .text(r.certified.map { "\(n($0.value)) \($0.unit)" } ?? ""), .text(r.certified?.kind ?? ""), .text(pct(r.recovery)),
             .text(verdictWord(r.pass)), .text(r.note ?? "")]
        }
        section("CRM recovery (measured / certified × 100; limits \(n(limits.crmRecovery.lowerBound))–\(n(limits.crmRecovery.upperBound)) %)", crm, empty: "no CRM rows")
        var duplicates = ResultTable(columns: ["duplicate", "of", "line", "a", "b", "unit", "RPD %", "DL", "limit %", "result", "note"])
        duplicates.rows = report.duplicates.map { d in
            [.text(d.label), .text(d.original), .text(d.line.name), .text(n(d.a)), .text(n(d.b)), .text(d.unit), .text(pct(d.rpd)),
             .text(n(d.detectionLimit)), .text(n(d.limit)), .text(verdictWord(d.pass)), .text(d.note ?? "")]
        }
        section("Duplicates (RPD = |a − b| / mean × 100)", duplicates, empty: "no duplicate pairs")
        var drift = ResultTable(columns: ["position", "check standard", "line", "measured", "expected", "unit", "from", "recovery %", "result"])
        drift.rows = report.drift.map { p in
            [p.position.map { .integer(Int64($0)) } ?? .null, .text(p.label), .text(p.line.name), .text(n(p.measured)), .text(n(p.expected)),
             .text(p.unit), .text(p.expectedFrom), .text(pct(p.recovery)), .text(verdictWord(p.pass))]
        }
        section("Drift of check standards along the run (limits \(n(limits.ccvRecovery.lowerBound))–\(n(limits.ccvRecovery.upperBound)) %)", drift, empty: "no check standards")
        var westgard = ResultTable(columns: ["CRM", "line", "row", "z", "rules"])
        westgard.rows = report.westgard.map { w in
            [.text(w.crmName), .text(w.line.name), .text(w.label), .text(String(format: "%.2f", w.z)), .text(w.rules.map(\.rawValue).joined(separator: " "))]
        }
        section("Westgard rules broken at this batch's CRM points (control charts across batches)", westgard, empty: "none")
        return out
    }

    /// Every check of the batch in one tidy table (numbers in numeric columns).
    static func table(_ report: BatchQCReport) -> ResultTable {
        var table = ResultTable(columns: ["batch", "check", "row", "reference", "line", "unit", "measured", "expected", "statistic",
                                          "value", "limit_low", "limit_high", "result", "note"])
        let id = Cell.integer(report.batchID)
        func result(_ pass: Bool?) -> Cell { pass.map { .text($0 ? "pass" : "fail") } ?? .null }
        for b in report.blanks {
            table.rows.append([id, .text("blank"), .null, .null, .text(b.line.name), .text(b.unit), .number(b.mean), .null, .text("LOD"),
                               .number(b.lod), .null, .null, .null, .text("n=\(b.n) censored=\(b.censored); LOQ=\(n(b.loq))")])
        }
        for r in report.crm {
            table.rows.append([id, .text("crm"), .text(r.label), .text(r.crmName), .text(r.line.name), .text(r.unit), .number(r.measured),
                               .number(r.certified.flatMap(CRMCatalog.milligramsPerKilogram)), .text("recovery_pct"), .number(r.recovery),
                               .number(report.settings.crmRecovery.lowerBound), .number(report.settings.crmRecovery.upperBound),
                               result(r.pass), .optionalText(r.note)])
        }
        for d in report.duplicates {
            table.rows.append([id, .text("duplicate"), .text(d.label), .text(d.original), .text(d.line.name), .text(d.unit), .number(d.b),
                               .number(d.a), .text("rpd_pct"), .number(d.rpd), .null, .number(d.limit), result(d.pass), .optionalText(d.note)])
        }
        for p in report.drift {
            table.rows.append([id, .text("drift"), .text(p.label), .text(p.expectedFrom), .text(p.line.name), .text(p.unit), .number(p.measured),
                               .number(p.expected), .text("recovery_pct"), .number(p.recovery), .number(report.settings.ccvRecovery.lowerBound),
                               .number(report.settings.ccvRecovery.upperBound), result(p.pass), .null])
        }
        for w in report.westgard {
            table.rows.append([id, .text("westgard"), .text(w.label), .text(w.crmName), .text(w.line.name), .null, .null, .null, .text("z"),
                               .number(w.z), .null, .null, .text(w.rules.contains { !$0.isWarning } ? "fail" : "warning"),
                               .text(w.rules.map(\.rawValue).joined(separator: " "))])
        }
        return table
    }

    static func json(_ report: BatchQCReport) -> String {
        func number(_ value: Double?) -> Any { value.map { $0 as Any } ?? NSNull() }
        let object: [String: Any] = [
            "batch": report.batchID, "file": report.fileName, "verdict": report.verdict.rawValue, "reasons": report.reasons,
            "limits": ["crm_recovery": [report.settings.crmRecovery.lowerBound, report.settings.crmRecovery.upperBound],
                       "ccv_recovery": [report.settings.ccvRecovery.lowerBound, report.settings.ccvRecovery.upperBound],
                       "duplicate_rpd_max": report.settings.duplicateRPDMax],
            "blanks": report.blanks.map { ["line": $0.line.name, "unit": $0.unit, "n": $0.n, "censored": $0.censored,
                                           "mean": number($0.mean), "sd": number($0.sd), "lod": number($0.lod), "loq": number($0.loq)] },
            "crm": report.crm.map { ["row": $0.label, "crm": $0.crmName, "line": $0.line.name, "measured": number($0.measured), "unit": $0.unit,
                                     "certified": number($0.certified?.value), "certified_unit": $0.certified?.unit as Any? ?? NSNull(),
                                     "kind": $0.certified?.kind as Any? ?? NSNull(), "recovery_pct": number($0.recovery),
                                     "pass": $0.pass as Any? ?? NSNull(), "note": $0.note as Any? ?? NSNull()] },
            "duplicates": report.duplicates.map { ["row": $0.label, "of": $0.original, "line": $0.line.name, "a": $0.a, "b": $0.b,
                                                   "unit": $0.unit, "rpd_pct": $0.rpd, "dl": number($0.detectionLimit),
                                                   "limit_pct": number($0.limit), "pass": $0.pass as Any? ?? NSNull(),
                                                   "note": $0.note as Any? ?? NSNull()] },
            "drift": report.drift.map { ["row": $0.label, "position": $0.position as Any? ?? NSNull(), "line": $0.line.name,
                                         "measured": $0.measured, "expected": $0.expected, "unit": $0.unit, "expected_from": $0.expectedFrom,
                                         "recovery_pct": $0.recovery, "pass": $0.pass] },
            "westgard": report.westgard.map { ["crm": $0.crmName, "line": $0.line.name, "row": $0.label, "z": $0.z,
                                               "rules": $0.rules.map(\.rawValue)] },
        ]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    static func chartTable(_ chart: ControlChart) -> ResultTable {
        var table = ResultTable(columns: ["run", "batch", "file", "row", "measured_at", "value", "unit", "z", "rules"])
        table.rows = chart.points.enumerated().map { i, p in
            [.integer(Int64(i + 1)), .integer(p.batchID), .text(p.fileName), .text(p.label), .optionalText(p.measuredAt),
             .number(p.value), .text(chart.unit), .number(p.z), .text(p.rules.map(\.rawValue).joined(separator: " "))]
        }
        return table
    }

    static func chartText(_ chart: ControlChart) -> String {
        var out = "Control chart \(chart.crmName) \(chart.line.name) (\(chart.unit)), \(chart.points.count) runs\n"
        if let mean = chart.mean, let sd = chart.sd {
            out += "  target from \(chart.baselineCount) points: mean \(n(mean)), SD \(n(sd)); ±2 SD \(n(mean - 2 * sd))–\(n(mean + 2 * sd)), ±3 SD \(n(mean - 3 * sd))–\(n(mean + 3 * sd))\n"
        } else {
            out += "  fewer than 2 points: no target, no rules\n"
        }
        if let certified = chart.certified { out += "  \(certified.kind) value \(n(certified.value)) \(certified.unit) (\(certified.citation ?? "no citation"))\n" }
        let broken = chart.points.filter { !$0.rules.isEmpty }
        out += broken.isEmpty ? "  no Westgard rule broken\n"
            : "  Westgard rules broken at \(broken.count) points: " + broken.map { "\($0.label) [\($0.fileName)] \($0.rules.map(\.rawValue).joined(separator: " "))" }.joined(separator: "; ") + "\n"
        return out + "\n" + chartTable(chart).renderText()
    }
}
