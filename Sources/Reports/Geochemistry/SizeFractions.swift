/// Size-fraction arithmetic (wet sieving).
///
/// mass % of a class = m_class / Σ m_classes × 100 within one replicate (then mean ± SD over replicates);
/// EF = C_fraction / C_bulk; recovery = Σ (wᵢ · Cᵢ) / C_bulk × 100 with wᵢ the mean mass fraction (0–1).
public enum SizeFractions {
    public static let massFormula = "mass % = m_class / Σ m_classes × 100 per replicate; mean ± SD (n − 1) over replicates"
    public static let enrichmentFormula = "EF = C_fraction / C_bulk (C_fraction = mean over replicates)"
    public static let recoveryFormula = "recovery % = Σ (wᵢ · Cᵢ) / C_bulk × 100, wᵢ = mean mass fraction of class i"

    /// Mass % of each class within each replicate: [replicate: [class: %]].
    public static func massPercents(_ masses: [(replicate: Int, classLabel: String, massG: Double)]) -> [Int: [String: Double]] {
        var byReplicate: [Int: [(String, Double)]] = [:]
        for m in masses { byReplicate[m.replicate, default: []].append((m.classLabel, m.massG)) }
        var result: [Int: [String: Double]] = [:]
        for (replicate, rows) in byReplicate {
            let total = rows.reduce(0) { $0 + $1.1 }
            guard total > 0 else { continue }
            var percents: [String: Double] = [:]
            for (label, mass) in rows { percents[label, default: 0] += mass / total * 100 }
            result[replicate] = percents
        }
        return result
    }

    public static func enrichmentFactor(fraction: Double, bulk: Double) -> Double? {
        bulk > 0 ? fraction / bulk : nil
    }

    /// Σ wᵢ·Cᵢ / C_bulk × 100; nil when a class lacks a concentration or C_bulk ≤ 0.
    public static func recoveryPercent(classes: [(massFraction: Double, concentration: Double?)], bulk: Double) -> Double? {
        guard bulk > 0 else { return nil }
        var total = 0.0
        for c in classes {
            guard let conc = c.concentration else { return nil }
            total += c.massFraction * conc
        }
        return total / bulk * 100
    }
}
