/// The further anomalies and ratios of a normalized pattern (X_N), each with its formula.
/// La/La* and Gd/Gd* arithmetic after Bau & Dulski (1996), geometric after Lawrence et al. (2006);
/// Y/Ho is the mass ratio (chondritic ≈ 26–28). Nil when an input is missing or a denominator ≤ 0.
public enum REEAnomalies {
    public static let citations = "Ce/Ce*, Eu/Eu*: arithmetic (Taylor & McLennan 1985) and geometric (Lawrence et al. 2006, Geochim. Cosmochim. Acta 70:4153; Barrat et al. 2023, Chem. Geol. 615:121202) forms; La/La*, Gd/Gd*: Bau & Dulski (1996) Precambrian Res. 79:37, geometric Lawrence et al. (2006)"

    public static func laFormula(_ form: AnomalyForm) -> String {
        form == .arithmetic ? "La/La* = La_N / (3·Pr_N − 2·Nd_N)" : "La/La* = La_N / (Pr_N³ / Nd_N²)"
    }
    public static func gdFormula(_ form: AnomalyForm) -> String {
        form == .arithmetic ? "Gd/Gd* = Gd_N / (2·Tb_N − Dy_N)" : "Gd/Gd* = Gd_N / (Tb_N² / Dy_N)"
    }
    public static let yhoFormula = "Y/Ho = Y / Ho (mg/kg ratio)"

    public static func la(_ n: [String: Double], _ form: AnomalyForm) -> Double? {
        la(la: n["La"], pr: n["Pr"], nd: n["Nd"], form)
    }

    static func la(la: Double?, pr: Double?, nd: Double?, _ form: AnomalyForm) -> Double? {
        guard let la, let pr, let nd else { return nil }
        let d = form == .arithmetic ? 3 * pr - 2 * nd : pr * pr * pr / (nd * nd)
        return d > 0 ? la / d : nil
    }

    public static func gd(_ n: [String: Double], _ form: AnomalyForm) -> Double? {
        gd(gd: n["Gd"], tb: n["Tb"], dy: n["Dy"], form)
    }

    static func gd(gd: Double?, tb: Double?, dy: Double?, _ form: AnomalyForm) -> Double? {
        guard let gd, let tb, let dy else { return nil }
        let d = form == .arithmetic ? 2 * tb - dy : tb * tb / dy
        return d > 0 ? gd / d : nil
    }
}
