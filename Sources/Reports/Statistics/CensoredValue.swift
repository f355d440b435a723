/// One value of a group that may be left-censored: `value` is the measured number, or the detection
/// limit when `censored` (the true value is below it).
public struct CensoredValue: Sendable, Equatable {
    public var value: Double
    public var censored: Bool
    public init(_ value: Double, censored: Bool = false) { self.value = value; self.censored = censored }
}
