import Foundation

/// The QC of one import batch (`lims qc batch N`): procedural blanks with method LOD/LOQ, CRM
/// recovery, duplicate RPD, check-standard drift, the Westgard rules its CRM points break on their
/// control charts, and a verdict. Formulas:
/// - LOD = 3 × SD and LOQ = 10 × SD of the batch's procedural blanks (qc_type `blank`; calibration
///   blanks excluded), per line, n ≥ 2 measured values (sample SD, n − 1);
/// - recovery = measured / certified × 100 (only certified/reference/consensus/in-house values judge);
/// - RPD = |a − b| / ((a + b) / 2) × 100, judged with the full limit when both values are at least
///   `duplicate_dl_multiple` × DL, with twice the limit from `duplicate_near_dl_multiple` × DL, not
///   judged below (DL: the larger of the two values' detection limits, else the batch LOD);
/// - CCV recovery = measured / expected × 100, the expected value from the label (`CCV 50 ppb`),
///   else the first CCV of the run on that line (relative drift).
public struct BatchQCReport: Sendable {
    public enum Verdict: String, Sendable { case pass, warning, fail, noQC = "no QC" }

    public struct BlankLimit: Sendable {
        public var line: AnalyteLine
        public var unit: String
        public var n: Int
        public var censored: Int
        public var mean: Double?
        public var sd: Double?
        public var lod: Double? { sd.map { 3 * $0 } }
        public var loq: Double? { sd.map { 10 * $0 } }
    }

    public struct CRMRecovery: Sendable {
        public var label: String
        public var crmName: String
        public var position: Int?
        public var line: AnalyteLine
        public var measured: Double?
        public var unit: String
        public var certified: CRMValue?
        public var recovery: Double?
        public var pass: Bool?
        public var note: String?
    }

    public struct DuplicatePair: Sendable {
        public var label: String
        public var original: String
        public var line: AnalyteLine
        public var a: Double
        public var b: Double
        public var unit: String
        public var rpd: Double
        public var detectionLimit: Double?
        public var limit: Double?
        public var pass: Bool?
        public var note: String?
    }

    public struct DriftPoint: Sendable {
        public var label: String
        public var position: Int?
        public var line: AnalyteLine
        public var measured: Double
        public var expected: Double
        public var unit: String
        public var expectedFrom: String
        public var recovery: Double
        public var pass: Bool
    }

    public struct WestgardFinding: Sendable {
        public var crmName: String
        public var line: AnalyteLine
        public var label: String
        public var z: Double
        public var rules: [WestgardRule]
    }

    public var batchID: Int64
    public var fileName: String
    public var settings: QCSettings
    public var blanks: [BlankLimit] = []
    public var crm: [CRMRecovery] = []
    public var duplicates: [DuplicatePair] = []
    public var drift: [DriftPoint] = []
    public var westgard: [WestgardFinding] = []
    public var verdict: Verdict = .noQC
    public var reasons: [String] = []
}

/// Computes `BatchQCReport`s from the stored QC rows (read only). One evaluator judging many
/// batches builds each CRM line's control chart once.
public final class BatchQCEvaluator {
    public let store: LabStore
    private var charts: [String: ControlChart?] = [:]

    public init(store: LabStore) { self.store = store }

    struct QCReading {
        let label: String, type: String, crmName: String?, duplicateOf: String?, position: Int?
        let line: AnalyteLine, value: Double?, unit: String, qualifier: String, detectionLimit: Double?
    }

    public func evaluate(batchID: Int64) throws -> BatchQCReport {
        guard let batch = try store.batch(id: batchID) else {
            throw StoreError.notFound(kind: "import batch", key: String(batchID), suggestions: [])
        }
        let settings = try QCSettings.load(store)
        var report = BatchQCReport(batchID: batchID, fileName: batch.fileName, settings: settings)
        let readings = try qcReadings(batchID)
        report.blanks = blankLimits(readings)
        report.crm = try crmRecoveries(readings, settings: settings)
        report.duplicates = try duplicatePairs(readings, batchID: batchID, blanks: report.blanks, settings: settings)
        report.drift = driftPoints(readings, settings: settings)
        report.westgard = try westgardFindings(readings, batchID: batchID)
        decide(&report, hasQC: !readings.isEmpty)
        return report
    }

    func qcReadings(_ batchID: Int64) throws -> [QCReading] {
        var readings: [QCReading] = []
        try store.db.cachedStatement("""
            SELECT s.label, s.qc_type, s.crm_name, s.duplicate_of, s.position,
                   q.analyte, q.isotope, q.wavelength_nm, q.mode, q.value, q.unit, q.qualifier, q.detection_limit
            FROM qc_sample s JOIN qc_measurement q ON q.qc_sample_id = s.id
            WHERE s.batch_id = ? ORDER BY s.position, q.id
            """).forEachRow([batchID]) { row in
            readings.append(QCReading(label: row.string("label") ?? "", type: row.string("qc_type") ?? "other",
                                      crmName: row.string("crm_name"), duplicateOf: row.string("duplicate_of"),
                                      position: row.int("position"), line: AnalyteLine(row: row), value: row.double("value"),
                                      unit: row.string("unit") ?? "", qualifier: row.string("qualifier") ?? "=",
                                      detectionLimit: row.double("detection_limit")))
        }
        return readings
    }

    func blankLimits(_ readings: [QCReading]) -> [BatchQCReport.BlankLimit] {
        let blanks = Dictionary(grouping: readings.filter { $0.type == "blank" }, by: \.line)
        return blanks.keys.sorted().map { line in
            let rows = blanks[line]!
            let values = rows.filter { $0.qualifier == "=" }.compactMap(\.value)
            let censored = rows.filter { ["<", ">", "nd"].contains($0.qualifier) }.count
            var limit = BatchQCReport.BlankLimit(line: line, unit: rows[0].unit, n: values.count, censored: censored)
            if !values.isEmpty { limit.mean = values.reduce(0, +) / Double(values.count) }
            if values.count >= 2, let mean = limit.mean {
                limit.sd = (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count - 1)).squareRoot()
            }
            return limit
        }
    }

    func crmRecoveries(_ readings: [QCReading], settings: QCSettings) throws -> [BatchQCReport.CRMRecovery] {
        let catalog = try CRMCatalog.all(store)
        return readings.filter { $0.type == "crm" }.map { reading in
            let name = reading.crmName ?? reading.label
            let certified = CRMCatalog.values(for: name, in: catalog)[reading.line.element]
            var row = BatchQCReport.CRMRecovery(label: reading.label, crmName: name, position: reading.position, line: reading.line,
                                                measured: reading.qualifier == "=" ? reading.value : nil, unit: reading.unit,
                                                certified: certified)
            guard let certified else { row.note = "no certified value"; return row }
            guard let measured = row.measured else { row.note = "measured value censored or missing (\(reading.qualifier))"; return row }
            guard let expected = CRMCatalog.milligramsPerKilogram(certified), reading.unit == "mg/kg" else {
                row.note = "measured in \(reading.unit), certified in \(certified.unit): a solution of the digest cannot be compared without its mass and volume"
                return row
            }
            row.recovery = measured / expected * 100
            if certified.judges {
                row.pass = settings.crmRecovery.contains(row.recovery!)
            } else {
                row.note = "information value: shown, not judged"
            }
            return row
        }
    }

    func duplicatePairs(_ readings: [QCReading], batchID: Int64, blanks: [BatchQCReport.BlankLimit],
                        settings: QCSettings) throws -> [BatchQCReport.DuplicatePair] {
        let lod = Dictionary(uniqueKeysWithValues: blanks.compactMap { b in b.lod.map { (b.line, $0) } })
        var pairs: [BatchQCReport.DuplicatePair] = []
        let duplicates = readings.filter { $0.type == "duplicate" && $0.duplicateOf != nil }
        var originals: [String: [AnalyteLine: (value: Double?, qualifier: String, dl: Double?)]] = [:]
        for reading in duplicates {
            let original = reading.duplicateOf!
            if originals[original.uppercased()] == nil { originals[original.uppercased()] = try originalValues(original, batchID: batchID) }
            guard let match = originals[original.uppercased()]?[reading.line] else { continue }
            guard reading.qualifier == "=", let b = reading.value, match.qualifier == "=", let a = match.value else {
                continue  // a censored member: no RPD
            }
            let mean = (a + b) / 2
            let rpd = mean == 0 ? 0 : abs(a - b) / abs(mean) * 100
            let dl = [reading.detectionLimit, match.dl].compactMap { $0 }.max() ?? lod[reading.line]
            var pair = BatchQCReport.DuplicatePair(label: reading.label, original: original, line: reading.line, a: a, b: b,
                                                   unit: reading.unit, rpd: rpd, detectionLimit: dl)
            let smaller = min(abs(a), abs(b))
            if let dl, dl > 0 {
                if smaller >= settings.duplicateDLMultiple * dl {
                    pair.limit = settings.duplicateRPDMax
                } else if smaller >= settings.duplicateNearDLMultiple * dl {
                    pair.limit = 2 * settings.duplicateRPDMax
                    pair.note = "near the DL (< \(Validate.format(settings.duplicateDLMultiple)) × DL): limit doubled"
                } else {
                    pair.note = "below \(Validate.format(settings.duplicateNearDLMultiple)) × DL: not judged"
                }
            } else {
                pair.limit = settings.duplicateRPDMax
                pair.note = "DL unknown: judged with the full limit"
            }
            if let limit = pair.limit { pair.pass = rpd <= limit }
            pairs.append(pair)
        }
        return pairs
    }

    /// The sample (or unmatched name) a duplicate repeats, in the same batch, by line.
    func originalValues(_ name: String, batchID: Int64) throws -> [AnalyteLine: (value: Double?, qualifier: String, dl: Double?)] {
        var values: [AnalyteLine: (value: Double?, qualifier: String, dl: Double?)] = [:]
        try store.db.cachedStatement("""
            SELECT m.analyte, m.isotope, m.wavelength_nm, m.mode, m.value, m.qualifier, m.detection_limit
            FROM measurement m LEFT JOIN sample s ON s.id = m.sample_id
            WHERE m.batch_id = ? AND m.status = 'valid' AND (upper(s.code) = upper(?) OR upper(m.unmatched_name) = upper(?))
            ORDER BY m.id
            """).forEachRow([batchID, name, name]) { row in
            let line = AnalyteLine(row: row)
            if values[line] == nil {
                values[line] = (row.double("value"), row.string("qualifier") ?? "=", row.double("detection_limit"))
            }
        }
        return values
    }

    /// `CCV 50 ppb`, `QC 10 PPM`, `ICV-2.5 mg/L` → the concentration in mg/L (check standards are solutions).
    static func expectedConcentration(_ label: String) -> Double? {
        let text = label.replacingOccurrences(of: ",", with: ".")
        let pattern = #"([0-9]+(?:\.[0-9]+)?)\s*(ppb|ppm|mg/l|ug/l|µg/l|μg/l)"#
        guard let regex = try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive]),
              let match = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
              let numberRange = Range(match.range(at: 1), in: text), let unitRange = Range(match.range(at: 2), in: text),
              let number = Double(text[numberRange]) else { return nil }
        let unit = String(text[unitRange])
        guard let factor = try? UnitConversion.factor(unit, matrix: .solution) else { return nil }
        return number * factor
    }

    func driftPoints(_ readings: [QCReading], settings: QCSettings) -> [BatchQCReport.DriftPoint] {
        var firstByLine: [AnalyteLine: Double] = [:]
        var points: [BatchQCReport.DriftPoint] = []
        for reading in readings where reading.type == "ccv" && reading.qualifier == "=" {
            guard let measured = reading.value else { continue }
            var expected: Double
            var from: String
            if let fromLabel = Self.expectedConcentration(reading.label), reading.unit == "mg/L" {
                expected = fromLabel
                from = "label"
            } else {
                if firstByLine[reading.line] == nil { firstByLine[reading.line] = measured }
                expected = firstByLine[reading.line]!
                from = "first CCV of the run"
            }
            guard expected != 0 else { continue }
            let recovery = measured / expected * 100
            points.append(BatchQCReport.DriftPoint(label: reading.label, position: reading.position, line: reading.line,
                                                   measured: measured, expected: expected, unit: reading.unit, expectedFrom: from,
                                                   recovery: recovery, pass: settings.ccvRecovery.contains(recovery)))
        }
        return points
    }

    func westgardFindings(_ readings: [QCReading], batchID: Int64) throws -> [BatchQCReport.WestgardFinding] {
        var findings: [BatchQCReport.WestgardFinding] = []
        var charted = Set<String>()
        for reading in readings where reading.type == "crm" {
            let name = reading.crmName ?? reading.label
            let key = CRMCatalog.key(name) + "|" + reading.line.name
            guard charted.insert(key).inserted else { continue }
            if charts[key] == nil { charts[key] = .some(try ControlChart.build(store: store, crm: name, line: reading.line)) }
            guard let chart = charts[key] ?? nil else { continue }
            for point in chart.points where point.batchID == batchID && !point.rules.isEmpty {
                findings.append(BatchQCReport.WestgardFinding(crmName: chart.crmName, line: chart.line, label: point.label,
                                                              z: point.z ?? 0, rules: point.rules))
            }
        }
        return findings
    }

    func decide(_ report: inout BatchQCReport, hasQC: Bool) {
        var failures: [String] = [], warnings: [String] = []
        let crmFailed = report.crm.filter { $0.pass == false }
        if !crmFailed.isEmpty {
            failures.append("\(crmFailed.count) CRM recoveries outside \(Validate.format(report.settings.crmRecovery.lowerBound))–\(Validate.format(report.settings.crmRecovery.upperBound)) %: "
                            + crmFailed.prefix(5).map { "\($0.label) \($0.line.name) \(String(format: "%.1f", $0.recovery ?? 0)) %" }.joined(separator: ", "))
        }
        let rpdFailed = report.duplicates.filter { $0.pass == false }
        if !rpdFailed.isEmpty {
            failures.append("\(rpdFailed.count) duplicate RPDs above their limit: "
                            + rpdFailed.prefix(5).map { "\($0.label) \($0.line.name) \(String(format: "%.1f", $0.rpd)) %" }.joined(separator: ", "))
        }
        let drifted = report.drift.filter { !$0.pass }
        if !drifted.isEmpty {
            failures.append("\(drifted.count) check-standard recoveries outside \(Validate.format(report.settings.ccvRecovery.lowerBound))–\(Validate.format(report.settings.ccvRecovery.upperBound)) % (drift): "
                            + drifted.prefix(5).map { "\($0.label) \($0.line.name) \(String(format: "%.1f", $0.recovery)) %" }.joined(separator: ", "))
        }
        let rejections = report.westgard.filter { $0.rules.contains { !$0.isWarning } }
        if !rejections.isEmpty {
            failures.append("Westgard rejection on the control chart: " + rejections.prefix(5).map {
                "\($0.crmName) \($0.line.name) (\($0.rules.filter { !$0.isWarning }.map(\.rawValue).joined(separator: ", ")))"
            }.joined(separator: "; "))
        }
        let onlyWarnings = report.westgard.filter { $0.rules.allSatisfy(\.isWarning) }
        if !onlyWarnings.isEmpty {
            warnings.append("Westgard 1-2s warning: " + onlyWarnings.prefix(5).map { "\($0.crmName) \($0.line.name)" }.joined(separator: ", "))
        }
        if report.crm.isEmpty && report.duplicates.isEmpty && report.drift.isEmpty {
            warnings.append("no CRM, duplicate or check standard to judge the batch by")
        } else if !report.crm.isEmpty && !report.crm.contains(where: { $0.pass != nil }) {
            warnings.append("CRMs measured but none has a certified value that can judge them (lims crm import)")
        }
        if report.blanks.isEmpty {
            warnings.append("no procedural blanks: method LOD/LOQ not computed")
        } else if report.blanks.contains(where: { $0.sd == nil }) {
            warnings.append("fewer than 2 measured blank values on some lines: LOD/LOQ not computed there")
        }
        report.reasons = failures + warnings
        if !hasQC {
            report.verdict = .noQC
            report.reasons = ["the batch has no QC rows"]
        } else {
            report.verdict = !failures.isEmpty ? .fail : !warnings.isEmpty ? .warning : .pass
        }
    }
}
