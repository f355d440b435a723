/// How a value below detection is handled at report time. The stored value is never changed;
/// every report names the rule.
///
/// The default, `km`, substitutes nothing: a censored value stays "< DL" (its DL is an upper limit),
/// per-sample quantities computed from it are upper limits printed "< x", and group statistics use
/// censored-data methods (Kaplan–Meier, robust ROS, Peto–Peto; Helsel 2012). Substitution is
/// available by name (`half-dl`, `dl`, `zero`; `omit` leaves the value out) and marks what used it †.
public enum CensoringRule: String, Sendable, CaseIterable, Codable {
    case censoredMethods = "km"
    case halfDL = "half-dl"
    case dl = "dl"
    case zero = "zero"
    case omit = "omit"

    public var description: String {
        switch self {
        case .censoredMethods:
            return "values below detection kept as < DL (upper limits, no substitution); group statistics by Kaplan–Meier "
                + "(and robust ROS where a lognormal fit is sensible), tests by Peto–Peto (Helsel 2012)"
        case .halfDL: return "values below detection replaced by DL/2"
        case .dl: return "values below detection replaced by DL"
        case .zero: return "values below detection replaced by 0"
        case .omit: return "values below detection left out"
        }
    }

    /// True for the rules that put a number in place of a censored value.
    public var substitutes: Bool { self == .halfDL || self == .dl || self == .zero }

    /// The substitute for a censored value with detection limit `dl`; nil when the rule puts none.
    public func substitute(detectionLimit dl: Double) -> Double? {
        switch self {
        case .halfDL: return dl / 2
        case .dl: return dl
        case .zero: return 0
        case .omit, .censoredMethods: return nil
        }
    }
}
