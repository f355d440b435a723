/// One analyte column group of a MassHunter batch table, e.g. `139  La  [ No Gas ] `.
struct PanelAnalyte: Sendable {
    let mass: Int
    let symbol: String
    let mode: String
    /// Typical level in the tailings, mg/kg (upper-crust values, REEs enriched ×3 as in
    /// the study's 250–2200 mg/kg ΣREE); the synthetic numbers scatter around it.
    let levelMgPerKg: Double
    /// Share of cells written `<0.000` (below the calibrated range), as MassHunter does
    /// for Se, Re, Cd in real runs.
    let belowDetection: Double

    /// The group title in header row 1, spaced exactly as MassHunter writes it.
    var groupTitle: String { "\(mass)  \(symbol)  [ \(mode) ] " }
    /// The analyte as the long CSV names it (isotope + symbol, unique within the panel).
    var longName: String { "\(mass)\(symbol)" }
}

/// An internal-standard group (two columns: CPS, CPS RSD).
struct PanelInternalStandard: Sendable {
    let mass: Int
    let symbol: String
    let mode: String
    let cps: Double
    var groupTitle: String { "\(mass)  \(symbol) ( ISTD )  [ \(mode) ] " }
}

/// The analyte panel of the lab's real Agilent 7900 export (shared fixture
/// `agilent7900_masshunter_User_Raw.csv`): the same 69 groups in the same order, then the
/// Sc and In internal standards, so a synthetic file has the real file's header rows.
enum AgilentPanel {
    static let measureColumns = ["CPS", "CPS RSD", "Conc. [ ppb ]", "Conc. RSD"]
    static let internalStandardColumns = ["CPS", "CPS RSD"]
    static let sampleColumns = ["", "Rjct", "Data File", "Acq. Date-Time", "Type", "Level", "Sample Name"]

    static let analytes: [PanelAnalyte] = {
        let noGas = "No Gas", he = "He"
        func a(_ mass: Int, _ symbol: String, _ mode: String, _ level: Double, _ bdl: Double = 0.003) -> PanelAnalyte {
            PanelAnalyte(mass: mass, symbol: symbol, mode: mode, levelMgPerKg: level, belowDetection: bdl)
        }
        return [
            a(7, "Li", noGas, 20), a(9, "Be", noGas, 3), a(11, "B", noGas, 15),
            a(23, "Na", he, 2_900), a(24, "Mg", he, 1_300), a(27, "Al", he, 80_400), a(28, "Si", he, 308_000),
            a(31, "P", he, 700), a(39, "K", he, 28_000), a(43, "Ca", he, 3_000), a(44, "Ca", he, 3_000),
            a(47, "Ti", he, 3_000), a(51, "V", he, 60), a(52, "Cr", he, 35), a(53, "Cr", he, 35),
            a(55, "Mn", he, 600), a(56, "Fe", he, 35_000), a(57, "Fe", he, 35_000), a(59, "Co", he, 10),
            a(60, "Ni", he, 20), a(63, "Cu", he, 25), a(65, "Cu", he, 25), a(66, "Zn", he, 71), a(67, "Zn", he, 71),
            a(68, "Zn", he, 71), a(71, "Ga", he, 17), a(72, "Ge", he, 1.6), a(75, "As", he, 1.5),
            a(77, "Se", he, 0.05, 0.4), a(78, "Se", he, 0.05, 0.3), a(80, "Se", he, 0.05, 0.3), a(82, "Se", he, 0.05, 0.4),
            a(85, "Rb", noGas, 112), a(88, "Sr", noGas, 35), a(89, "Y", noGas, 66), a(90, "Zr", noGas, 190),
            a(93, "Nb", noGas, 12), a(95, "Mo", noGas, 1.5), a(97, "Mo", noGas, 1.5), a(111, "Cd", noGas, 0.1, 0.2),
            a(118, "Sn", noGas, 5.5), a(121, "Sb", noGas, 0.2), a(133, "Cs", noGas, 3.7), a(137, "Ba", noGas, 550),
            a(139, "La", noGas, 90), a(140, "Ce", noGas, 192), a(141, "Pr", noGas, 21.3), a(146, "Nd", noGas, 78),
            a(147, "Sm", noGas, 13.5), a(153, "Eu", noGas, 2.64), a(157, "Gd", noGas, 11.4), a(159, "Tb", noGas, 1.92),
            a(163, "Dy", noGas, 10.5), a(165, "Ho", noGas, 2.4), a(166, "Er", noGas, 6.9), a(169, "Tm", noGas, 0.99),
            a(172, "Yb", noGas, 6.6), a(175, "Lu", noGas, 0.96), a(178, "Hf", noGas, 5.8), a(181, "Ta", noGas, 2.2),
            a(182, "W", noGas, 2), a(185, "Re", noGas, 0.0004, 0.7), a(205, "Tl", noGas, 0.75), a(206, "Pb", noGas, 20),
            a(207, "Pb", noGas, 20), a(208, "Pb", noGas, 20), a(209, "Bi", noGas, 0.13), a(232, "Th", noGas, 10.7),
            a(238, "U", noGas, 2.8),
        ]
    }()

    static let internalStandards = [
        PanelInternalStandard(mass: 45, symbol: "Sc", mode: "He", cps: 35_000),
        PanelInternalStandard(mass: 115, symbol: "In", mode: "No Gas", cps: 272_000),
    ]

    /// Header row 1: `Sample` over the sample columns, each group's title over its first column.
    static var headerRow1: [String] {
        var cells = ["Sample"] + Array(repeating: "", count: sampleColumns.count - 1)
        for analyte in analytes { cells += [analyte.groupTitle] + Array(repeating: "", count: measureColumns.count - 1) }
        for standard in internalStandards {
            cells += [standard.groupTitle] + Array(repeating: "", count: internalStandardColumns.count - 1)
        }
        return cells
    }

    /// Header row 2: the sample columns, then the measure names of every group.
    static var headerRow2: [String] {
        sampleColumns + analytes.flatMap { _ in measureColumns } + internalStandards.flatMap { _ in internalStandardColumns }
    }
}
