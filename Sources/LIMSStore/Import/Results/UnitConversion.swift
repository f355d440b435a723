/// Units of concentration as instruments and sheets write them, and their conversion to the
/// canonical unit of the matrix: mg/L for solutions, mg/kg for solids (DESIGN.md section 3).
/// ppb = µg/L = 0.001 mg/L; ppm = mg/L or mg/kg by matrix; µg/g = mg/kg; wt% = % = 10 000 mg/kg; g/kg = 1000 mg/kg.
public enum UnitConversion {
    public enum Matrix: String, Sendable, CaseIterable {
        case solid, solution
        public var canonicalUnit: String { self == .solid ? "mg/kg" : "mg/L" }
    }

    /// A unit understood: its factor to the canonical unit and the matrix it implies
    /// (nil = either, e.g. ppm, whose matrix must come from the sample or --matrix).
    public struct Unit: Sendable, Equatable {
        public let name: String
        public let matrix: Matrix?
        /// Multiplier to mg/L (solution) or mg/kg (solid). For matrix-free units, the same for both.
        public let factor: Double
    }

    /// Normalized spelling → unit. `ppb` is read as µg/L (an instrument concentration) unless the matrix is solid.
    static let table: [String: Unit] = {
        var table: [String: Unit] = [:]
        func add(_ names: [String], _ matrix: Matrix?, _ factor: Double) {
            for name in names { table[name] = Unit(name: names[0], matrix: matrix, factor: factor) }
        }
        add(["mg/L", "mg/l", "mgl-1", "mg l-1", "ug/ml", "µg/ml"], .solution, 1)
        add(["µg/L", "ug/l", "μg/l", "ugl-1", "ng/ml"], .solution, 0.001)
        add(["ng/L", "ng/l", "ppt", "pg/ml"], .solution, 1e-6)
        add(["g/L", "g/l"], .solution, 1000)
        add(["mg/kg", "mgkg-1", "mg kg-1"], .solid, 1)
        add(["µg/g", "ug/g", "μg/g"], .solid, 1)
        add(["µg/kg", "ug/kg", "μg/kg", "ng/g"], .solid, 0.001)
        add(["g/kg"], .solid, 1000)
        // XRF software writes `mass%` (Rigaku) or `%`/`wt%` (Bruker): mass fractions of a solid.
        add(["wt%", "wt.%", "wt %", "%", "% w/w", "%w/w", "pct", "mass%", "mass %", "mass-%", "m%", "m/m%", "% m/m"], .solid, 10_000)
        add(["ppm"], nil, 1)
        add(["ppb"], nil, 0.001)
        return table
    }()

    static func normalize(_ text: String) -> String {
        var t = text.trimmingCharacters(in: .whitespaces).lowercased()
        // `Y (ppm)` (Qtegra unit row) and `Conc. [ ppb ]` carry the unit inside brackets.
        if let open = t.lastIndex(where: { $0 == "(" || $0 == "[" }),
           let close = t[open...].firstIndex(where: { $0 == ")" || $0 == "]" }) {
            t = String(t[t.index(after: open)..<close]).trimmingCharacters(in: .whitespaces)
        }
        return t.replacingOccurrences(of: "μ", with: "µ")
    }

    /// The unit, or nil when it is not a concentration unit we know.
    public static func unit(_ text: String) -> Unit? {
        let key = normalize(text)
        return table[key] ?? table[key.replacingOccurrences(of: "µ", with: "u")]
    }

    public static func isKnownUnit(_ text: String) -> Bool { unit(text) != nil }

    /// Spellings accepted, for error messages.
    public static let acceptedList = "mg/L, µg/L (ug/L), ng/L, ppb, ppm, mg/kg, µg/g (ug/g), µg/kg, g/kg, wt%, %"

    /// The accepted spellings without the one being refused (a message must not list the unit it refuses:
    /// `%` refused as a recovery column must not be answered with "expected … %").
    public static func acceptedList(excluding refused: String) -> String {
        let key = normalize(refused)
        let names = ["mg/L", "µg/L (ug/L)", "ng/L", "ppb", "ppm", "mg/kg", "µg/g (ug/g)", "µg/kg", "g/kg", "wt%", "%", "mass%"]
        return names.filter { name in
            let spelled = normalize(name.split(separator: " ").first.map(String.init) ?? name)
            return spelled != key && unit(spelled)?.name != unit(key)?.name
        }.joined(separator: ", ")
    }

    public enum Failure: Error, Equatable {
        case unknownUnit
        /// ppm/ppb with nothing saying whether the sample is a solid or a solution.
        case ambiguousMatrix
        /// A solid unit for a solution or the reverse (needs masses and volumes, not a factor).
        case wrongMatrix(unitMatrix: Matrix)
    }

    /// The matrix a unit implies for a sample of this matrix (nil = not known from the sample).
    public static func matrix(for unitText: String, sampleMatrix: Matrix?) throws(Failure) -> Matrix {
        guard let unit = unit(unitText) else { throw .unknownUnit }
        if let sampleMatrix {
            if let unitMatrix = unit.matrix, unitMatrix != sampleMatrix { throw .wrongMatrix(unitMatrix: unitMatrix) }
            return sampleMatrix
        }
        if let unitMatrix = unit.matrix { return unitMatrix }
        // Instruments report ppb for solutions; ppm may be either.
        if unit.name == "ppb" { return .solution }
        throw .ambiguousMatrix
    }

    /// The factor from `unitText` to the canonical unit of `matrix`.
    public static func factor(_ unitText: String, matrix: Matrix) throws(Failure) -> Double {
        guard let unit = unit(unitText) else { throw .unknownUnit }
        if let unitMatrix = unit.matrix, unitMatrix != matrix { throw .wrongMatrix(unitMatrix: unitMatrix) }
        return unit.factor
    }

    /// Units that are not concentrations (intensities, precision): the columns holding them are skipped.
    public static func isNonConcentration(_ text: String) -> Bool {
        ["cps", "counts", "c/s", "int", "intensity", "%rsd", "rsd", "sd", "ratio", "kcps", "cts", "net", "net int", "raw"].contains(normalize(text))
    }
}
