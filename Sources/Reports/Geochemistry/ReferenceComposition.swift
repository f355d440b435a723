/// A reference composition used to normalize REE patterns (UCC, CI chondrite, PAAS …), mg/kg.
public struct ReferenceComposition: Sendable, Equatable, Codable {
    public var code: String
    public var name: String
    public var citation: String
    public var isDefault: Bool
    /// Element → mg/kg.
    public var values: [String: Double]

    public init(code: String, name: String, citation: String, isDefault: Bool = false, values: [String: Double]) {
        self.code = code; self.name = name; self.citation = citation; self.isDefault = isDefault; self.values = values
    }

    /// REY elements this reference lacks.
    public var missingREY: [String] { Elements.rey.filter { values[$0] == nil } }
}
