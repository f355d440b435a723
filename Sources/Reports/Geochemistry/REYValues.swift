/// One number per REE+Y element, by position in `Elements.rey`: what a `[String: Double]` of 15 entries
/// held in about a tenth of the memory (a report of 10⁵ samples keeps one per sample).
public struct REYValues: Sendable, Equatable {
    private var values = [Double?](repeating: nil, count: Elements.rey.count)

    public init() {}

    /// Positions of the elements in `Elements.rey`.
    static let position: [String: Int] = Dictionary(uniqueKeysWithValues: Elements.rey.enumerated().map { ($1, $0) })

    /// The element's number (nil when it has none, or for an element outside REE+Y).
    public subscript(_ element: String) -> Double? {
        get { Self.position[element].flatMap { values[$0] } }
        set {
            guard let i = Self.position[element] else { preconditionFailure("\(element) is not an REE+Y element") }
            values[i] = newValue
        }
    }
}
