/// The soil properties the lab records, their canonical unit, the units accepted on import and
/// the factor that converts each to the canonical unit.
public enum SoilPropertyUnits {
    public struct Property: Sendable {
        public let name: String
        /// Canonical unit as stored ("" = unitless, for pH).
        public let unit: String
        /// Accepted spellings (lower-cased, spaces removed) → factor to the canonical unit.
        public let accepted: [(spelling: String, factor: Double)]
        public let minimum: Double
        public let maximum: Double?
        public let help: String
    }

    static let pH: [(String, Double)] = [("", 1), ("ph", 1), ("-", 1), ("unitless", 1)]
    // meq/100 g equals cmol+/kg (1 meq = 1 mmol of charge; per 100 g = per 0.1 kg).
    static let charge: [(String, Double)] = [("cmol+/kg", 1), ("cmol/kg", 1), ("cmol(+)/kg", 1), ("cmolc/kg", 1),
                                              ("meq/100g", 1), ("mmol+/kg", 0.1), ("mmolc/kg", 0.1)]
    // 1 % = 10 g/kg = 10 000 mg/kg.
    static let percent: [(String, Double)] = [("%", 1), ("wt%", 1), ("g/kg", 0.1), ("mg/kg", 0.0001)]

    public static let all: [Property] = [
        Property(name: "pH_H2O", unit: "", accepted: pH, minimum: 0, maximum: 14, help: "pH in water (1:2.5)"),
        Property(name: "CEC", unit: "cmol+/kg", accepted: charge, minimum: 0, maximum: nil, help: "cation exchange capacity"),
        Property(name: "exch_Al", unit: "cmol+/kg", accepted: charge, minimum: 0, maximum: nil, help: "exchangeable Al3+"),
        Property(name: "exch_Ca", unit: "cmol+/kg", accepted: charge, minimum: 0, maximum: nil, help: "exchangeable Ca2+"),
        Property(name: "exch_K", unit: "cmol+/kg", accepted: charge, minimum: 0, maximum: nil, help: "exchangeable K+"),
        Property(name: "exch_Mg", unit: "cmol+/kg", accepted: charge, minimum: 0, maximum: nil, help: "exchangeable Mg2+"),
        Property(name: "exch_Na", unit: "cmol+/kg", accepted: charge, minimum: 0, maximum: nil, help: "exchangeable Na+"),
        Property(name: "TOC", unit: "%", accepted: percent, minimum: 0, maximum: 100, help: "total organic carbon"),
        Property(name: "TN", unit: "%", accepted: percent, minimum: 0, maximum: 100, help: "total nitrogen"),
        Property(name: "TC", unit: "%", accepted: percent, minimum: 0, maximum: 100, help: "total carbon"),
    ]

    /// The property named (case ignored), or nil.
    public static func property(named name: String) -> Property? {
        all.first { $0.name.lowercased() == name.lowercased() }
    }

    /// The factor from `unit` to the property's canonical unit, or nil when the unit is not accepted.
    public static func factor(_ unit: String, for property: Property) -> Double? {
        let key = unit.lowercased().replacingOccurrences(of: " ", with: "")
        return property.accepted.first { $0.spelling == key }?.factor
    }

    /// How the accepted units are listed in an error.
    public static func acceptedList(for property: Property) -> String {
        let names: [String]
        switch property.unit {
        case "": names = ["empty", "pH"]
        case "%": names = ["%", "wt%", "g/kg", "mg/kg"]
        default: names = ["cmol+/kg", "cmol/kg", "cmolc/kg", "meq/100g", "mmol+/kg"]
        }
        return names.joined(separator: ", ")
    }
}
