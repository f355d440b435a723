/// How a value below detection is replaced at report time. The stored value is never changed;
/// every report names the rule and marks the figures that used a substitute.
public enum CensoringRule: String, Sendable, CaseIterable, Codable {
    case halfDL = "half-dl"
    case dl = "dl"
    case zero = "zero"
    case omit = "omit"

    public var description: String {
        switch self {
        case .halfDL: return "values below detection replaced by DL/2"
        case .dl: return "values below detection replaced by DL"
        case .zero: return "values below detection replaced by 0"
        case .omit: return "values below detection left out"
        }
    }

    /// The substitute for a censored value with detection limit `dl`; nil when the rule omits it.
    public func substitute(detectionLimit dl: Double) -> Double? {
        switch self {
        case .halfDL: return dl / 2
        case .dl: return dl
        case .zero: return 0
        case .omit: return nil
        }
    }
}
