import Foundation
import LIMSStore

/// `lims report leaching`: runs compared by REE recovery, impurities, energy and time to equilibrium.
public struct LeachingReport {
    public struct Options: Sendable {
        public var runCodes: [String] = []
        /// Run the impurities are compared with; else each run's own reference run.
        public var referenceRunCode: String?
        /// Band around the plateau for the time to equilibrium (% of the final cumulative amount).
        public var tolerancePercent: Double = 5
        public init(runCodes: [String] = [], referenceRunCode: String? = nil, tolerancePercent: Double = 5) {
            self.runCodes = runCodes; self.referenceRunCode = referenceRunCode; self.tolerancePercent = tolerancePercent
        }
    }

    public struct TimePoint: Sendable {
        public var timeH: Double
        public var intervalMgPerKg: Double
        public var cumulativeMgPerKg: Double
    }

    public struct Impurity: Sendable {
        public var element: String
        public var totalMgPerKg: Double
        public var referenceMgPerKg: Double?
        public var reductionPercent: Double?
    }

    public struct Removal: Sendable {
        public var position: String
        public var distanceCm: Double?
        public var element: String
        public var initialMgPerKg: Double
        public var finalMgPerKg: Double
        public var efficiencyPercent: Double
    }

    public struct RunResult: Sendable {
        public var run: LeachingRun
        public var reeBasis: String
        public var timeline: [TimePoint] = []
        public var leachateREEMgPerKg: Double = 0
        public var cathodeREEMgPerKg: Double?
        public var recoveryPercent: Double?
        public var timeToEquilibriumH: Double?
        /// Total amount leached per element (mg/kg), every analyte measured in the leachates.
        public var elementTotals: [String: Double] = [:]
        public var impurities: [Impurity] = []
        public var referenceRunCode: String?
        public var energyKWh: Double?
        public var energyKWhPerM3: Double?
        public var removals: [Removal] = []
        public var substitutedValues = 0
        public var notes: [String] = []
    }

    public static let rareEarths = ["La", "Ce", "Pr", "Nd", "Sm", "Eu", "Gd", "Tb", "Dy", "Ho", "Er", "Tm", "Yb", "Lu"]
    public static let impurityElements = ["Na", "Al", "K", "Ca", "Mn", "Fe"]  // atomic order

    public var options: Options
    public var results: [RunResult]

    /// Reads the runs and computes everything. Unknown run codes are errors with suggestions.
    public static func build(store: LabStore, options: Options = Options()) throws -> LeachingReport {
        let all = try store.leachingRuns()
        for code in options.runCodes + [options.referenceRunCode].compactMap({ $0 }) {
            _ = try store.requireLeachingRun(code: code)
        }
        var computed: [String: RunResult] = [:]
        for run in all { computed[run.code] = try compute(run, store: store, tolerance: options.tolerancePercent) }
        let selected = options.runCodes.isEmpty ? all.map(\.code) : options.runCodes
        var results: [RunResult] = []
        for code in selected {
            var result = computed[code]!
            if let referenceCode = options.referenceRunCode ?? result.run.referenceRunCode, referenceCode != code,
               let reference = computed[referenceCode] {
                result.referenceRunCode = referenceCode
                result.impurities = result.impurities.map { impurity in
                    var item = impurity
                    item.referenceMgPerKg = reference.elementTotals[impurity.element]
                    item.reductionPercent = item.referenceMgPerKg.flatMap {
                        LeachingCalculations.reductionPercent(impurity.totalMgPerKg, reference: $0)
                    }
                    return item
                }
            }
            results.append(result)
        }
        return LeachingReport(options: options, results: results)
    }

    static func compute(_ run: LeachingRun, store: LabStore, tolerance: Double) throws -> RunResult {
        let samplings = try store.leachateSamplings(runID: run.id)
        var result = RunResult(run: run, reeBasis: "")
        var usedTotal = false, usedSum = false
        var intervalByTime: [Double: Double] = [:]
        for sampling in samplings {
            var concentrations: [String: Double] = [:]
            for c in try store.leachateConcentrations(sampleID: sampling.leachateSampleID) {
                guard c.unit == "mg/L" else {
                    result.notes.append("\(sampling.leachateSampleCode) \(c.analyte): unit \(c.unit ?? "none") is not mg/L; left out")
                    continue
                }
                switch c.qualifier {
                case "=": if let v = c.value { concentrations[c.analyte] = v }
                case "<":
                    if let dl = c.detectionLimit ?? c.value {
                        concentrations[c.analyte] = dl / 2
                        result.substitutedValues += 1
                    }
                case ">":
                    if let v = c.value {
                        concentrations[c.analyte] = v
                        result.notes.append("\(sampling.leachateSampleCode) \(c.analyte): over range (>\(Validate.format(v)) mg/L); the range limit was used, a lower bound")
                    }
                default: break
                }
            }
            let ree: Double?
            if let total = concentrations["REE"] {
                ree = total; usedTotal = true
            } else {
                let parts = rareEarths.compactMap { concentrations[$0] }
                ree = parts.isEmpty ? nil : parts.reduce(0, +)
                if ree != nil { usedSum = true }
            }
            for (analyte, c) in concentrations {
                result.elementTotals[analyte, default: 0] += LeachingCalculations.amountPerSoilMass(
                    concentrationMgPerL: c, volumeML: sampling.volumeML, soilMassG: run.soilMassG)
            }
            guard let ree else {
                result.notes.append("\(sampling.leachateSampleCode) (\(Validate.format(sampling.timeH)) h): no REE concentration yet; left out of Q")
                intervalByTime[sampling.timeH, default: 0] += 0
                continue
            }
            intervalByTime[sampling.timeH, default: 0] += LeachingCalculations.amountPerSoilMass(
                concentrationMgPerL: ree, volumeML: sampling.volumeML, soilMassG: run.soilMassG)
        }
        result.reeBasis = usedTotal && usedSum ? "total REE where measured, else the sum of La–Lu"
            : usedTotal ? "total REE as measured" : "sum of La–Lu"
        let times = intervalByTime.keys.sorted()
        let cumulative = LeachingCalculations.cumulative(times.map { intervalByTime[$0]! })
        result.timeline = zip(times, cumulative).map { TimePoint(timeH: $0, intervalMgPerKg: intervalByTime[$0]!, cumulativeMgPerKg: $1) }
        result.leachateREEMgPerKg = cumulative.last ?? 0
        result.timeToEquilibriumH = LeachingCalculations.timeToEquilibrium(times: times, cumulative: cumulative,
                                                                           tolerancePercent: tolerance)
        let cathode = try store.cathodeRecoveries(runID: run.id)
        if !cathode.isEmpty {
            let byElement = Dictionary(uniqueKeysWithValues: cathode.map { ($0.element, $0.amountMg) })
            let mg = byElement["REE"] ?? rareEarths.compactMap { byElement[$0] }.reduce(0, +)
            result.cathodeREEMgPerKg = mg / (run.soilMassG / 1000)
        }
        if samplings.isEmpty { result.notes.append("no leachate collections yet") }
        if let tIon = run.tIonMgPerKg, !samplings.isEmpty {
            result.recoveryPercent = LeachingCalculations.recoveryEfficiency(
                leachateMgPerKg: result.leachateREEMgPerKg, cathodeMgPerKg: result.cathodeREEMgPerKg ?? 0, tIonMgPerKg: tIon)
        } else if run.tIonMgPerKg == nil {
            result.notes.append("no T_ion for run \(run.code); recovery efficiency not computed")
        }
        result.impurities = impurityElements.compactMap { element in
            result.elementTotals[element].map { Impurity(element: element, totalMgPerKg: $0) }
        }
        let readings = try store.electricReadings(runID: run.id)
        if readings.count > 1 {
            let kWh = LeachingCalculations.energyKWh(timesH: readings.map(\.timeH), voltagesV: readings.map(\.voltageV),
                                                     currentsMA: readings.map(\.currentMA))
            result.energyKWh = kWh
            if let volume = run.soilVolumeCm3 {
                result.energyKWhPerM3 = LeachingCalculations.energyPerCubicMetre(kWh: kWh, soilVolumeCm3: volume)
            }
        }
        result.removals = try store.leachingResiduals(runID: run.id).map {
            Removal(position: $0.position, distanceCm: $0.distanceCm, element: $0.element, initialMgPerKg: $0.initialMgPerKg,
                    finalMgPerKg: $0.finalMgPerKg,
                    efficiencyPercent: LeachingCalculations.removalEfficiency(initial: $0.initialMgPerKg, final: $0.finalMgPerKg))
        }
        if result.substitutedValues > 0 {
            result.notes.append("\(result.substitutedValues) below-detection value(s) substituted by DL/2")
        }
        return result
    }

    // MARK: Output

    /// The cumulative REE figure (SVG).
    public var cumulativeChart: ExperimentChart {
        var chart = ExperimentChart(title: "Cumulative REE leached", xLabel: "time (h)", yLabel: "cumulative REE Q_t (mg/kg)")
        chart.series = results.map { r in
            ExperimentChart.Series(name: r.run.code, points: r.timeline.map { ($0.timeH, $0.cumulativeMgPerKg) }, style: .lineAndMarkers)
        }
        return chart
    }

    /// Figures by file name.
    public var figures: [(name: String, svg: String)] {
        results.isEmpty ? [] : [("leaching-cumulative-ree.svg", cumulativeChart.svg())]
    }

    public func markdown(figuresDirectory: String?) -> String {
        var md = "# Leaching runs\n\n"
        if results.isEmpty { return md + "No leaching runs in the database.\n" }
        md += "## Runs\n\n| run | method | soil sample | soil mass (g) | column d × h (cm) | electrolyte | voltage gradient (V/cm) | power on/off (h) | T_ion (mg/kg) |\n"
        md += "|---|---|---|---:|---|---|---:|---|---:|\n"
        for r in results {
            let run = r.run
            let size = run.columnDiameterCm.map { d in "\(LeachingNumber.fixed(d)) × \(run.columnHeightCm.map { LeachingNumber.fixed($0) } ?? "–")" } ?? "–"
            let electrolyte = run.electrolytePercent.map { "\(LeachingNumber.fixed($0)) % \(run.electrolyte)" } ?? run.electrolyte
            let power = run.powerOnH.map { "\(LeachingNumber.fixed($0)) / \(run.powerOffH.map { LeachingNumber.fixed($0) } ?? "0")" } ?? "–"
            md += "| \(run.code) | \(run.method) | \(run.soilSampleCode) | \(LeachingNumber.fixed(run.soilMassG)) | \(size) | \(electrolyte) | \(run.voltageGradientVPerCm.map { LeachingNumber.fixed($0) } ?? "–") | \(power) | \(LeachingNumber.optional(run.tIonMgPerKg)) |\n"
        }
        md += "\n## Recovery, time to equilibrium and energy\n\n"
        md += "| run | REE in leachate (mg/kg) | REE on cathode (mg/kg) | recovery (%) | time to equilibrium (h) | energy (kWh) | energy (kWh/m³ soil) |\n"
        md += "|---|---:|---:|---:|---:|---:|---:|\n"
        for r in results {
            md += "| \(r.run.code) | \(LeachingNumber.sig(r.leachateREEMgPerKg)) | \(LeachingNumber.optional(r.cathodeREEMgPerKg)) | \(r.recoveryPercent.map { LeachingNumber.fixed($0, digits: 1) } ?? "–") | \(LeachingNumber.optional(r.timeToEquilibriumH)) | \(LeachingNumber.optional(r.energyKWh)) | \(LeachingNumber.optional(r.energyKWhPerM3)) |\n"
        }
        md += "\nREE basis: " + Set(results.map(\.reeBasis)).sorted().joined(separator: "; ")
            + ". Time to equilibrium: the first time from which the cumulative REE stays within "
            + "\(LeachingNumber.fixed(options.tolerancePercent)) % of its final value.\n"
        let analytes = Set(results.flatMap { $0.elementTotals.keys })
        // The REE sum first, then every element in the one analyte order (atomic number).
        let ordered = (analytes.contains("REE") ? ["REE"] : []) + AnalyteOrder.sorted(analytes.subtracting(["REE"]))
        if !ordered.isEmpty {
            md += "\n## Amounts leached per element (mg/kg soil, all collections)\n\n| run | " + ordered.joined(separator: " | ") + " |\n"
            md += "|---|" + ordered.map { _ in "---:" }.joined(separator: "|") + "|\n"
            for r in results {
                md += "| \(r.run.code) | " + ordered.map { r.elementTotals[$0].map { LeachingNumber.sig($0) } ?? "–" }.joined(separator: " | ") + " |\n"
            }
        }
        let impurityRows = results.filter { !$0.impurities.isEmpty }
        if !impurityRows.isEmpty {
            md += "\n## Impurities leached (mg/kg soil)\n\n| run | reference | " + Self.impurityElements.joined(separator: " | ") + " |\n"
            md += "|---|---|" + Self.impurityElements.map { _ in "---:" }.joined(separator: "|") + "|\n"
            for r in impurityRows {
                let cells = Self.impurityElements.map { element -> String in
                    guard let item = r.impurities.first(where: { $0.element == element }) else { return "–" }
                    return LeachingNumber.sig(item.totalMgPerKg) + (item.reductionPercent.map { " (−\(LeachingNumber.fixed($0, digits: 1)) %)" } ?? "")
                }
                md += "| \(r.run.code) | \(r.referenceRunCode ?? "–") | " + cells.joined(separator: " | ") + " |\n"
            }
            md += "\nIn brackets: reduction against the reference run, (Q_ref − Q)/Q_ref × 100 (negative = more than the reference).\n"
        }
        let removalRows = results.flatMap { r in r.removals.map { (r.run.code, $0) } }
        if !removalRows.isEmpty {
            md += "\n## Removal efficiency per position\n\n| run | position | distance (cm) | element | C_ini (mg/kg) | C_end (mg/kg) | removal (%) |\n|---|---|---:|---|---:|---:|---:|\n"
            for (code, item) in removalRows {
                md += "| \(code) | \(item.position) | \(LeachingNumber.optional(item.distanceCm)) | \(item.element) | \(LeachingNumber.sig(item.initialMgPerKg)) | \(LeachingNumber.sig(item.finalMgPerKg)) | \(LeachingNumber.fixed(item.efficiencyPercent, digits: 1)) |\n"
            }
        }
        md += "\n## Cumulative REE\n\n"
        if let figuresDirectory {
            md += "![Cumulative REE leached](\(figuresDirectory)/leaching-cumulative-ree.svg)\n\n"
        } else {
            md += "(figure written only with --out)\n\n"
        }
        md += "| run | time (h) | Q interval (mg/kg) | Q_t cumulative (mg/kg) |\n|---|---:|---:|---:|\n"
        for r in results { for p in r.timeline {
            md += "| \(r.run.code) | \(LeachingNumber.fixed(p.timeH)) | \(LeachingNumber.sig(p.intervalMgPerKg)) | \(LeachingNumber.sig(p.cumulativeMgPerKg)) |\n"
        } }
        md += """

            ## Methods

            - Amount per soil mass Q = C·V/m (C mg/L, V mL collected since the previous collection, m dry soil g → mg/kg); Q_t is the running sum over collections (all positions).
            - Recovery efficiency = (Q_leachate + Q_cathode) / T_ion × 100; Q_cathode = cathode mass (mg) / soil mass (kg).
            - Removal efficiency per position = (C_ini − C_end) / C_ini × 100.
            - Energy = ∫U·I dt by the trapezoidal rule over the electric log (kWh), per m³ of soil from the column volume π·d²/4·h (else m/ρ_b).
            - Below-detection concentrations are substituted by DL/2 (counted in the notes); nothing is set to zero.

            """
        let notes = results.flatMap { r in r.notes.map { "\(r.run.code): \($0)" } }
        if !notes.isEmpty { md += "\n## Notes\n\n" + notes.map { "- \($0)\n" }.joined() }
        return md
    }

    public func json() -> String {
        let runs: [[String: Any]] = results.map { r in
            [
                "run": r.run.code, "method": r.run.method, "soil_sample": r.run.soilSampleCode, "soil_mass_g": r.run.soilMassG,
                "electrolyte": r.run.electrolyte, "electrolyte_percent": r.run.electrolytePercent as Any,
                "voltage_gradient_v_cm": r.run.voltageGradientVPerCm as Any, "t_ion_mg_kg": r.run.tIonMgPerKg as Any,
                "ree_basis": r.reeBasis, "leachate_ree_mg_kg": r.leachateREEMgPerKg,
                "cathode_ree_mg_kg": r.cathodeREEMgPerKg as Any, "recovery_percent": r.recoveryPercent as Any,
                "time_to_equilibrium_h": r.timeToEquilibriumH as Any, "energy_kwh": r.energyKWh as Any,
                "energy_kwh_per_m3": r.energyKWhPerM3 as Any, "reference_run": r.referenceRunCode as Any,
                "element_totals_mg_kg": r.elementTotals,
                "impurities": r.impurities.map { ["element": $0.element, "total_mg_kg": $0.totalMgPerKg,
                                                  "reference_mg_kg": $0.referenceMgPerKg as Any,
                                                  "reduction_percent": $0.reductionPercent as Any] },
                "timeline": r.timeline.map { ["time_h": $0.timeH, "interval_mg_kg": $0.intervalMgPerKg,
                                              "cumulative_mg_kg": $0.cumulativeMgPerKg] },
                "removal": r.removals.map { ["position": $0.position, "distance_cm": $0.distanceCm as Any, "element": $0.element,
                                             "c_initial_mg_kg": $0.initialMgPerKg, "c_final_mg_kg": $0.finalMgPerKg,
                                             "removal_percent": $0.efficiencyPercent] },
                "substituted_values": r.substitutedValues, "notes": r.notes,
            ]
        }
        return LeachingJSON.render(["report": "leaching", "tolerance_percent": options.tolerancePercent, "runs": runs])
    }
}

/// Number formatting of the leaching and seepage reports.
enum LeachingNumber {
    /// Four significant digits, plain or scientific as %g chooses.
    static func sig(_ value: Double, digits: Int = 4) -> String {
        value.isFinite ? String(format: "%.\(digits)g", value) : "–"
    }
    static func fixed(_ value: Double, digits: Int = 2) -> String {
        guard value.isFinite else { return "–" }
        if value == value.rounded(), abs(value) < 1e12 { return String(Int64(value)) }
        var text = String(format: "%.\(digits)f", value)
        while text.contains("."), text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }
    static func optional(_ value: Double?, digits: Int = 4) -> String { value.map { sig($0, digits: digits) } ?? "–" }
    static func scientific(_ value: Double?) -> String { value.map { String(format: "%.3e", $0) } ?? "–" }
}

/// JSON text with sorted keys; nil and non-finite numbers become null.
enum LeachingJSON {
    static func render(_ object: [String: Any]) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: clean(object), options: [.prettyPrinted, .sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    static func clean(_ value: Any) -> Any {
        switch value {
        case let d as Double: return d.isFinite ? d : NSNull()
        case let dict as [String: Any]: return dict.mapValues(clean)
        case let dict as [String: Double]: return dict.mapValues { clean($0) }
        case let array as [Any]: return array.map(clean)
        case let optional as LeachingOptionalValue: return optional.unwrapped.map(clean) ?? NSNull()
        default: return value
        }
    }
}

protocol LeachingOptionalValue { var unwrapped: Any? { get } }
extension Optional: LeachingOptionalValue { var unwrapped: Any? { self.map { $0 as Any } } }
