import Foundation

/// O'Neill (2016) shape coefficients of a REE pattern: ln(X_N) = λ0 + λ1·f1(r) + λ2·f2(r) + λ3·f3(r),
/// f_k the monic polynomials in the 8-fold REE³⁺ ionic radius r (Shannon 1976) that are orthogonal over
/// the 14 lanthanides La…Lu (pyrolite's "full" parameterisation); the λ are the least-squares fit over
/// the elements used. Ce and Eu are left out of the fit (their anomalies would bend the shape), as is any
/// element below detection or missing. Normalized to CI chondrite of O'Neill (2016), as pyrolite's
/// `lambda_lnREE` default.
public struct LambdaShape: Sendable, Equatable {
    public static let citation = "O'Neill H.St.C. (2016) The smoothness and shapes of chondrite-normalized rare earth element patterns in basalts. J. Petrol. 57:1463–1508"
    public static let formula = "ln(X/CI_O'Neill2016) = λ0 + λ1·f1(r) + λ2·f2(r) + λ3·f3(r), f orthogonal over La…Lu radii (8-fold, Shannon 1976); Ce, Eu excluded"
    public static let minimumElements = 7

    /// Shannon (1976) ionic radii, REE³⁺ in 8-fold coordination (Å).
    public static let radius: [String: Double] = [
        "La": 1.160, "Ce": 1.143, "Pr": 1.126, "Nd": 1.109, "Sm": 1.079, "Eu": 1.066, "Gd": 1.053,
        "Tb": 1.040, "Dy": 1.027, "Ho": 1.015, "Er": 1.004, "Tm": 0.994, "Yb": 0.985, "Lu": 0.977, "Y": 1.019,
    ]
    /// CI chondrite of O'Neill (2016), mg/kg (as pyrolite's ChondriteREE_ON).
    public static let chondrite: [String: Double] = [
        "La": 0.2472, "Ce": 0.6308, "Pr": 0.095, "Nd": 0.4793, "Sm": 0.15419, "Eu": 0.0592, "Gd": 0.2059,
        "Tb": 0.0375, "Dy": 0.254, "Ho": 0.0554, "Er": 0.1645, "Tm": 0.0258, "Yb": 0.1684, "Lu": 0.0251,
    ]
    public static let excluded: Set<String> = ["Ce", "Eu"]

    public let lambdas: [Double]
    /// The REEs of the fit, one bit per position in `Elements.ree` (a report of 10⁵ samples keeps one
    /// shape per sample: a list of names each was 220 bytes).
    private let usedMask: UInt16
    public var elementsUsed: [String] {
        Elements.ree.indices.filter { usedMask & (1 << UInt16($0)) != 0 }.map { Elements.ree[$0] }
    }

    /// The orthogonal basis: three-term recurrence over the La…Lu radii.
    static let basis: (a: [Double], b: [Double]) = {
        let xs = Elements.ree.map { radius[$0]! }
        var a: [Double] = [], b: [Double] = [0]
        var previous = xs.map { _ in 0.0 }, current = xs.map { _ in 1.0 }
        for k in 0..<3 {
            let norm = current.reduce(0) { $0 + $1 * $1 }
            let ak = zip(xs, current).reduce(0) { $0 + $1.0 * $1.1 * $1.1 } / norm
            a.append(ak)
            if k > 0 { b.append(norm / previous.reduce(0) { $0 + $1 * $1 }) }
            let next = xs.indices.map { (xs[$0] - ak) * current[$0] - (k > 0 ? b[k] : 0) * previous[$0] }
            previous = current; current = next
        }
        return (a, b)
    }()

    /// f0…f3 at radius r.
    public static func functions(_ r: Double) -> [Double] {
        let (a, b) = basis
        var values = [1.0, r - a[0]]
        for k in 1..<3 { values.append((r - a[k]) * values[k] - b[k] * values[k - 1]) }
        return values
    }

    /// - Parameter values: measured (uncensored) mg/kg per element.
    public init?(values: [String: Double]) {
        self.init(measuredREE: Elements.ree.map { values[$0] })
    }

    /// f0…f3 and the chondrite value of each REE, by position in `Elements.ree` (made once).
    static let functionsREE = Elements.ree.map { functions(radius[$0]!) }
    static let chondriteREE = Elements.ree.map { chondrite[$0]! }
    static let excludedREE = Elements.ree.map { excluded.contains($0) }

    /// - Parameter measuredREE: measured (uncensored) mg/kg by position in `Elements.ree`, nil for none.
    init?(measuredREE values: [Double?]) {
        let used = Elements.ree.indices.filter { !Self.excludedREE[$0] && (values[$0] ?? 0) > 0 }
        guard used.count >= Self.minimumElements else { return nil }
        // Normal equations (4 × 4) of the least-squares fit.
        var ata = [[Double]](repeating: [Double](repeating: 0, count: 4), count: 4), aty = [Double](repeating: 0, count: 4)
        for e in used {
            let f = Self.functionsREE[e], y = log(values[e]! / Self.chondriteREE[e])
            for i in 0..<4 { aty[i] += f[i] * y; for j in 0..<4 { ata[i][j] += f[i] * f[j] } }
        }
        guard let solved = PetoPeto.solve(ata, aty) else { return nil }
        lambdas = solved
        usedMask = used.reduce(0) { $0 | (1 << UInt16($1)) }
    }
}
