import Foundation

/// A synthetic lab at a chosen scale: one site, the study's 13 treatments × 5 replicate
/// plots, `sampleCount` bulk samples spread round-robin over the plots, and one ICP-MS run
/// measuring every sample on the real Agilent panel. Everything follows from the seed.
struct SyntheticLab: Sendable {
    let sampleCount: Int
    let seed: UInt64

    struct TreatmentPlan: Sendable {
        let code, name, plotPrefix: String
        let amendment: String?, rate: Double?, amendedOn: String?, plant: String?, plantedOn: String?
        /// Multiplies the levels of this treatment's samples (reclaimed plots hold a little less REE).
        let factor: Double
    }

    static let site = "DN"
    static let plotsPerTreatment = 5
    /// Samples between two calibration checks (CalBlk + mid CalStd) in the run.
    static let samplesPerCheck = 50

    static let treatments: [TreatmentPlan] = {
        var plans = [
            TreatmentPlan(code: "control", name: "Unreclaimed tailings", plotPrefix: "C", amendment: nil, rate: nil,
                          amendedOn: nil, plant: nil, plantedOn: nil, factor: 1.0),
            TreatmentPlan(code: "miscanthus", name: "Amended and planted with Miscanthus sinensis", plotPrefix: "M",
                          amendment: "pig manure + sawdust", rate: 2.6, amendedOn: "2016-03-20",
                          plant: "Miscanthus sinensis", plantedOn: "2016-04-05", factor: 0.85),
            TreatmentPlan(code: "ramie", name: "Amended and planted with ramie", plotPrefix: "R",
                          amendment: "pig manure + sawdust", rate: 5.5, amendedOn: "2015-03-25",
                          plant: "Boehmeria nivea", plantedOn: "2015-04-10", factor: 0.8),
        ]
        for k in 4...13 {
            let code = "t" + String(format: "%02d", k)
            plans.append(TreatmentPlan(code: code, name: "Amendment trial \(k)", plotPrefix: "T\(String(format: "%02d", k))-",
                                       amendment: "pig manure + sawdust", rate: 0.5 * Double(k - 3), amendedOn: "2016-03-20",
                                       plant: k % 2 == 0 ? "Miscanthus sinensis" : "Boehmeria nivea",
                                       plantedOn: "2016-04-05", factor: 0.95 - 0.01 * Double(k)))
        }
        return plans
    }()

    static var plotCount: Int { treatments.count * plotsPerTreatment }

    static func plotCode(_ plot: Int) -> String {
        "\(treatments[plot / plotsPerTreatment].plotPrefix)\(plot % plotsPerTreatment + 1)"
    }

    /// Sample i sits on plot i mod 65, so every treatment gets 1/13 of the samples.
    func plotIndex(ofSample index: Int) -> Int { index % Self.plotCount }

    func sampleCode(_ index: Int) -> String {
        let number = String(index + 1)
        return "\(Self.plotCode(plotIndex(ofSample: index)))-" + String(repeating: "0", count: max(0, 6 - number.count)) + number
    }

    /// Rows of the instrument run: a calibration block, the samples, and a check pair every 50 samples.
    static func runRowCount(samples: Int) -> Int { CalibrationLevel.block.count + samples + 2 * (samples / samplesPerCheck) }

    /// Concentration cells of the run (what `lims import results` stores: samples and QC).
    static func valueCount(samples: Int) -> Int { runRowCount(samples: samples) * AgilentPanel.analytes.count }

    /// The smallest number of samples whose run holds at least `values` concentration cells.
    static func samples(forValues values: Int) -> Int {
        let perRow = AgilentPanel.analytes.count
        var samples = max(1, values / perRow - CalibrationLevel.block.count)
        while valueCount(samples: samples) < values { samples += 1 }
        while samples > 1 && valueCount(samples: samples - 1) >= values { samples -= 1 }
        return samples
    }

    // MARK: Lab sheets

    struct SheetFiles { let sites, treatments, plots, samples: String }

    func writeSheets(in directory: String) throws -> SheetFiles {
        let files = SheetFiles(sites: directory + "/sites.csv", treatments: directory + "/treatments.csv",
                               plots: directory + "/plots.csv", samples: directory + "/samples.csv")
        let sites = try ByteWriter(path: files.sites)
        sites.write("code,name,county,province,country,latitude,longitude,description\n")
        sites.write("\(Self.site),Dingnan demonstration site (synthetic),Dingnan,Jiangxi,China,24.78,115.03,benchmark lab seed \(seed)\n")
        try sites.close()

        let treatments = try ByteWriter(path: files.treatments)
        treatments.write("site,code,name,amendment,amendment_rate_kg_m2,amended_on,plant,planted_on,description\n")
        for t in Self.treatments {
            treatments.write([Self.site, t.code, t.name, t.amendment ?? "", t.rate.map { "\($0)" } ?? "",
                              t.amendedOn ?? "", t.plant ?? "", t.plantedOn ?? "", ""].map(Self.csvField).joined(separator: ",") + "\n")
        }
        try treatments.close()

        let plots = try ByteWriter(path: files.plots)
        plots.write("treatment,code,replicate,area_m2,description\n")
        for plot in 0..<Self.plotCount {
            let t = Self.treatments[plot / Self.plotsPerTreatment]
            plots.write("\(t.code),\(Self.plotCode(plot)),\(plot % Self.plotsPerTreatment + 1),4,2 x 2 m plot\n")
        }
        try plots.close()

        var random = SeededGenerator(seed: seed).derived(1)
        let samples = try ByteWriter(path: files.samples)
        samples.write("code,plot,parent,type,depth_top_cm,depth_bottom_cm,collected_on,mass_g,preparation,description\n")
        for index in 0..<sampleCount {
            let day = 10 + index % 20
            samples.write("\(sampleCode(index)),\(Self.plotCode(plotIndex(ofSample: index))),,bulk,0,10,2018-07-\(day),")
            samples.write(number: ((100 + 900 * random.unit()) * 10).rounded() / 10, significant: 6)
            samples.write(",air-dried; sieved <2 mm; ground <150 um,composite of 5 cores\n")
        }
        try samples.close()
        return files
    }

    /// A CSV field, quoted when it holds a comma, quote or line break.
    static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    // MARK: Instrument files

    struct RunFiles: Sendable {
        let agilentPath, longPath: String
        let rows, sampleRows, values, agilentBytes, longBytes: Int
    }

    /// Writes the MassHunter batch table (`;`-separated, `FAUX` in Rjct, two header rows, as
    /// the real French-Excel export) and, in the same pass, the long CSV of the same
    /// concentration cells (one row per cell, for `sqlite3 .import`).
    func writeRun(agilentPath: String, longPath: String) throws -> RunFiles {
        let agilent = try ByteWriter(path: agilentPath)
        let long = try ByteWriter(path: longPath)
        let panel = AgilentPanel.analytes
        agilent.write(AgilentPanel.headerRow1.joined(separator: ";") + "\n")
        agilent.write(AgilentPanel.headerRow2.joined(separator: ";") + "\n")
        long.write("sample,analyte,value,unit,qualifier,detection_limit,method,measured_on\n")

        var random = SeededGenerator(seed: seed).derived(2)
        let longNames = panel.map { Array(",\($0.longName),".utf8) }
        var runNumber = 0, rows = 0, sampleRows = 0, values = 0
        var cell: [UInt8] = []

        func writeRow(type: String, level: String, name: String, suffix: String, concentration: (Int) -> Double?) {
            runNumber += 1
            let minutes = Self.firstRunMinute + Self.minutesPerRun * (runNumber - 1)
            let stamp = Self.timestamp(minutesFromStart: minutes)
            agilent.write(";FAUX;")
            agilent.write(integer: runNumber, width: 3)
            agilent.write("\(suffix).d;\(stamp.agilent);\(type);\(level);\(name)")
            let drift = random.logNormal(median: 1, sigma: 0.05)
            let longHead = Array(name.utf8)
            let longTail = Array(",ppb,,,ICP-MS,\(stamp.iso)\n".utf8)
            for column in panel.indices {
                let conc = concentration(column)
                let cpsRSD = random.logNormal(median: 2.5, sigma: 0.6)
                let cps = 300 + (conc ?? 0) * 45 * drift
                agilent.write(byte: UInt8(ascii: ";"))
                agilent.write(number: cps)
                agilent.write(byte: UInt8(ascii: ";"))
                agilent.write(number: cpsRSD)
                agilent.write(byte: UInt8(ascii: ";"))
                cell.removeAll(keepingCapacity: true)
                if let conc {
                    ByteWriter.appendNumber(conc, significant: 10, to: &cell)
                } else {
                    cell.append(contentsOf: Array("<0.000".utf8))
                }
                agilent.write(bytes: cell)
                agilent.write(byte: UInt8(ascii: ";"))
                if conc != nil { agilent.write(number: cpsRSD * 1.02) } else { agilent.write("N/A") }
                // Long form: sample,analyte,value,unit,qualifier,detection_limit,method,measured_on
                long.write(bytes: longHead)
                long.write(bytes: longNames[column])
                long.write(bytes: cell)
                long.write(bytes: longTail)
            }
            for standard in AgilentPanel.internalStandards {
                agilent.write(byte: UInt8(ascii: ";"))
                agilent.write(number: random.logNormal(median: standard.cps, sigma: 0.05))
                agilent.write(byte: UInt8(ascii: ";"))
                agilent.write(number: random.logNormal(median: 0.8, sigma: 0.5))
            }
            agilent.write(byte: UInt8(ascii: "\n"))
            rows += 1
            values += panel.count
        }

        func calibrationBlank() {
            writeRow(type: "CalBlk", level: "1", name: "0", suffix: "CALB") { _ in
                random.unit() < 0.7 ? nil : random.logNormal(median: 0.002, sigma: 1)
            }
        }
        func calibrationStandard(_ level: CalibrationLevel) {
            writeRow(type: "CalStd", level: "\(level.level)", name: level.name, suffix: "CALS") { _ in
                random.logNormal(median: level.ppb, sigma: 0.03)
            }
        }

        CalibrationLevel.block.forEach { level in
            if level.ppb == 0 { calibrationBlank() } else { calibrationStandard(level) }
        }
        for index in 0..<sampleCount {
            let treatment = Self.treatments[plotIndex(ofSample: index) / Self.plotsPerTreatment]
            let sampleFactor = random.logNormal(median: treatment.factor, sigma: 0.25)
            writeRow(type: "Sample", level: "", name: sampleCode(index), suffix: "SMPL") { column in
                let analyte = panel[column]
                if random.unit() < analyte.belowDetection { return nil }
                // mg/kg → ppb (µg/kg) as the instrument table reports it.
                return random.logNormal(median: analyte.levelMgPerKg * sampleFactor, sigma: 0.1) * 1000
            }
            sampleRows += 1
            if (index + 1) % Self.samplesPerCheck == 0 {
                calibrationBlank()
                calibrationStandard(CalibrationLevel.check)
            }
        }
        try agilent.close()
        try long.close()
        return RunFiles(agilentPath: agilentPath, longPath: longPath, rows: rows, sampleRows: sampleRows,
                        values: values, agilentBytes: agilent.bytesWritten, longBytes: long.bytesWritten)
    }

    /// The first run is acquired at 10:42 on 2018-12-19, then one every 5 minutes.
    static let firstRunMinute = 10 * 60 + 42
    static let minutesPerRun = 5
    static let runDay = "2018-12-19"

    /// "19/12/2018 10:42" (MassHunter, day first) and "2018-12-19" for the long form, counting
    /// minutes from 2018-12-19 00:00, one run every 5 minutes.
    static func timestamp(minutesFromStart minutes: Int) -> (agilent: String, iso: String) {
        let day = minutes / 1440, minute = minutes % 1440
        let (y, m, d) = civilDate(daysSinceEpoch: daysSinceEpoch(2018, 12, 19) + day)
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return ("\(two(d))/\(two(m))/\(y) \(two(minute / 60)):\(two(minute % 60))", "\(y)-\(two(m))-\(two(d))")
    }

    // Howard Hinnant's days-from-civil and civil-from-days (proleptic Gregorian).
    static func daysSinceEpoch(_ y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civilDate(daysSinceEpoch z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}

/// The calibration levels of the real run's trace block (`Traces 0.1 ppb` … `Traces 200 ppb`).
struct CalibrationLevel: Sendable {
    let level: Int
    let name: String
    let ppb: Double

    static let block: [CalibrationLevel] = [CalibrationLevel(level: 1, name: "0", ppb: 0)]
        + [0.1, 0.5, 1, 5, 10, 50, 100, 200].enumerated().map { index, ppb in
            let label = ppb < 1 ? "\(ppb)" : "\(Int(ppb))"
            return CalibrationLevel(level: index + 2, name: "Traces \(label) ppb", ppb: ppb)
        }
    /// The mid standard re-run as a continuing calibration check.
    static let check = block[5]
}
