/// A column leaching run (conventional, or electrokinetic with a voltage gradient) on a soil sample.
public struct LeachingRun: Sendable, Equatable {
    public var id: Int64 = 0
    public var code: String
    public var soilSampleCode: String
    /// `conventional` or `electrokinetic`.
    public var method: String
    public var scale: String?
    public var soilMassG: Double
    public var columnDiameterCm: Double?
    public var columnHeightCm: Double?
    public var bulkDensityGPerCm3: Double?
    public var electrolyte: String
    public var electrolytePercent: Double?
    public var electrolyteVolumeML: Double?
    public var flowRateMLPerMin: Double?
    public var voltageGradientVPerCm: Double?
    public var powerOnH: Double?
    public var powerOffH: Double?
    /// Initial ion-exchangeable REE content of the soil (mg/kg), the basis of recovery efficiency.
    public var tIonMgPerKg: Double?
    public var referenceRunCode: String?
    public var startedOn: String?
    public var notes: String?

    public init(code: String, soilSampleCode: String, method: String, scale: String? = nil, soilMassG: Double,
                columnDiameterCm: Double? = nil, columnHeightCm: Double? = nil, bulkDensityGPerCm3: Double? = nil,
                electrolyte: String, electrolytePercent: Double? = nil, electrolyteVolumeML: Double? = nil,
                flowRateMLPerMin: Double? = nil, voltageGradientVPerCm: Double? = nil, powerOnH: Double? = nil,
                powerOffH: Double? = nil, tIonMgPerKg: Double? = nil, referenceRunCode: String? = nil,
                startedOn: String? = nil, notes: String? = nil) {
        self.code = code; self.soilSampleCode = soilSampleCode; self.method = method; self.scale = scale
        self.soilMassG = soilMassG; self.columnDiameterCm = columnDiameterCm; self.columnHeightCm = columnHeightCm
        self.bulkDensityGPerCm3 = bulkDensityGPerCm3; self.electrolyte = electrolyte
        self.electrolytePercent = electrolytePercent; self.electrolyteVolumeML = electrolyteVolumeML
        self.flowRateMLPerMin = flowRateMLPerMin; self.voltageGradientVPerCm = voltageGradientVPerCm
        self.powerOnH = powerOnH; self.powerOffH = powerOffH; self.tIonMgPerKg = tIonMgPerKg
        self.referenceRunCode = referenceRunCode; self.startedOn = startedOn; self.notes = notes
    }

    init(row: Row) {
        self.init(code: row.string("code") ?? "", soilSampleCode: row.string("soil_code") ?? "",
                  method: row.string("method") ?? "", scale: row.string("scale"), soilMassG: row.double("soil_mass_g") ?? 0,
                  columnDiameterCm: row.double("column_diameter_cm"), columnHeightCm: row.double("column_height_cm"),
                  bulkDensityGPerCm3: row.double("bulk_density_g_cm3"), electrolyte: row.string("electrolyte") ?? "",
                  electrolytePercent: row.double("electrolyte_percent"),
                  electrolyteVolumeML: row.double("electrolyte_volume_ml"), flowRateMLPerMin: row.double("flow_rate_ml_min"),
                  voltageGradientVPerCm: row.double("voltage_gradient_v_cm"), powerOnH: row.double("power_on_h"),
                  powerOffH: row.double("power_off_h"), tIonMgPerKg: row.double("t_ion_mg_kg"),
                  referenceRunCode: row.string("reference_code"), startedOn: row.string("started_on"),
                  notes: row.string("notes"))
        id = row.int64("id") ?? 0
    }

    /// Soil volume in cm³: from the column's size when given, else from mass and bulk density.
    public var soilVolumeCm3: Double? {
        if let d = columnDiameterCm, let h = columnHeightCm { return Double.pi * d * d / 4 * h }
        if let rho = bulkDensityGPerCm3 { return soilMassG / rho }
        return nil
    }
}

/// One leachate collection of a run; its concentrations are the leachate sample's measurements.
public struct LeachateSampling: Sendable, Equatable {
    public var id: Int64 = 0
    public var runCode: String
    public var leachateSampleCode: String
    public var leachateSampleID: Int64 = 0
    public var timeH: Double
    /// Volume collected since the previous collection at this position (mL).
    public var volumeML: Double
    public var position: String

    public init(runCode: String, leachateSampleCode: String, timeH: Double, volumeML: Double, position: String = "outlet") {
        self.runCode = runCode; self.leachateSampleCode = leachateSampleCode; self.timeH = timeH
        self.volumeML = volumeML; self.position = position
    }
}

/// Voltage and current at a time of an electrokinetic run.
public struct ElectricReading: Sendable, Equatable {
    public var timeH: Double
    public var voltageV: Double
    public var currentMA: Double
    public init(timeH: Double, voltageV: Double, currentMA: Double) {
        self.timeH = timeH; self.voltageV = voltageV; self.currentMA = currentMA
    }
}

/// An element recovered from the cathode (mg).
public struct CathodeRecovery: Sendable, Equatable {
    public var element: String
    public var amountMg: Double
    public init(element: String, amountMg: Double) { self.element = element; self.amountMg = amountMg }
}

/// Soil concentration of a section before and after leaching.
public struct LeachingResidual: Sendable, Equatable {
    public var position: String
    public var distanceCm: Double?
    public var element: String
    public var initialMgPerKg: Double
    public var finalMgPerKg: Double
    public init(position: String, distanceCm: Double?, element: String, initialMgPerKg: Double, finalMgPerKg: Double) {
        self.position = position; self.distanceCm = distanceCm; self.element = element
        self.initialMgPerKg = initialMgPerKg; self.finalMgPerKg = finalMgPerKg
    }
}

/// A concentration of a leachate sample as stored in `measurement` (mg/L, valid rows only).
public struct LeachateConcentration: Sendable, Equatable {
    public var analyte: String
    public var value: Double?
    public var qualifier: String
    public var detectionLimit: Double?
    public var unit: String?
    public var rawText: String
}

extension LabStore {
    static let leachingRunSelect = """
        SELECT r.*, s.code AS soil_code, ref.code AS reference_code
        FROM leaching_run r JOIN sample s ON s.id = r.soil_sample_id
        LEFT JOIN leaching_run ref ON ref.id = r.reference_run_id
        """

    public func leachingRun(code: String) throws -> LeachingRun? {
        try db.firstRow(Self.leachingRunSelect + " WHERE r.code = ?", [code]).map(LeachingRun.init(row:))
    }

    public func requireLeachingRun(code: String) throws -> LeachingRun {
        if let run = try leachingRun(code: code) { return run }
        let codes = try db.rows("SELECT code FROM leaching_run").compactMap { $0.string("code") }
        throw StoreError.notFound(kind: "leaching run", key: code, suggestions: Suggestions.closest(to: code, among: codes))
    }

    public func leachingRuns() throws -> [LeachingRun] {
        try db.rows(Self.leachingRunSelect + " ORDER BY r.id").map(LeachingRun.init(row:))
    }

    public func leachateSamplings(runID: Int64) throws -> [LeachateSampling] {
        try db.rows("""
            SELECT ls.*, s.code AS sample_code, r.code AS run_code FROM leachate_sampling ls
            JOIN sample s ON s.id = ls.leachate_sample_id JOIN leaching_run r ON r.id = ls.run_id
            WHERE ls.run_id = ? ORDER BY ls.time_h, ls.position
            """, [runID]).map { row in
            var sampling = LeachateSampling(runCode: row.string("run_code") ?? "",
                                            leachateSampleCode: row.string("sample_code") ?? "",
                                            timeH: row.double("time_h") ?? 0, volumeML: row.double("volume_ml") ?? 0,
                                            position: row.string("position") ?? "outlet")
            sampling.id = row.int64("id") ?? 0
            sampling.leachateSampleID = row.int64("leachate_sample_id") ?? 0
            return sampling
        }
    }

    /// The current (valid) measurements of a leachate sample; when an analyte was measured
    /// more than once (a sheet value and an ICP result), the latest row wins.
    public func leachateConcentrations(sampleID: Int64) throws -> [LeachateConcentration] {
        try db.rows("""
            SELECT m.* FROM measurement m
            WHERE m.sample_id = ? AND m.status = 'valid'
              AND m.id = (SELECT max(m2.id) FROM measurement m2
                          WHERE m2.sample_id = m.sample_id AND m2.analyte = m.analyte AND m2.status = 'valid')
            """, [sampleID]).sorted { AnalyteOrder.areInOrder($0.string("analyte") ?? "", $1.string("analyte") ?? "") }.map {
            LeachateConcentration(analyte: $0.string("analyte") ?? "", value: $0.double("value"),
                                  qualifier: $0.string("qualifier") ?? "=", detectionLimit: $0.double("detection_limit"),
                                  unit: $0.string("unit"), rawText: $0.string("raw_text") ?? "")
        }
    }

    public func electricReadings(runID: Int64) throws -> [ElectricReading] {
        try db.rows("SELECT * FROM leaching_electric_reading WHERE run_id = ? ORDER BY time_h", [runID]).map {
            ElectricReading(timeH: $0.double("time_h") ?? 0, voltageV: $0.double("voltage_v") ?? 0,
                            currentMA: $0.double("current_ma") ?? 0)
        }
    }

    public func cathodeRecoveries(runID: Int64) throws -> [CathodeRecovery] {
        try db.rows("SELECT * FROM leaching_cathode_recovery WHERE run_id = ? ORDER BY element", [runID]).map {
            CathodeRecovery(element: $0.string("element") ?? "", amountMg: $0.double("amount_mg") ?? 0)
        }
    }

    public func leachingResiduals(runID: Int64) throws -> [LeachingResidual] {
        try db.rows("""
            SELECT * FROM leaching_residual WHERE run_id = ? ORDER BY coalesce(distance_cm, 1e300), position, element
            """, [runID]).map {
            LeachingResidual(position: $0.string("position") ?? "", distanceCm: $0.double("distance_cm"),
                             element: $0.string("element") ?? "", initialMgPerKg: $0.double("c_initial_mg_kg") ?? 0,
                             finalMgPerKg: $0.double("c_final_mg_kg") ?? 0)
        }
    }
}
