import Foundation
import LIMSStore

/// `lims report seepage`: saturated permeability by solution, concentration and path; SWCC fits
/// (Fredlund–Xing, van Genuchten) and unsaturated permeability curves.
public struct SeepageReport {
    public struct Options: Sendable {
        public var testCodes: [String] = []
        /// Correct k to 20 °C by the water viscosity ratio when a reading has a temperature.
        public var correctTo20C = true
        /// Air-entry value used as the lower limit of the Fredlund–Xing–Huang denominator (kPa).
        public var airEntryKPa: Double = 0.01
        public init(testCodes: [String] = [], correctTo20C: Bool = true, airEntryKPa: Double = 0.01) {
            self.testCodes = testCodes; self.correctTo20C = correctTo20C; self.airEntryKPa = airEntryKPa
        }
    }

    public struct Reading: Sendable {
        public var reading: HeadReading
        public var kT: Double
        public var k20: Double?
    }

    public struct TestResult: Sendable {
        public var test: SeepageTest
        public var readings: [Reading]
        /// Mean of the readings (k at 20 °C when every reading has a temperature and correction is on).
        public var meanK: Double?
        public var sdK: Double?
        public var correctedTo20C: Bool
    }

    public struct Condition: Sendable {
        public var solution: String
        public var concentrationPercent: Double
        public var path: String?
        public var label: String
        public var tests: [String]
        public var meanK: Double
        public var sdK: Double?
    }

    public struct SWCCResult: Sendable {
        public var test: SWCCTest
        /// (ψ kPa, w g/g, ρd g/cm³, θ).
        public var points: [(suction: Double, w: Double, dryDensity: Double, theta: Double)]
        public var fredlundXing: SWCCFitResult<FredlundXingCurve>?
        public var vanGenuchten: SWCCFitResult<VanGenuchtenCurve>?
        public var saturatedK: Double?
        /// k_u at the tabulated suctions: (ψ, FXH, vG–Mualem).
        public var kunsat: [(suction: Double, fxh: Double?, vgm: Double?)] = []
    }

    public static let kunsatSuctions: [Double] = [1, 10, 100, 1000]

    public var options: Options
    public var tests: [TestResult]
    public var conditions: [Condition]
    public var swcc: [SWCCResult]

    public static func build(store: LabStore, options: Options = Options()) throws -> SeepageReport {
        for code in options.testCodes { _ = try store.requireSeepageTest(code: code) }
        let all = try store.seepageTests()
        let selected = options.testCodes.isEmpty ? all : all.filter { options.testCodes.contains($0.code) }
        var results: [TestResult] = []
        var byCode: [String: TestResult] = [:]
        for test in all {
            let readings = try store.headReadings(testID: test.id).map { r -> Reading in
                let k = Permeability.fallingHead(standpipeAreaCm2: test.standpipeAreaCm2, lengthCm: test.specimenLengthCm,
                                                 specimenAreaCm2: test.specimenAreaCm2, dtS: r.dtS, h1Cm: r.h1Cm, h2Cm: r.h2Cm)
                let k20 = options.correctTo20C ? r.temperatureC.map { Permeability.correctedTo20C(k, temperatureC: $0) } : nil
                return Reading(reading: r, kT: k, k20: k20)
            }
            let corrected = options.correctTo20C && !readings.isEmpty && readings.allSatisfy { $0.k20 != nil }
            let values = readings.map { corrected ? $0.k20! : $0.kT }
            let stats = values.isEmpty ? nil : Permeability.meanAndSD(values)
            let result = TestResult(test: test, readings: readings, meanK: stats?.mean, sdK: stats?.sd, correctedTo20C: corrected)
            byCode[test.code] = result
            if selected.contains(where: { $0.code == test.code }) { results.append(result) }
        }
        var conditions: [Condition] = []
        for result in results where result.meanK != nil {
            let t = result.test
            if let index = conditions.firstIndex(where: { $0.solution == t.solution && $0.concentrationPercent == t.concentrationPercent && $0.path == t.path }) {
                conditions[index].tests.append(t.code)
            } else {
                conditions.append(Condition(solution: t.solution, concentrationPercent: t.concentrationPercent, path: t.path,
                                            label: t.conditionLabel, tests: [t.code], meanK: 0, sdK: nil))
            }
        }
        for i in conditions.indices {
            let stats = Permeability.meanAndSD(conditions[i].tests.compactMap { byCode[$0]?.meanK })
            conditions[i].meanK = stats.mean
            conditions[i].sdK = stats.sd
        }
        var swcc: [SWCCResult] = []
        for test in try store.swccTests() {
            if !options.testCodes.isEmpty, !options.testCodes.contains(test.seepageTestCode ?? "") { continue }
            let points = test.steps.compactMap { step -> (Double, Double, Double, Double)? in
                guard let rho = step.dryDensityGPerCm3 ?? test.dryDensityGPerCm3 else { return nil }
                return (step.suctionKPa, step.waterContent, rho,
                        volumetricWaterContent(massWaterContent: step.waterContent, dryDensityGPerCm3: rho))
            }
            var result = SWCCResult(test: test, points: points.map { (suction: $0.0, w: $0.1, dryDensity: $0.2, theta: $0.3) })
            let suctions = points.map(\.0), thetas = points.map(\.3)
            result.fredlundXing = SWCCFit.fredlundXing(suctions: suctions, thetas: thetas)
            result.vanGenuchten = SWCCFit.vanGenuchten(suctions: suctions, thetas: thetas)
            result.saturatedK = test.seepageTestCode.flatMap { byCode[$0]?.meanK }
            if let ks = result.saturatedK {
                let fxh = result.fredlundXing.map { KunsatFredlundXingHuang(curve: $0.curve, airEntryKPa: options.airEntryKPa) }
                result.kunsat = kunsatSuctions.map { psi in
                    (psi, fxh?.unsaturatedPermeability(psi, saturated: ks),
                     result.vanGenuchten?.curve.unsaturatedPermeability(psi, saturated: ks))
                }
            }
            swcc.append(result)
        }
        return SeepageReport(options: options, tests: results, conditions: conditions, swcc: swcc)
    }

    // MARK: Figures

    static func logGrid(from low: Double, to high: Double, count: Int = 81) -> [Double] {
        (0..<count).map { low * pow(high / low, Double($0) / Double(count - 1)) }
    }

    public func swccChart(_ result: SWCCResult) -> ExperimentChart {
        var chart = ExperimentChart(title: "SWCC \(result.test.code)", xLabel: "matric suction ψ (kPa, log scale)",
                                    yLabel: "volumetric water content θ", xLog: true)
        let positive = result.points.filter { $0.suction > 0 }
        chart.series.append(.init(name: "measured", points: positive.map { ($0.suction, $0.theta) }, style: .markers))
        let low = max((positive.map(\.suction).min() ?? 1) / 2, 0.01), high = (positive.map(\.suction).max() ?? 1000) * 2
        let grid = Self.logGrid(from: low, to: high)
        if let fx = result.fredlundXing {
            chart.series.append(.init(name: "Fredlund–Xing", points: grid.map { ($0, fx.curve.theta($0)) }, style: .line))
        }
        if let vg = result.vanGenuchten {
            chart.series.append(.init(name: "van Genuchten", points: grid.map { ($0, vg.curve.theta($0)) }, style: .line))
        }
        return chart
    }

    public func kunsatChart(_ result: SWCCResult) -> ExperimentChart? {
        guard let ks = result.saturatedK else { return nil }
        var chart = ExperimentChart(title: "Unsaturated permeability \(result.test.code)", xLabel: "matric suction ψ (kPa, log scale)",
                                    yLabel: "k_u (cm/s, log scale)", xLog: true, yLog: true)
        let grid = Self.logGrid(from: 0.1, to: 1e4, count: 61)
        if let fx = result.fredlundXing {
            let model = KunsatFredlundXingHuang(curve: fx.curve, airEntryKPa: options.airEntryKPa)
            chart.series.append(.init(name: "Fredlund–Xing–Huang", points: grid.map { ($0, model.unsaturatedPermeability($0, saturated: ks)) }, style: .line))
        }
        if let vg = result.vanGenuchten {
            chart.series.append(.init(name: "van Genuchten–Mualem", points: grid.map { ($0, vg.curve.unsaturatedPermeability($0, saturated: ks)) }, style: .line))
        }
        return chart
    }

    public func ksChart() -> ExperimentChart {
        var chart = ExperimentChart(title: "Saturated permeability per reading", xLabel: "reading", yLabel: "k (cm/s, log scale)", yLog: true)
        chart.series = tests.map { t in
            .init(name: t.test.code, points: t.readings.map { (Double($0.reading.readingNo), $0.k20 ?? $0.kT) }, style: .lineAndMarkers)
        }
        return chart
    }

    static func fileSafe(_ code: String) -> String {
        String(code.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" })
    }

    public var figures: [(name: String, svg: String)] {
        var list: [(String, String)] = []
        if !tests.isEmpty { list.append(("seepage-ks.svg", ksChart().svg())) }
        for result in swcc {
            list.append(("swcc-\(Self.fileSafe(result.test.code)).svg", swccChart(result).svg()))
            if let chart = kunsatChart(result) { list.append(("kunsat-\(Self.fileSafe(result.test.code)).svg", chart.svg())) }
        }
        return list
    }

    // MARK: Text

    public func markdown(figuresDirectory: String?) -> String {
        var md = "# Seepage tests\n\n"
        if tests.isEmpty && swcc.isEmpty { return md + "No seepage or SWCC tests in the database.\n" }
        let unit = "cm/s"
        if !tests.isEmpty {
            md += "## Saturated permeability by solution, concentration and path\n\n| condition | tests | mean k_s (\(unit)) | SD |\n|---|---|---:|---:|\n"
            for c in conditions {
                md += "| \(c.label) | \(c.tests.joined(separator: ", ")) | \(LeachingNumber.scientific(c.meanK)) | \(LeachingNumber.scientific(c.sdK)) |\n"
            }
            md += "\n## Tests\n\n| test | sample | material | solution | conc. (%) | path | L (cm) | A (cm²) | a (cm²) | readings | mean k (\(unit)) | SD | basis |\n"
            md += "|---|---|---|---|---:|---|---:|---:|---:|---:|---:|---:|---|\n"
            for t in tests {
                let s = t.test
                md += "| \(s.code) | \(s.sampleCode) | \(s.material ?? "–") | \(s.solution) | \(LeachingNumber.fixed(s.concentrationPercent)) | \(s.path ?? "–") | \(LeachingNumber.fixed(s.specimenLengthCm)) | \(LeachingNumber.fixed(s.specimenAreaCm2)) | \(LeachingNumber.fixed(s.standpipeAreaCm2, digits: 3)) | \(t.readings.count) | \(LeachingNumber.scientific(t.meanK)) | \(LeachingNumber.scientific(t.sdK)) | \(t.correctedTo20C ? "k_20" : "k_T (not corrected)") |\n"
            }
            md += "\n### Readings\n\n| test | reading | h1 (cm) | h2 (cm) | Δt (s) | T (°C) | k_T (\(unit)) | k_20 (\(unit)) |\n|---|---:|---:|---:|---:|---:|---:|---:|\n"
            for t in tests { for r in t.readings {
                md += "| \(t.test.code) | \(r.reading.readingNo) | \(LeachingNumber.fixed(r.reading.h1Cm)) | \(LeachingNumber.fixed(r.reading.h2Cm)) | \(LeachingNumber.fixed(r.reading.dtS)) | \(r.reading.temperatureC.map { LeachingNumber.fixed($0) } ?? "–") | \(LeachingNumber.scientific(r.kT)) | \(LeachingNumber.scientific(r.k20)) |\n"
            } }
            if let figuresDirectory { md += "\n![k per reading](\(figuresDirectory)/seepage-ks.svg)\n" }
        }
        for result in swcc {
            let t = result.test
            md += "\n## SWCC \(t.code) (sample \(t.sampleCode)"
            if let solution = t.solution { md += ", \(solution)" }
            if let path = t.path { md += ", path \(path)" }
            md += ")\n\n| ψ (kPa) | w (%) | ρd (g/cm³) | θ | θ Fredlund–Xing | residual | θ van Genuchten | residual |\n|---:|---:|---:|---:|---:|---:|---:|---:|\n"
            for (i, p) in result.points.enumerated() {
                let fx = result.fredlundXing, vg = result.vanGenuchten
                md += "| \(LeachingNumber.fixed(p.suction)) | \(LeachingNumber.fixed(p.w * 100)) | \(LeachingNumber.fixed(p.dryDensity, digits: 3)) | \(LeachingNumber.fixed(p.theta, digits: 4)) | \(fx.map { LeachingNumber.fixed($0.curve.theta(p.suction), digits: 4) } ?? "–") | \(fx.map { LeachingNumber.sig($0.residuals[i], digits: 3) } ?? "–") | \(vg.map { LeachingNumber.fixed($0.curve.theta(p.suction), digits: 4) } ?? "–") | \(vg.map { LeachingNumber.sig($0.residuals[i], digits: 3) } ?? "–") |\n"
            }
            md += "\n"
            if let fx = result.fredlundXing {
                md += "Fredlund–Xing (θr = 0): θs = \(LeachingNumber.fixed(fx.curve.thetaS, digits: 4)), a = \(LeachingNumber.sig(fx.curve.a)) kPa, n = \(LeachingNumber.sig(fx.curve.n)), m = \(LeachingNumber.sig(fx.curve.m)), R² = \(LeachingNumber.fixed(fx.rSquared, digits: 4)), RMSE = \(LeachingNumber.sig(fx.rmse, digits: 3))\(fx.converged ? "" : " (did not converge)").\n\n"
            } else {
                md += "Fredlund–Xing: not fitted (needs at least 4 steps with a dry density).\n\n"
            }
            if let vg = result.vanGenuchten {
                md += "van Genuchten (m = 1 − 1/n): θs = \(LeachingNumber.fixed(vg.curve.thetaS, digits: 4)), θr = \(LeachingNumber.fixed(vg.curve.thetaR, digits: 4)), α = \(LeachingNumber.sig(vg.curve.alpha)) 1/kPa, n = \(LeachingNumber.sig(vg.curve.n)), R² = \(LeachingNumber.fixed(vg.rSquared, digits: 4)), RMSE = \(LeachingNumber.sig(vg.rmse, digits: 3)).\n\n"
            }
            if let figuresDirectory {
                md += "![SWCC \(t.code)](\(figuresDirectory)/swcc-\(Self.fileSafe(t.code)).svg)\n\n"
            }
            if let ks = result.saturatedK {
                md += "Unsaturated permeability from k_s = \(LeachingNumber.scientific(ks)) cm/s (test \(t.seepageTestCode ?? "")):\n\n| ψ (kPa) | k_u Fredlund–Xing–Huang (cm/s) | k_u van Genuchten–Mualem (cm/s) |\n|---:|---:|---:|\n"
                for row in result.kunsat {
                    md += "| \(LeachingNumber.fixed(row.suction)) | \(LeachingNumber.scientific(row.fxh)) | \(LeachingNumber.scientific(row.vgm)) |\n"
                }
                if let figuresDirectory { md += "\n![k_u \(t.code)](\(figuresDirectory)/kunsat-\(Self.fileSafe(t.code)).svg)\n" }
            } else {
                md += "No k_s (link the SWCC test to a seepage test with readings) — k_u(ψ) not computed.\n"
            }
        }
        if figuresDirectory == nil { md += "\n(figures are written only with --out)\n" }
        md += """

            ## Methods

            - Falling head: k = a·L / (A·Δt) · ln(h1/h2) (cm/s); k_20 = k_T · η_T/η_20 with the water viscosity of the Vogel equation η = 0.02939·exp(507.88 / (T − 149.3)) mPa·s (T in K); the mean of the readings of a test, and the mean of the tests of a condition.
            - θ = w·ρd/ρw (ρw = 1 g/cm³). θs = θ at ψ = 0 (else the largest θ).
            - Fredlund–Xing (1994) with C(ψ) = 1: θ = θs·[1/ln(e + (ψ/a)^n)]^m; van Genuchten (1980) with m = 1 − 1/n; both fitted by Levenberg–Marquardt least squares on log-transformed parameters.
            - k_u(ψ) = k_s·k_r(ψ): van Genuchten–Mualem k_r = Se^½·[1 − (1 − Se^(1/m))^m]²; Fredlund, Xing & Huang (1994) integral in ln ψ from ψ to 10⁶ kPa (Simpson's rule), denominator from ψ_aev = \(LeachingNumber.sig(options.airEntryKPa)) kPa.

            """
        return md
    }

    public func json() -> String {
        let testObjects: [[String: Any]] = tests.map { t in
            ["test": t.test.code, "sample": t.test.sampleCode, "solution": t.test.solution,
             "concentration_percent": t.test.concentrationPercent, "path": t.test.path as Any,
             "mean_k_cm_s": t.meanK as Any, "sd_k_cm_s": t.sdK as Any, "corrected_to_20c": t.correctedTo20C,
             "readings": t.readings.map { ["reading": $0.reading.readingNo, "h1_cm": $0.reading.h1Cm, "h2_cm": $0.reading.h2Cm,
                                           "dt_s": $0.reading.dtS, "temperature_c": $0.reading.temperatureC as Any,
                                           "k_t_cm_s": $0.kT, "k_20_cm_s": $0.k20 as Any] }]
        }
        let conditionObjects: [[String: Any]] = conditions.map {
            ["condition": $0.label, "solution": $0.solution, "concentration_percent": $0.concentrationPercent,
             "path": $0.path as Any, "tests": $0.tests, "mean_k_cm_s": $0.meanK, "sd_k_cm_s": $0.sdK as Any]
        }
        let swccObjects: [[String: Any]] = swcc.map { r in
            var object: [String: Any] = [
                "test": r.test.code, "sample": r.test.sampleCode, "seepage_test": r.test.seepageTestCode as Any,
                "points": r.points.map { ["suction_kpa": $0.suction, "w": $0.w, "dry_density_g_cm3": $0.dryDensity, "theta": $0.theta] },
                "k_s_cm_s": r.saturatedK as Any,
                "k_u": r.kunsat.map { ["suction_kpa": $0.suction, "fredlund_xing_huang_cm_s": $0.fxh as Any,
                                       "van_genuchten_mualem_cm_s": $0.vgm as Any] },
            ]
            if let fx = r.fredlundXing {
                object["fredlund_xing"] = ["theta_s": fx.curve.thetaS, "a_kpa": fx.curve.a, "n": fx.curve.n, "m": fx.curve.m,
                                           "r_squared": fx.rSquared, "rmse": fx.rmse, "residuals": fx.residuals, "converged": fx.converged]
            }
            if let vg = r.vanGenuchten {
                object["van_genuchten"] = ["theta_s": vg.curve.thetaS, "theta_r": vg.curve.thetaR, "alpha_per_kpa": vg.curve.alpha,
                                           "n": vg.curve.n, "r_squared": vg.rSquared, "rmse": vg.rmse, "residuals": vg.residuals]
            }
            return object
        }
        return LeachingJSON.render(["report": "seepage", "corrected_to_20c": options.correctTo20C,
                                  "air_entry_kpa": options.airEntryKPa, "tests": testObjects,
                                  "conditions": conditionObjects, "swcc": swccObjects])
    }
}
