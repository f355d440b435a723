import Foundation

/// Which form of the Ce and Eu anomalies to report.
public enum AnomalyForm: String, Sendable, CaseIterable, Codable {
    case arithmetic, geometric

    public var ceFormula: String {
        self == .arithmetic ? "Ce/Ce* = 2·Ce_N / (La_N + Pr_N)" : "Ce/Ce* = Ce_N / √(La_N·Pr_N)"
    }
    public var euFormula: String {
        self == .arithmetic ? "Eu/Eu* = 2·Eu_N / (Sm_N + Gd_N)" : "Eu/Eu* = Eu_N / √(Sm_N·Gd_N)"
    }
}

/// REE metrics of one sample, normalized to one reference composition.
public struct REEMetrics: Sendable, Equatable {
    public static let sumFormula = "ΣREE = Σ La…Lu (mg/kg); ΣREY = ΣREE + Y"
    public static let ratioFormula = "LREE/HREE = Σ(La_N…Eu_N) / Σ(Gd_N…Lu_N), X_N = X_sample / X_reference"

    /// X_N per REY element (nil when the value or the reference is missing).
    public var normalized: REYValues
    /// Elements whose value used a substitute for a censored value.
    public var substitutedElements: [String]
    /// Elements with no value.
    public var missingElements: [String]
    /// Elements whose value is an upper limit (kept at the DL, rule `km`).
    public var upperLimitElements: [String]
    /// Σ La…Lu in mg/kg; nil when any REE is missing.
    public var sumREE: Double?
    public var sumREY: Double?
    /// Σ La…Eu and Σ Gd…Lu in mg/kg.
    public var lree: Double?
    public var hree: Double?
    /// Σ normalized La…Eu / Σ normalized Gd…Lu.
    public var lreeHreeRatio: Double?
    public var ceAnomaly: Double?
    public var euAnomaly: Double?
    /// Why an anomaly was not computed (e.g. "Pr < DL").
    public var ceAnomalyNote: String?
    public var euAnomalyNote: String?
    /// La/La*, Gd/Gd* (same form as Ce/Ce*), Y/Ho (mass ratio); nil when an input is censored or missing.
    public var laAnomaly: Double?
    public var gdAnomaly: Double?
    public var yHoRatio: Double?
    /// O'Neill (2016) λ0…λ3 from the measured (uncensored) REEs; nil with fewer than 7.
    public var lambdaShape: LambdaShape?

    /// Whether a sum over `elements` is an upper limit (one of them is).
    public func isUpperLimit(_ elements: [String]) -> Bool { elements.contains(where: upperLimitElements.contains) }

    /// - Parameters:
    ///   - values: resolved mg/kg per element (censored values already substituted by the rule).
    ///   - reference: the normalizing composition.
    public init(values: [String: ResolvedValue], reference: ReferenceComposition, form: AnomalyForm) {
        var normalized = REYValues()
        for element in Elements.rey {
            if let v = values[element]?.value, let r = reference.values[element] { normalized[element] = v / r }
        }
        self.normalized = normalized
        substitutedElements = Elements.rey.filter { values[$0]?.substituted == true }
        missingElements = Elements.rey.filter { values[$0]?.value == nil }
        upperLimitElements = Elements.rey.filter { values[$0]?.leftCensored == true && values[$0]?.value != nil }

        func sum(_ elements: [String]) -> Double? {
            var total = 0.0
            for e in elements { guard let v = values[e]?.value else { return nil }; total += v }
            return total
        }
        sumREE = sum(Elements.ree)
        sumREY = sum(Elements.rey)
        lree = sum(Elements.light)
        hree = sum(Elements.heavy)
        let light = Elements.light.map { normalized[$0] }, heavy = Elements.heavy.map { normalized[$0] }
        // A ratio of two upper limits bounds nothing: not computed when an input is one.
        if !light.contains(where: { $0 == nil }), !heavy.contains(where: { $0 == nil }),
           !Elements.ree.contains(where: upperLimitElements.contains) {
            let h = heavy.reduce(0) { $0 + $1! }
            lreeHreeRatio = h > 0 ? light.reduce(0) { $0 + $1! } / h : nil
        }

        /// An anomaly needs three measured (uncensored) inputs and the reference values.
        func anomaly(_ centre: String, _ left: String, _ right: String) -> (Double?, String?) {
            var problems: [String] = []
            for e in [left, centre, right] {
                guard let value = values[e], value.value != nil else { problems.append("\(e) missing"); continue }
                if value.censored { problems.append("\(e) < DL") }
                if reference.values[e] == nil { problems.append("\(e) not in \(reference.code)") }
            }
            guard problems.isEmpty, let c = normalized[centre], let l = normalized[left], let r = normalized[right] else {
                return (nil, problems.joined(separator: ", "))
            }
            switch form {
            case .arithmetic: return (2 * c / (l + r), nil)
            case .geometric: return (c / (l * r).squareRoot(), nil)
            }
        }
        (ceAnomaly, ceAnomalyNote) = anomaly("Ce", "La", "Pr")
        (euAnomaly, euAnomalyNote) = anomaly("Eu", "Sm", "Gd")
        var measuredN: [String: Double] = [:]
        var measured: [String: Double] = [:]
        for e in Elements.rey where values[e]?.censored == false {
            if let v = values[e]?.value { measured[e] = v }
            if let v = normalized[e] { measuredN[e] = v }
        }
        laAnomaly = REEAnomalies.la(measuredN, form)
        gdAnomaly = REEAnomalies.gd(measuredN, form)
        if let y = measured["Y"], let ho = measured["Ho"], ho > 0 { yHoRatio = y / ho }
        lambdaShape = LambdaShape(values: measured)
    }
}
