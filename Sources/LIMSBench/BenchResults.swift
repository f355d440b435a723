import Foundation

/// Everything one benchmark run measured; encoded as latest.json and rendered as latest.md.
struct BenchResults: Codable {
    var machine: MachineInfo
    var settings: Settings
    var imports: [ImportResult] = []
    var queries: [QueryResult] = []
    var reports: [ReportResult] = []
    var growth: [GrowthFit] = []
    var memory: MemoryFit?
    var targets: [TargetCheck] = []
    var profile: String?
    var profileSubject: String?
    /// sqlite3 INSERT … SELECT into the lims schema with parts of its per-row work removed.
    var schemaCosts: [SchemaCost] = []
    var notes: [String] = []

    struct Settings: Codable {
        var command: String
        var seed: UInt64
        var valueScales: [Int]
        var queryScales: [Int]
        var reportScales: [Int]
        var repeats: Int
        var matrix: String
        var lims: String
        var sqlite3: String?
        var workDirectory: String
    }
}

struct MachineInfo: Codable {
    var date: String
    var cpuModel: String
    var cores: Int
    var memoryGB: Double
    var kernel: String
    var swiftVersion: String
    var benchBuild: String
    var limsBuild: String
    var limsVersion: String
    var sqlite3Version: String?
    var gitCommit: String?
}

/// One measured child run (or why it could not run).
struct StepMeasure: Codable {
    var seconds: Double?
    var userSeconds: Double?
    var systemSeconds: Double?
    var peakRSSMB: Double?
    var error: String?

    static func from(_ run: ChildRun) -> StepMeasure {
        run.succeeded
            ? StepMeasure(seconds: run.seconds, userSeconds: run.userSeconds, systemSeconds: run.systemSeconds,
                          peakRSSMB: run.peakRSSMB)
            : StepMeasure(error: "not available: \(run.firstErrorLine)")
    }
    static func unavailable(_ why: String) -> StepMeasure { StepMeasure(error: why) }
}

struct ImportResult: Codable {
    var lab: String
    var samples: Int
    var rows: Int
    var values: Int
    var agilentMB: Double
    var longMB: Double
    var generateSeconds: Double
    var registerSamples: StepMeasure
    /// sqlite3 alone writing the register's own rows (samples, preparation steps, batch, audit
    /// rows) into the database as it was before the register (RegisterReference).
    var sqlite3RegisterIntoSchema: StepMeasure = .unavailable("not run")
    /// LIMSStore.CSVReader alone over the Agilent file (lims-bench --read-csv): the parsing floor.
    var csvReader: StepMeasure
    /// sqlite3 alone moving the same values from its plain table into the lims schema
    /// (`INSERT INTO measurement … SELECT` with the real constraints, foreign keys and indexes).
    var sqlite3IntoSchema: StepMeasure = .unavailable("not run")
    /// The minimal importer without validation (lims-bench --write-floor), whole child run.
    var writeFloor: StepMeasure
    /// Its phases: SHA-256 of the file (LIMSStore.SHA256) and read + parse + insert + commit.
    var floorHashSeconds: Double?
    var floorInsertSeconds: Double?
    var dryRun: StepMeasure
    var lims: StepMeasure
    var sqlite3: StepMeasure
    /// measurement + qc_measurement rows after the import (lims status), to show the values landed.
    var storedValues: Int?
    /// rows in sqlite3's table after .import.
    var sqlite3Rows: Int?

    var limsValuesPerSecond: Double?
    var sqlite3ValuesPerSecond: Double?
    /// lims speed ÷ sqlite3 speed (target ≥ 0.5).
    var speedRatio: Double?

    /// Fills the rates from the times (stored, so latest.json carries them).
    mutating func computeRates() {
        limsValuesPerSecond = lims.seconds.map { Double(values) / $0 }
        sqlite3ValuesPerSecond = sqlite3.seconds.map { Double(values) / $0 }
        if let a = limsValuesPerSecond, let b = sqlite3ValuesPerSecond, b > 0 { speedRatio = a / b } else { speedRatio = nil }
    }
}

struct SchemaCost: Codable {
    var variant: String
    var values: Int
    var step: StepMeasure
}

struct QueryResult: Codable {
    var lab: String
    var values: Int
    var variant: String
    var arguments: [String]
    var runsSeconds: [Double]
    var medianSeconds: Double?
    /// Median time from spawn to the first line on stdout (for ndjson: the first row).
    var firstLineSeconds: Double? = nil
    /// The run was stopped after its first line (latency only; no total, no memory).
    var firstLineOnly: Bool = false
    var rowsOut: Int?
    var peakRSSMB: Double?
    var error: String?
}

struct ReportResult: Codable {
    var lab: String
    var samples: Int
    var values: Int
    var runsSeconds: [Double]
    var medianSeconds: Double?
    var peakRSSMB: Double?
    var filesOut: Int?
    var error: String?
    /// sqlite3 alone reading every value the report reads (`ReportData.valuesSQL`, each column touched):
    /// the floor under `report all`, since every value is read once.
    var sqlite3ReadValues: StepMeasure = .unavailable("not run")
}

struct GrowthFit: Codable {
    var step: String
    var size: String
    var points: Int
    var exponent: Double?
    var nLogNExponent: Double?
    /// exponent ≤ the n·log n exponent over the same sizes + 0.05 (timing noise).
    var withinNLogN: Bool?
}

struct MemoryFit: Codable {
    var largestFileMB: Double
    var peakRSSMBAtLargest: Double
    /// Least-squares slope of peak RSS on file size over the imports of files ≥ 20 MB (nil with fewer than two).
    var mbPerGBOfFile: Double?
    var projectedPeakMBAt1GB: Double?
    var fittedFiles: Int
}

struct TargetCheck: Codable {
    var target: String
    var measured: String
    /// nil = not measured in this run.
    var met: Bool?
}
