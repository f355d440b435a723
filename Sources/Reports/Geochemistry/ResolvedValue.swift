/// One stored value of an analyte on a sample, as the `measurement` (or `soil_property`) table keeps it.
public struct RawValue: Sendable, Equatable {
    public var value: Double?
    public var qualifier: String
    public var detectionLimit: Double?
    public var unit: String?
    /// Analytical method (the value's own, else its import batch's method or instrument).
    public var method: String?

    public init(value: Double?, qualifier: String = "=", detectionLimit: Double? = nil, unit: String? = nil, method: String? = nil) {
        self.value = value; self.qualifier = qualifier; self.detectionLimit = detectionLimit; self.unit = unit; self.method = method
    }

    /// Below detection ('<' or 'nd').
    public var isCensored: Bool { qualifier == "<" || qualifier == "nd" }
}

/// The number a report uses for one analyte of one sample, and how it got it.
public struct ResolvedValue: Sendable, Equatable {
    /// The value used (mean of replicates, substitutes included); nil when there is none.
    public var value: Double?
    /// At least one replicate was below detection.
    public var censored: Bool
    /// At least one replicate was replaced by the censoring rule.
    public var substituted: Bool
    /// At least one replicate was over range ('>'): the number is a lower bound.
    public var overRange: Bool
    /// How many valid stored values were averaged.
    public var replicates: Int
    /// The number is an upper limit: a censored value kept at its DL (rule `km`), or a quantity
    /// computed from one. Printed "< x"; group statistics treat it as left-censored.
    public var leftCensored: Bool = false

    public static let missing = ResolvedValue(value: nil, censored: false, substituted: false, overRange: false, replicates: 0)

    /// Resolves replicate runs: each censored one is replaced by `rule` (or left out), '>' kept as
    /// a lower bound, 'nm'/'na' ignored, and the rest averaged.
    public static func resolve<Values: Sequence<RawValue>>(_ raws: Values, rule: CensoringRule) -> ResolvedValue {
        // One pass, no arrays: this runs once per sample × analyte of a report (10⁶ times at 10⁴ samples).
        // The sum runs left to right from 0, as `reduce(0, +)` did, so the mean is bit-identical.
        var sum = 0.0, used = 0, replicates = 0
        var censored = false, substituted = false, overRange = false, upperLimit = false
        for raw in raws {
            switch raw.qualifier {
            case "<", "nd":
                replicates += 1
                censored = true
                // '<0.05' is stored with the DL as detection_limit (or as the value); use whichever is there.
                // With no known DL (`<0.000`) nothing can be substituted: the value stays missing.
                if let dl = raw.detectionLimit ?? raw.value, dl > 0 {
                    if let sub = rule.substitute(detectionLimit: dl) {
                        sum += sub; used += 1
                        substituted = true
                    } else if rule == .censoredMethods {
                        sum += dl; used += 1
                        upperLimit = true
                    }
                }
            case ">":
                replicates += 1
                if let v = raw.value { sum += v; used += 1; overRange = true }
            case "=":
                replicates += 1
                if let v = raw.value { sum += v; used += 1 }
            default:
                continue
            }
        }
        return ResolvedValue(value: used == 0 ? nil : sum / Double(used), censored: censored, substituted: substituted,
                             overRange: overRange, replicates: replicates, leftCensored: upperLimit)
    }

    /// The value as a measured, uncensored number (nil when censored or missing).
    public var uncensoredValue: Double? { censored ? nil : value }
}

extension ResolvedValue {
    /// The value for censored-data statistics (nil when there is none).
    public var censoredValue: CensoredValue? { value.map { CensoredValue($0, censored: leftCensored) } }
}
