/// Westgard multirules on a control chart (Westgard et al. 1981, Clin. Chem. 27:493): each point's
/// z = (x − mean) / SD against the chart's target. 1-2s is a warning; the others reject the run.
public enum WestgardRule: String, Sendable, CaseIterable, Codable {
    case oneTwoS = "1-2s"
    case oneThreeS = "1-3s"
    case twoTwoS = "2-2s"
    case rFourS = "R-4s"
    case fourOneS = "4-1s"
    case tenX = "10-x"

    public var isWarning: Bool { self == .oneTwoS }

    public var meaning: String {
        switch self {
        case .oneTwoS: return "one point beyond ±2 SD (warning)"
        case .oneThreeS: return "one point beyond ±3 SD"
        case .twoTwoS: return "two consecutive points beyond 2 SD on the same side"
        case .rFourS: return "two consecutive points more than 4 SD apart, one above +2 SD and one below −2 SD"
        case .fourOneS: return "four consecutive points beyond 1 SD on the same side"
        case .tenX: return "ten consecutive points on the same side of the mean"
        }
    }

    /// The rules that fire AT each point (the window of the rule ends there).
    public static func evaluate(_ values: [Double], mean: Double, sd: Double) -> [[WestgardRule]] {
        guard sd > 0, sd.isFinite else { return values.map { _ in [] } }
        let z = values.map { ($0 - mean) / sd }
        return z.indices.map { i in
            var fired: [WestgardRule] = []
            if abs(z[i]) > 2 { fired.append(.oneTwoS) }
            if abs(z[i]) > 3 { fired.append(.oneThreeS) }
            if i >= 1 {
                if (z[i] > 2 && z[i - 1] > 2) || (z[i] < -2 && z[i - 1] < -2) { fired.append(.twoTwoS) }
                if (z[i] > 2 && z[i - 1] < -2) || (z[i] < -2 && z[i - 1] > 2) { fired.append(.rFourS) }
            }
            if i >= 3 {
                let window = z[(i - 3)...i]
                if window.allSatisfy({ $0 > 1 }) || window.allSatisfy({ $0 < -1 }) { fired.append(.fourOneS) }
            }
            if i >= 9 {
                let window = z[(i - 9)...i]
                if window.allSatisfy({ $0 > 0 }) || window.allSatisfy({ $0 < 0 }) { fired.append(.tenX) }
            }
            return fired
        }
    }
}
