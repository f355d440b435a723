/// A falling-head permeability test on an ore or tailings specimen under a leaching solution.
public struct SeepageTest: Sendable, Equatable {
    public var id: Int64 = 0
    public var code: String
    public var sampleCode: String
    public var material: String?
    /// `water`, `(NH4)2SO4`, `MgSO4` …
    public var solution: String
    public var concentrationPercent: Double
    /// Leaching path, e.g. `3%->1%` (nil for a single solution).
    public var path: String?
    public var specimenLengthCm: Double
    public var specimenAreaCm2: Double
    /// Cross-section of the standpipe, a (cm²).
    public var standpipeAreaCm2: Double
    public var dryDensityGPerCm3: Double?
    public var testedOn: String?
    public var notes: String?

    public init(code: String, sampleCode: String, material: String? = nil, solution: String,
                concentrationPercent: Double, path: String? = nil, specimenLengthCm: Double, specimenAreaCm2: Double,
                standpipeAreaCm2: Double, dryDensityGPerCm3: Double? = nil, testedOn: String? = nil, notes: String? = nil) {
        self.code = code; self.sampleCode = sampleCode; self.material = material; self.solution = solution
        self.concentrationPercent = concentrationPercent; self.path = path; self.specimenLengthCm = specimenLengthCm
        self.specimenAreaCm2 = specimenAreaCm2; self.standpipeAreaCm2 = standpipeAreaCm2
        self.dryDensityGPerCm3 = dryDensityGPerCm3; self.testedOn = testedOn; self.notes = notes
    }

    init(row: Row) {
        self.init(code: row.string("code") ?? "", sampleCode: row.string("sample_code") ?? "",
                  material: row.string("material"), solution: row.string("solution") ?? "",
                  concentrationPercent: row.double("concentration_percent") ?? 0, path: row.string("path"),
                  specimenLengthCm: row.double("specimen_length_cm") ?? 0,
                  specimenAreaCm2: row.double("specimen_area_cm2") ?? 0,
                  standpipeAreaCm2: row.double("standpipe_area_cm2") ?? 0,
                  dryDensityGPerCm3: row.double("dry_density_g_cm3"), testedOn: row.string("tested_on"),
                  notes: row.string("notes"))
        id = row.int64("id") ?? 0
    }

    /// The condition the test stands for in comparisons: solution, concentration and path.
    public var conditionLabel: String {
        var label = solution == "water" ? "water" : "\(Validate.format(concentrationPercent)) % \(solution)"
        if let path, !path.isEmpty { label += " (path \(path))" }
        return label
    }
}

/// One falling-head reading: h1 → h2 (cm) over dt (s).
public struct HeadReading: Sendable, Equatable {
    public var readingNo: Int
    public var h1Cm: Double
    public var h2Cm: Double
    public var dtS: Double
    public var temperatureC: Double?
    public init(readingNo: Int, h1Cm: Double, h2Cm: Double, dtS: Double, temperatureC: Double?) {
        self.readingNo = readingNo; self.h1Cm = h1Cm; self.h2Cm = h2Cm; self.dtS = dtS; self.temperatureC = temperatureC
    }
}

/// A pressure-plate SWCC test and its steps.
public struct SWCCTest: Sendable, Equatable {
    public var id: Int64 = 0
    public var code: String
    public var sampleCode: String
    public var seepageTestCode: String?
    public var solution: String?
    public var concentrationPercent: Double?
    public var path: String?
    public var dryDensityGPerCm3: Double?
    public var steps: [SWCCStep] = []
}

/// Matric suction (kPa) and mass water content (g/g) at equilibrium.
public struct SWCCStep: Sendable, Equatable {
    public var suctionKPa: Double
    public var waterContent: Double
    public var dryDensityGPerCm3: Double?
    public init(suctionKPa: Double, waterContent: Double, dryDensityGPerCm3: Double?) {
        self.suctionKPa = suctionKPa; self.waterContent = waterContent; self.dryDensityGPerCm3 = dryDensityGPerCm3
    }
}

extension LabStore {
    static let seepageTestSelect = """
        SELECT t.*, s.code AS sample_code FROM seepage_test t JOIN sample s ON s.id = t.sample_id
        """

    public func seepageTest(code: String) throws -> SeepageTest? {
        try db.firstRow(Self.seepageTestSelect + " WHERE t.code = ?", [code]).map(SeepageTest.init(row:))
    }

    public func requireSeepageTest(code: String) throws -> SeepageTest {
        if let test = try seepageTest(code: code) { return test }
        let codes = try db.rows("SELECT code FROM seepage_test").compactMap { $0.string("code") }
        throw StoreError.notFound(kind: "seepage test", key: code, suggestions: Suggestions.closest(to: code, among: codes))
    }

    public func seepageTests() throws -> [SeepageTest] {
        try db.rows(Self.seepageTestSelect + " ORDER BY t.id").map(SeepageTest.init(row:))
    }

    public func headReadings(testID: Int64) throws -> [HeadReading] {
        try db.rows("SELECT * FROM seepage_head_reading WHERE test_id = ? ORDER BY reading_no", [testID]).map {
            HeadReading(readingNo: $0.int("reading_no") ?? 0, h1Cm: $0.double("h1_cm") ?? 0, h2Cm: $0.double("h2_cm") ?? 0,
                        dtS: $0.double("dt_s") ?? 0, temperatureC: $0.double("temperature_c"))
        }
    }

    public func swccTests() throws -> [SWCCTest] {
        let tests = try db.rows("""
            SELECT w.*, s.code AS sample_code, t.code AS seepage_code FROM swcc_test w
            JOIN sample s ON s.id = w.sample_id LEFT JOIN seepage_test t ON t.id = w.seepage_test_id
            ORDER BY w.id
            """)
        return try tests.map { row in
            var test = SWCCTest(code: row.string("code") ?? "", sampleCode: row.string("sample_code") ?? "",
                                seepageTestCode: row.string("seepage_code"), solution: row.string("solution"),
                                concentrationPercent: row.double("concentration_percent"), path: row.string("path"),
                                dryDensityGPerCm3: row.double("dry_density_g_cm3"))
            test.id = row.int64("id") ?? 0
            test.steps = try db.rows("SELECT * FROM swcc_step WHERE swcc_test_id = ? ORDER BY suction_kpa", [test.id]).map {
                SWCCStep(suctionKPa: $0.double("suction_kpa") ?? 0, waterContent: $0.double("water_content") ?? 0,
                         dryDensityGPerCm3: $0.double("dry_density_g_cm3"))
            }
            return test
        }
    }
}
