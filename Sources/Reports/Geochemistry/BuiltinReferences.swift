/// Reference compositions the reports know without a database row, so every lab database has them
/// (a database row with the same code wins). Values in mg/kg.
public enum BuiltinReferences {
    public static let all: [ReferenceComposition] = [
        ReferenceComposition(
            code: "UCC-RG2014", name: "Upper continental crust (Rudnick & Gao 2014)",
            citation: "Rudnick R.L., Gao S. (2014) Composition of the continental crust. Treatise on Geochemistry 2nd ed., vol. 4, 1–51, Table 3",
            values: ["La": 31, "Ce": 63, "Pr": 7.1, "Nd": 27, "Sm": 4.7, "Eu": 1.0, "Gd": 4.0, "Tb": 0.7, "Dy": 3.9,
                     "Ho": 0.83, "Er": 2.3, "Tm": 0.30, "Yb": 1.96, "Lu": 0.31, "Y": 21]),
        ReferenceComposition(
            code: "PAAS-P2012", name: "Post-Archean Australian shale (Pourmand et al. 2012)",
            citation: "Pourmand A., Dauphas N., Ireland T.J. (2012) A novel extraction chromatography and MC-ICP-MS technique for rapid analysis of REE, Sc and Y: revising CI-chondrite and Post-Archean Australian Shale (PAAS) abundances. Chem. Geol. 291:38–54",
            values: ["La": 44.56, "Ce": 88.25, "Pr": 10.15, "Nd": 37.32, "Sm": 6.884, "Eu": 1.215, "Gd": 6.043,
                     "Tb": 0.8914, "Dy": 5.325, "Ho": 1.053, "Er": 3.075, "Tm": 0.451, "Yb": 3.012, "Lu": 0.4386, "Y": 27.31]),
        ReferenceComposition(
            code: "CI-ON2016", name: "CI chondrite (O'Neill 2016), the basis of the λ shape coefficients",
            citation: LambdaShape.citation, values: LambdaShape.chondrite),
    ]
}
