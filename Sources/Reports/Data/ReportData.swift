import LIMSStore

/// A sample as the reports see it: its treatment through its plot, and its lineage.
public struct ReportSample: Sendable, Equatable {
    public var id: Int64
    public var code: String
    public var type: String
    public var treatmentCode: String?
    public var plotCode: String?
    public var parentID: Int64?
    public var depthTopCm: Double? = nil
    public var depthBottomCm: Double? = nil

    /// "0–10" (cm), "> 30", or "" when no depth is logged.
    public var depthText: String {
        switch (depthTopCm, depthBottomCm) {
        case let (t?, b?): return "\(Validate.format(t))–\(Validate.format(b))"
        case let (t?, nil): return "> \(Validate.format(t))"
        case let (nil, b?): return "< \(Validate.format(b))"
        default: return ""
        }
    }
}

public struct ReportTreatment: Sendable, Equatable {
    public var id: Int64
    public var code: String
    public var name: String?
}

/// One CaCl₂ extraction: soil sample in, extract sample out.
public struct ExtractionRecord: Sendable, Equatable {
    public var soilSampleID: Int64
    public var extractSampleID: Int64
    public var extractCode: String
    public var soilMassG: Double?
    public var solutionMassG: Double?
    public var solutionVolumeML: Double?
    public var cacl2MmolL: Double?
    public var contactTimeH: Double?
}

/// One wet-sieving row: a class and replicate of a parent sample.
public struct SizeFractionRecord: Sendable, Equatable {
    public var parentSampleID: Int64
    public var fractionSampleID: Int64?
    public var classLabel: String
    public var lowerUm: Double?
    public var upperUm: Double?
    public var replicate: Int
    public var massG: Double
}

/// Everything the reports read, loaded once in one read transaction (a consistent snapshot).
/// Values are the current ones: `measurement.status = 'valid'` with a sample, `soil_property.status = 'valid'`.
public struct ReportData: Sendable {
    public var databasePath: String
    public var treatments: [ReportTreatment]
    public var samples: [Int64: ReportSample]
    /// sample id → analyte → stored values (replicate runs), compact (`MeasurementTable`).
    public var measurements: MeasurementTable
    /// sample id → property → stored values.
    public var properties: [Int64: [String: [RawValue]]]
    public var extractions: [ExtractionRecord]
    public var fractions: [SizeFractionRecord]
    public var thinSections: ThinSectionData

    /// `excludingBatches`: import batches whose values are left out (failed QC, `--exclude-failed-qc`).
    /// The stored values a report reads, every valid one of every sample, in id order (one scan;
    /// `lims-bench` times sqlite3 alone reading the same columns as the floor under `report all`).
    static let valuesSQL = """
        SELECT sample_id, analyte, value, qualifier, detection_limit, trim(unit) AS unit, method, batch_id FROM measurement
        WHERE status = 'valid' AND sample_id IS NOT NULL ORDER BY id
        """

    public static func load(from store: LabStore, excludingBatches: Set<Int64> = []) throws -> ReportData {
        let db = store.db
        return try db.readTransaction {
            let treatments = try db.rows("SELECT id, code, name FROM treatment ORDER BY id").map {
                ReportTreatment(id: $0.int64("id") ?? 0, code: $0.string("code") ?? "", name: $0.string("name"))
            }
            var samples: [Int64: ReportSample] = [:]
            // Sized once: growing a dictionary of 10⁵ samples step by step holds the old and new storage at once.
            let sampleCount = Int(try db.scalar("SELECT count(*) FROM sample")?.int64 ?? 0)
            samples.reserveCapacity(sampleCount)
            for row in try db.rows("""
                SELECT s.id, s.code, s.type, s.parent_id, s.depth_top_cm, s.depth_bottom_cm, p.code AS plot_code, t.code AS treatment_code
                FROM sample s LEFT JOIN plot p ON p.id = s.plot_id LEFT JOIN treatment t ON t.id = p.treatment_id
                WHERE s.retired_at IS NULL
                """) {
                let id = row.int64("id") ?? 0
                samples[id] = ReportSample(id: id, code: row.string("code") ?? "", type: row.string("type") ?? "",
                                           treatmentCode: row.string("treatment_code"), plotCode: row.string("plot_code"),
                                           parentID: row.int64("parent_id"), depthTopCm: row.double("depth_top_cm"),
                                           depthBottomCm: row.double("depth_bottom_cm"))
            }
            var measurements = MeasurementTable()
            measurements.reserveSamples(sampleCount)
            // The method of a value: its own, else its import batch's method or instrument (a small table, read once).
            var batchMethods: [Int64: String] = [:]
            for row in try db.rows("SELECT id, coalesce(method, instrument) AS method FROM import_batch") {
                if let id = row.int64("id"), let m = row.string("method") { batchMethods[id] = m }
            }
            // Streamed: a large lab has millions of values; only compact runs are kept. Rows come in id order,
            // so a sample's values mostly arrive together (one instrument row): they are gathered in `current`
            // and added once per run of rows. Qualifier, unit and method mostly repeat from the row before, and
            // the analytes come in the instrument's order: texts are compared by their bytes, and a `String`
            // is made only when one changes.
            var currentID: Int64?
            var current: [MeasurementTable.Run] = []
            var qualifier = RepeatedText(), unit = RepeatedText(), method = RepeatedText()
            var analytes = AnalyteSequence()
            var lastBatch: Int64?, lastDetectionLimit: Double?, lastKindIndex: UInt32?
            func flush() {
                guard let id = currentID, !current.isEmpty else { return }
                measurements.add(sampleID: id, current)
                current.removeAll(keepingCapacity: true)
            }
            try db.prepare(valuesSQL).forEachCursor { row in
                guard let id = row[0].int64 else { return }
                let batch = row[7].int64
                if !excludingBatches.isEmpty, let batch, excludingBatches.contains(batch) { return }
                guard let analyte = row.withTextBytes(1, { text in text.map { analytes.index($0, in: &measurements) } }) else { return }
                if id != currentID { flush(); currentID = id }
                let detectionLimit = row[4].double
                // Each comparison runs (no short-circuit): each remembers its column's text for the next row.
                let sameQualifier = row.withTextBytes(3) { qualifier.repeats($0) }
                let sameUnit = row.withTextBytes(5) { unit.repeats($0) }
                let sameMethod = row.withTextBytes(6) { method.repeats($0) }
                let sameKind = sameQualifier && sameUnit && sameMethod && lastKindIndex != nil
                    && (method.string != nil || batch == lastBatch)
                    && detectionLimit?.bitPattern == lastDetectionLimit?.bitPattern
                if !sameKind {
                    let kind = MeasurementTable.Kind(qualifier: qualifier.string ?? "=", unit: unit.string,
                                                     method: method.string ?? batch.flatMap { batchMethods[$0] },
                                                     detectionLimit: detectionLimit)
                    lastKindIndex = measurements.intern(kind)
                }
                lastBatch = batch
                lastDetectionLimit = detectionLimit
                current.append(MeasurementTable.Run(value: row[2].double ?? .nan, kind: lastKindIndex!, analyte: analyte))
            }
            flush()
            measurements.prepareMasks([ReportData.solidUnits, ReportData.solutionUnits])
            var properties: [Int64: [String: [RawValue]]] = [:]
            for row in try db.rows("""
                SELECT sample_id, property, value, qualifier, detection_limit, trim(unit) AS unit FROM soil_property
                WHERE status = 'valid' ORDER BY id
                """) {
                guard let id = row.int64("sample_id"), let property = row.string("property") else { continue }
                properties[id, default: [:]][property, default: []].append(
                    RawValue(value: row.double("value"), qualifier: row.string("qualifier") ?? "=",
                             detectionLimit: row.double("detection_limit"), unit: row.string("unit")))
            }
            let extractions = try db.rows("""
                SELECT e.*, x.code AS extract_code FROM cacl2_extraction e JOIN sample x ON x.id = e.extract_sample_id
                ORDER BY e.id
                """).map {
                ExtractionRecord(soilSampleID: $0.int64("sample_id") ?? 0, extractSampleID: $0.int64("extract_sample_id") ?? 0,
                                 extractCode: $0.string("extract_code") ?? "", soilMassG: $0.double("soil_mass_g"),
                                 solutionMassG: $0.double("solution_mass_g"), solutionVolumeML: $0.double("solution_volume_ml"),
                                 cacl2MmolL: $0.double("cacl2_mmol_l"), contactTimeH: $0.double("contact_time_h"))
            }
            let fractions = try db.rows("SELECT * FROM size_fraction ORDER BY parent_sample_id, id").map {
                SizeFractionRecord(parentSampleID: $0.int64("parent_sample_id") ?? 0,
                                   fractionSampleID: $0.int64("fraction_sample_id"),
                                   classLabel: $0.string("class_label") ?? "", lowerUm: $0.double("lower_um"),
                                   upperUm: $0.double("upper_um"), replicate: $0.int("replicate") ?? 1,
                                   massG: $0.double("mass_g") ?? 0)
            }
            return ReportData(databasePath: store.path, treatments: treatments, samples: samples,
                              measurements: measurements, properties: properties, extractions: extractions,
                              fractions: fractions, thinSections: try ThinSectionData.load(db))
        }
    }

    /// Sample types that are the field replicates of a treatment. Composites (`other`), blocks,
    /// sub-samples, fractions and extracts are not: counting them would inflate n or count a plot twice.
    public static let replicateSampleTypes: Set<String> = ["bulk", "pit_layer"]

    /// The field replicates of the treatments (bulk and pit-layer samples), in treatment order.
    public func soilSamples(treatments filter: [String]) -> [ReportSample] {
        let order = Dictionary(uniqueKeysWithValues: treatments.enumerated().map { ($1.code, $0) })
        return samples.values.filter { sample in
            guard let t = sample.treatmentCode else { return false }
            if !filter.isEmpty && !filter.contains(t) { return false }
            return ReportData.replicateSampleTypes.contains(sample.type)
        }.sorted { (order[$0.treatmentCode!] ?? 0, $0.code) < (order[$1.treatmentCode!] ?? 0, $1.code) }
    }

    /// Resolved value of an analyte of a sample in the given unit(s); other units are left out.
    public func total(_ sampleID: Int64, _ analyte: String, units: Set<String>, rule: CensoringRule) -> ResolvedValue {
        guard let a = measurements.index(of: analyte) else { return .missing }
        return measurements.resolve(sampleID, a, units: units, rule: rule)
    }

    /// Resolves the stored values of one analyte in the given unit(s). Nearly always every value is in
    /// the unit: then the array is used as it is, without a filtered copy (this runs per sample × analyte).
    static func resolve(_ stored: [RawValue], units: Set<String>, rule: CensoringRule) -> ResolvedValue {
        let raws = stored.allSatisfy { units.contains($0.unit ?? "") } ? stored : stored.filter { units.contains($0.unit ?? "") }
        return raws.isEmpty ? .missing : ResolvedValue.resolve(raws, rule: rule)
    }

    public func property(_ sampleID: Int64, _ name: String, rule: CensoringRule) -> ResolvedValue {
        let raws = properties[sampleID]?[name] ?? []
        return raws.isEmpty ? .missing : ResolvedValue.resolve(raws, rule: rule)
    }

    /// Units of the stored values of an analyte of a sample that are not in `units` (to warn about).
    public func otherUnits(_ sampleID: Int64, _ analyte: String, units: Set<String>) -> [String] {
        Array(Set(measurements.raws(sampleID, analyte).map { normalizedUnit($0.unit) }).subtracting(units)).sorted()
    }

    /// Units are trimmed in SQL when loaded (`trim(unit)`), so this is a plain unwrap: it runs
    /// once per sample × analyte, and Foundation trimming there cost a quarter of a large report.
    func normalizedUnit(_ unit: String?) -> String { unit ?? "" }

    public static let solidUnits: Set<String> = ["mg/kg"]
    public static let solutionUnits: Set<String> = ["mg/L"]
}
