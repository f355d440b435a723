import Foundation

/// A value typed by a person for a correction: `12.5`, `<0.05` (below the detection limit
/// 0.05), `>500` (over range), `nd`, `nm` or `na`, in a unit that is converted to the
/// canonical unit of the value it corrects (the typed number and unit are kept as original).
public struct CorrectedValue: Sendable, Equatable {
    public var value: Double?
    public var qualifier: String
    public var detectionLimit: Double?
    public var rawText: String

    public static let qualifiers = ["=", "<", ">", "nd", "nm", "na"]

    /// Parses the typed text; `qualifier` (if given) overrides a `<`/`>` written in the text.
    public static func parse(_ text: String, qualifier explicit: String? = nil,
                             detectionLimit: Double? = nil) throws -> CorrectedValue {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let explicit, !qualifiers.contains(explicit) {
            throw StoreError.invalidValue(field: "qualifier", value: explicit, expected: "one of = < > nd nm na")
        }
        if let limit = detectionLimit, !(limit.isFinite && limit >= 0) {
            throw StoreError.invalidValue(field: "detection limit", value: Validate.format(limit), expected: "a number ≥ 0")
        }
        var qualifier = "="
        var numberText = trimmed
        if let first = trimmed.first, first == "<" || first == ">" {
            qualifier = String(first)
            numberText = String(trimmed.dropFirst()).trimmingCharacters(in: .whitespaces)
        } else if ["nd", "nm", "na"].contains(trimmed.lowercased()) {
            qualifier = trimmed.lowercased()
            numberText = ""
        }
        if let explicit { qualifier = explicit }
        let number: Double?
        if numberText.isEmpty {
            number = nil
        } else if let parsed = DecimalNumber.double(numberText) {
            number = parsed
        } else {
            throw StoreError.invalidValue(field: "value", value: text,
                                          expected: "a number (12.5), <DL (<0.05), >limit (>500), nd, nm or na")
        }
        switch qualifier {
        case "=":
            guard let number else {
                throw StoreError.invalidValue(field: "value", value: text, expected: "a number for a measured (=) value")
            }
            return CorrectedValue(value: number, qualifier: "=", detectionLimit: detectionLimit, rawText: trimmed)
        case "<":
            // Below detection: the number written is the detection limit; the value stays unknown (never 0).
            guard let limit = detectionLimit ?? number else {
                throw StoreError.invalidValue(field: "value", value: text, expected: "a detection limit, e.g. <0.05")
            }
            guard limit >= 0 else {
                throw StoreError.invalidValue(field: "detection limit", value: Validate.format(limit), expected: "a number ≥ 0")
            }
            return CorrectedValue(value: nil, qualifier: "<", detectionLimit: limit, rawText: trimmed)
        case ">":
            guard let number else {
                throw StoreError.invalidValue(field: "value", value: text, expected: "the upper limit of the range, e.g. >500")
            }
            return CorrectedValue(value: number, qualifier: ">", detectionLimit: detectionLimit, rawText: trimmed)
        default:
            return CorrectedValue(value: nil, qualifier: qualifier, detectionLimit: detectionLimit, rawText: trimmed)
        }
    }
}

/// Units a person may type for a correction, as factors to the canonical unit.
public enum CorrectionUnits {
    static let toCanonical: [String: [String: Double]] = [
        "mg/kg": ["mg/kg": 1, "ppm": 1, "µg/g": 1, "ug/g": 1, "g/kg": 1000, "%": 10_000, "wt%": 10_000,
                  "µg/kg": 0.001, "ug/kg": 0.001, "ppb": 0.001],
        "mg/L": ["mg/L": 1, "mg/l": 1, "ppm": 1, "µg/L": 0.001, "ug/L": 0.001, "µg/l": 0.001, "ug/l": 0.001,
                 "ppb": 0.001, "ng/mL": 0.001, "g/L": 1000],
    ]

    /// The factor from `unit` to `canonical` (1 when equal), or nil when they do not convert.
    public static func factor(from unit: String, to canonical: String) -> Double? {
        if unit == canonical { return 1 }
        return toCanonical[canonical]?[unit]
    }

    /// `value × factor`; a factor below 1 (a power of ten) divides by its exact reciprocal,
    /// so 4.5 ppb becomes 0.0045 mg/L and not 0.0045000000000000005.
    public static func convert(_ value: Double, factor: Double) -> Double {
        factor < 1 ? value / (1 / factor).rounded() : value * factor
    }

    public static func accepted(for canonical: String) -> [String] {
        (toCanonical[canonical]?.keys.sorted()) ?? [canonical]
    }
}
