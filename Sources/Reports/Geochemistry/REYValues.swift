/// One number per REE+Y element, by position in `Elements.rey`: what a `[String: Double]` of 15 entries
/// held in about a tenth of the memory (a report of 10⁵ samples keeps one per sample).
public struct REYValues: Sendable, Equatable {
    /// The numbers by position (0 where there is none) and which positions have one.
    private var values = [Double](repeating: 0, count: Elements.rey.count)
    private var present: UInt32 = 0

    public init() {}

    /// Positions of the elements in `Elements.rey`.
    static let position: [String: Int] = Dictionary(uniqueKeysWithValues: Elements.rey.enumerated().map { ($1, $0) })

    /// The number at a position of `Elements.rey` (nil when there is none).
    subscript(position i: Int) -> Double? {
        get { present & (1 << UInt32(i)) != 0 ? values[i] : nil }
        set {
            values[i] = newValue ?? 0
            if newValue == nil { present &= ~(1 << UInt32(i)) } else { present |= 1 << UInt32(i) }
        }
    }

    /// The element's number (nil when it has none, or for an element outside REE+Y).
    public subscript(_ element: String) -> Double? {
        get {
            guard let i = Self.position[element], present & (1 << UInt32(i)) != 0 else { return nil }
            return values[i]
        }
        set {
            guard let i = Self.position[element] else { preconditionFailure("\(element) is not an REE+Y element") }
            values[i] = newValue ?? 0
            if newValue == nil { present &= ~(1 << UInt32(i)) } else { present |= 1 << UInt32(i) }
        }
    }
}
