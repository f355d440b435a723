/// A Levey–Jennings control chart of one CRM line across batches: the CRM's measured values in run
/// order (active batches, oldest first), the target mean and SD (from the first `baseline` points,
/// or all of them), and the Westgard rules each point breaks.
public struct ControlChart: Sendable {
    public struct Point: Sendable {
        public var batchID: Int64
        public var fileName: String
        public var label: String
        public var position: Int?
        public var measuredAt: String?
        public var value: Double
        public var z: Double?
        public var rules: [WestgardRule]
    }

    public var crmName: String
    public var line: AnalyteLine
    public var unit: String
    public var points: [Point]
    public var mean: Double?
    public var sd: Double?
    /// How many points the target was computed from.
    public var baselineCount: Int
    public var certified: CRMValue?

    /// The lines a CRM was measured on, in atomic order.
    public static func lines(store: LabStore, crm: String) throws -> [AnalyteLine] {
        Array(Set(try series(store: store, crm: crm).map(\.line))).sorted()
    }

    struct Reading {
        let line: AnalyteLine
        let point: Point
        let unit: String
        let crmName: String
    }

    static func series(store: LabStore, crm: String) throws -> [Reading] {
        let wanted = CRMCatalog.key(crm)
        var readings: [Reading] = []
        try store.db.cachedStatement("""
            SELECT b.id AS batch_id, b.file_name, s.label, s.crm_name, s.position, s.measured_at,
                   q.analyte, q.isotope, q.wavelength_nm, q.mode, q.value, q.unit
            FROM qc_sample s JOIN import_batch b ON b.id = s.batch_id JOIN qc_measurement q ON q.qc_sample_id = s.id
            WHERE s.qc_type = 'crm' AND b.status = 'active' AND q.qualifier = '=' AND q.value IS NOT NULL
            ORDER BY b.imported_at, b.id, s.position, q.id
            """).forEachRow { row in
            guard let name = row.string("crm_name"), CRMCatalog.key(name) == wanted,
                  let batch = row.int64("batch_id"), let value = row.double("value") else { return }
            readings.append(Reading(line: AnalyteLine(row: row),
                                    point: Point(batchID: batch, fileName: row.string("file_name") ?? "", label: row.string("label") ?? "",
                                                 position: row.int("position"), measuredAt: row.string("measured_at"),
                                                 value: value, z: nil, rules: []),
                                    unit: row.string("unit") ?? "", crmName: name))
        }
        return readings
    }

    /// The chart of `crm` on `line`; nil when the CRM was never measured on that line.
    public static func build(store: LabStore, crm: String, line: AnalyteLine, baseline: Int? = nil) throws -> ControlChart? {
        let readings = try series(store: store, crm: crm).filter { $0.line == line }
        guard let first = readings.first else { return nil }
        var points = readings.map(\.point)
        let count = min(max(baseline ?? points.count, 0), points.count)
        let target = points.prefix(count).map(\.value)
        var mean: Double?, sd: Double?
        if target.count >= 2 {
            let m = target.reduce(0, +) / Double(target.count)
            mean = m
            sd = (target.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(target.count - 1)).squareRoot()
        }
        if let mean, let sd, sd > 0 {
            let fired = WestgardRule.evaluate(points.map(\.value), mean: mean, sd: sd)
            for i in points.indices {
                points[i].z = (points[i].value - mean) / sd
                points[i].rules = fired[i]
            }
        }
        let certified = CRMCatalog.values(for: crm, in: try CRMCatalog.all(store))[line.element]
        return ControlChart(crmName: first.crmName, line: line, unit: first.unit, points: points, mean: mean, sd: sd,
                            baselineCount: target.count, certified: certified)
    }
}
