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
        self.init(rey: Elements.rey.map { values[$0] ?? .missing }, referenceREY: Elements.rey.map { reference.values[$0] },
                  referenceCode: reference.code, form: form)
    }

    /// The same from the values by position in `Elements.rey` (`.missing` for none) and the reference's
    /// values in that order: no element name is hashed (this runs once per sample of a report).
    init(rey values: [ResolvedValue], referenceREY: [Double?], referenceCode: String, form: AnomalyForm) {
        let names = Elements.rey
        var normalized = REYValues()
        for i in names.indices {
            if let v = values[i].value, let r = referenceREY[i] { normalized[position: i] = v / r }
        }
        self.normalized = normalized
        substitutedElements = names.indices.filter { values[$0].substituted }.map { names[$0] }
        missingElements = names.indices.filter { values[$0].value == nil }.map { names[$0] }
        upperLimitElements = names.indices.filter { values[$0].leftCensored && values[$0].value != nil }.map { names[$0] }

        func sum(_ positions: Range<Int>) -> Double? {
            var total = 0.0
            for i in positions { guard let v = values[i].value else { return nil }; total += v }
            return total
        }
        sumREE = sum(Self.reePositions)
        sumREY = sum(names.indices)
        lree = sum(Self.lightPositions)
        hree = sum(Self.heavyPositions)
        let light = Self.lightPositions.map { normalized[position: $0] }, heavy = Self.heavyPositions.map { normalized[position: $0] }
        // A ratio of two upper limits bounds nothing: not computed when an input is one.
        if !light.contains(where: { $0 == nil }), !heavy.contains(where: { $0 == nil }),
           !Self.reePositions.contains(where: { values[$0].leftCensored && values[$0].value != nil }) {
            let h = heavy.reduce(0) { $0 + $1! }
            lreeHreeRatio = h > 0 ? light.reduce(0) { $0 + $1! } / h : nil
        }

        /// An anomaly needs three measured (uncensored) inputs and the reference values.
        func anomaly(_ centre: Int, _ left: Int, _ right: Int) -> (Double?, String?) {
            var problems: [String] = []
            for i in [left, centre, right] {
                guard values[i].value != nil else { problems.append("\(names[i]) missing"); continue }
                if values[i].censored { problems.append("\(names[i]) < DL") }
                if referenceREY[i] == nil { problems.append("\(names[i]) not in \(referenceCode)") }
            }
            guard problems.isEmpty, let c = normalized[position: centre], let l = normalized[position: left],
                  let r = normalized[position: right] else {
                return (nil, problems.joined(separator: ", "))
            }
            switch form {
            case .arithmetic: return (2 * c / (l + r), nil)
            case .geometric: return (c / (l * r).squareRoot(), nil)
            }
        }
        let at = REYValues.position
        (ceAnomaly, ceAnomalyNote) = anomaly(at["Ce"]!, at["La"]!, at["Pr"]!)
        (euAnomaly, euAnomalyNote) = anomaly(at["Eu"]!, at["Sm"]!, at["Gd"]!)
        // Measured: not below detection (censored values are left out of these shapes).
        func measured(_ element: String) -> Double? { let i = at[element]!; return values[i].censored ? nil : values[i].value }
        func measuredN(_ element: String) -> Double? { let i = at[element]!; return values[i].censored ? nil : normalized[position: i] }
        laAnomaly = REEAnomalies.la(la: measuredN("La"), pr: measuredN("Pr"), nd: measuredN("Nd"), form)
        gdAnomaly = REEAnomalies.gd(gd: measuredN("Gd"), tb: measuredN("Tb"), dy: measuredN("Dy"), form)
        if let y = measured("Y"), let ho = measured("Ho"), ho > 0 { yHoRatio = y / ho }
        lambdaShape = LambdaShape(measuredREE: Self.reePositions.map { values[$0].censored ? nil : values[$0].value })
    }

    static let reePositions = 0..<Elements.ree.count
    static let lightPositions = 0..<Elements.light.count
    static let heavyPositions = Elements.light.count..<Elements.ree.count
}
