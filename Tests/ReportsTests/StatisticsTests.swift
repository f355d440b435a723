import XCTest
@testable import Reports

/// The four Kruskal–Wallis / kruskalmc cases of `shared/reference/worked-cases.md` (computed outside the
/// project with scipy 1.17.1 and a port of the R code), reproduced to 1e-6.
final class StatisticsTests: XCTestCase {
    struct Case {
        var groups: [(String, [Double])]
        var mean: [Double], sd: [Double], median: [Double], rankSum: [Double], meanRank: [Double]
        var tieCorrection: Double, hUncorrected: Double, h: Double, p: Double
        var obs: [Double], critical: [Double], different: [Bool], letters: [String]
    }

    static let cases: [Case] = [
        Case(groups: [("Control", [10.2, 11.5, 12.1, 12.1, 14.0]), ("T1", [13.3, 14.0, 15.8, 16.4, 17.9]),
                      ("T2", [16.4, 18.5, 19.2, 20.1, 21.7])],
             mean: [11.98, 15.48, 19.18], sd: [1.370036, 1.853915, 1.961377], median: [12.1, 15.8, 19.2],
             rankSum: [16.5, 40.0, 63.5], meanRank: [3.3, 8.0, 12.7],
             tieCorrection: 0.9946428571, hUncorrected: 11.0450000000, h: 11.1044883303, p: 0.003878742929,
             obs: [4.7, 9.4, 4.7], critical: [6.771197, 6.771197, 6.771197], different: [false, true, false],
             letters: ["a", "ab", "b"]),
        Case(groups: [("Control", [10.2, 11.5, 12.1, 12.1, 14.0]), ("T1", [13.3, 14.0, 15.8, 16.4]),
                      ("T2", [16.4, 18.5, 19.2, 20.1, 21.7])],
             mean: [11.98, 14.875, 19.18], sd: [1.370036, 1.463728, 1.961377], median: [12.1, 14.9, 19.2],
             rankSum: [16.5, 29.0, 59.5], meanRank: [3.3, 7.25, 11.9],
             tieCorrection: 0.9934065934, hUncorrected: 10.5857142857, h: 10.6559734513, p: 0.004853832278,
             obs: [3.95, 8.6, 4.65], critical: [6.718089, 6.333875, 6.718089], different: [false, true, false],
             letters: ["a", "ab", "b"]),
        Case(groups: [("Control", [5.1, 6.3, 7.7, 8.0, 9.4]), ("T1", [5.9, 6.3, 7.1, 8.8, 9.9]),
                      ("T2", [6.0, 7.7, 8.1, 9.0, 10.5])],
             mean: [7.3, 7.6, 8.26], sd: [1.650757, 1.7, 1.659217], median: [7.7, 7.1, 8.1],
             rankSum: [35.0, 37.5, 47.5], meanRank: [7.0, 7.5, 9.5],
             tieCorrection: 0.9964285714, hUncorrected: 0.8750000000, h: 0.8781362007, p: 0.6446368781,
             obs: [0.5, 2.5, 2.0], critical: [6.771197, 6.771197, 6.771197], different: [false, false, false],
             letters: ["a", "a", "a"]),
        Case(groups: [("A", [0.44, 0.44, 0.54, 0.32, 0.21, 0.28]), ("B", [0.7, 0.77, 0.48, 0.64, 0.71, 0.75]),
                      ("C", [0.8, 0.76, 0.34, 0.8, 0.73, 0.8])],
             mean: [0.371667, 0.675, 0.705], sd: [0.122379, 0.105594, 0.181080], median: [0.38, 0.705, 0.78],
             rankSum: [25.0, 65.0, 81.0], meanRank: [4.166667, 10.833333, 13.5],
             tieCorrection: 0.9948400413, hUncorrected: 9.7309941520, h: 9.7814661134, p: 0.007515910866,
             obs: [6.666667, 9.333333, 2.666667], critical: [7.378741, 7.378741, 7.378741], different: [false, true, false],
             letters: ["a", "ab", "b"]),
    ]

    func testWorkedCasesReproduceToOneMillionth() throws {
        // The worked cases print 6 decimals for the tables and 10 for H and p: compare to those.
        for (index, c) in Self.cases.enumerated() {
            let label = "case \(index + 1)"
            for (i, group) in c.groups.enumerated() {
                let d = Descriptive(group.1)
                XCTAssertEqual(d.mean!, c.mean[i], accuracy: 1e-6, label)
                XCTAssertEqual(d.sd!, c.sd[i], accuracy: 1e-6, label)
                XCTAssertEqual(d.median!, c.median[i], accuracy: 1e-6, label)
            }
            let kw = try KruskalWallis(c.groups.map { ($0.0, $0.1) })
            XCTAssertEqual(kw.degreesOfFreedom, 2, label)
            XCTAssertEqual(kw.tieCorrection, c.tieCorrection, accuracy: 1e-9, label)
            XCTAssertEqual(kw.hUncorrected, c.hUncorrected, accuracy: 1e-9, label)
            XCTAssertEqual(kw.h, c.h, accuracy: 1e-9, label)
            XCTAssertEqual(kw.p, c.p, accuracy: 1e-10, label)  // p printed with 10 significant digits
            for i in 0..<3 {
                XCTAssertEqual(kw.rankSums[i], c.rankSum[i], accuracy: 1e-9, label)
                XCTAssertEqual(kw.meanRanks[i], c.meanRank[i], accuracy: 1e-6, label)
            }
            let mc = KruskalMC(kw, alpha: 0.05)
            XCTAssertEqual(mc.z, 2.3939797998, accuracy: 1e-9, label)
            XCTAssertEqual(mc.pairs.map { "\($0.first)-\($0.second)" },
                           ["\(c.groups[0].0)-\(c.groups[1].0)", "\(c.groups[0].0)-\(c.groups[2].0)", "\(c.groups[1].0)-\(c.groups[2].0)"])
            for (i, pair) in mc.pairs.enumerated() {
                XCTAssertEqual(pair.observedDifference, c.obs[i], accuracy: 1e-6, label)
                XCTAssertEqual(pair.criticalDifference, c.critical[i], accuracy: 1e-6, label)
                XCTAssertEqual(pair.significant, c.different[i], label)
            }
            let letters = CompactLetters.letters(groups: kw.groups,
                                                 different: mc.pairs.filter(\.significant).map { ($0.first, $0.second) })
            XCTAssertEqual(letters, c.letters, label)
        }
    }

    func testAlphaIsConfigurable() throws {
        // α = 0.01 on worked case 1: z = scipy.stats.norm.isf(0.01/6) = 2.9351994688667,
        // critical dif. = z·√(15·16/12·(1/5 + 1/5)) = 8.3019977942832 (python3, scipy 1.17.1).
        let kw = try KruskalWallis(Self.cases[0].groups.map { ($0.0, $0.1) })
        let mc = KruskalMC(kw, alpha: 0.01)
        XCTAssertEqual(mc.z, 2.9351994688667, accuracy: 1e-12)
        XCTAssertEqual(mc.pairs[1].criticalDifference, 8.3019977942832, accuracy: 1e-9)
        XCTAssertEqual(mc.pairs.map(\.significant), [false, true, false])
    }

    func testWorkedCaseRanksWithTies() {
        // Case 1 ranks listed in worked-cases.md.
        let (ranks, ties) = Ranking.averageRanks([10.2, 11.5, 12.1, 12.1, 14.0, 13.3, 14.0, 15.8, 16.4, 17.9, 16.4, 18.5, 19.2, 20.1, 21.7])
        XCTAssertEqual(ranks, [1, 2, 3.5, 3.5, 6.5, 5, 6.5, 8, 9.5, 11, 9.5, 12, 13, 14, 15])
        XCTAssertEqual(ties, [2, 2, 2])
    }

    func testRanksOfManyTiedValuesAreTheCountBelowPlusHalfTheTies() {
        // Independent definition: rank = #(below) + (#(equal) + 1) / 2; tie sizes in increasing value.
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20 {
            let values = (0..<200).map { _ in Double(Int.random(in: 0..<40, using: &generator)) / 4 - 3 }
            let (ranks, ties) = Ranking.averageRanks(values)
            for (i, v) in values.enumerated() {
                let below = values.filter { $0 < v }.count, equal = values.filter { $0 == v }.count
                XCTAssertEqual(ranks[i], Double(below) + Double(equal + 1) / 2, "value \(v)")
            }
            let groups = Set(values).sorted().map { v in values.filter { $0 == v }.count }.filter { $0 >= 2 }
            XCTAssertEqual(ties, groups)
        }
        XCTAssertTrue(Ranking.averageRanks([]).ranks.isEmpty)
        XCTAssertEqual(Ranking.averageRanks([-0.0, 0.0, 2]).ranks, [1.5, 1.5, 3])
    }

    func testNormalQuantileMatchesScipy() {
        // scipy.stats.norm.ppf (Tests/Fixtures/reports/independent_check.py).
        let expected: [(Double, Double)] = [
            (0.5, 0), (0.975, 1.95996398454005), (0.99, 2.32634787404084), (1 - 0.05 / 6, 2.39397979981851),
            (1 - 0.01 / 6, 2.9351994688667), (1 - 0.05 / 12, 2.63825727347675), (1e-10, -6.36134090240406),
            (0.01, -2.32634787404084),
        ]
        for (p, z) in expected {
            XCTAssertEqual(SpecialFunctions.normalQuantile(p), z, accuracy: 1e-12, "p = \(p)")
        }
    }

    func testChiSquareUpperTailMatchesScipy() {
        // scipy.stats.chi2.sf (Tests/Fixtures/reports/independent_check.py); relative tolerance 1e-10.
        let expected: [(Double, Double, Double)] = [
            (11.1044883303, 2, 0.00387874292924566), (3.5, 1, 0.0613688291394023), (7.2, 3, 0.065789052685071),
            (25.0, 4, 5.03098178230621e-05), (0.3, 5, 0.997643086260529), (60.0, 12, 2.25734874639629e-08),
        ]
        for (x, df, p) in expected {
            let got = SpecialFunctions.chiSquareUpperTail(x, degreesOfFreedom: df)
            XCTAssertEqual(got / p, 1, accuracy: 1e-10, "x = \(x), df = \(df)")
        }
        // df = 2 has the closed form exp(−x/2).
        XCTAssertEqual(SpecialFunctions.chiSquareUpperTail(4.2, degreesOfFreedom: 2), exp(-2.1), accuracy: 1e-15)
    }

    func testLettersForAChainOfDifferences() {
        // Insert-and-absorb by hand (Piepho 2004): A≠C, A≠D, B≠D → columns {A,B}, {B,C}, {C,D}
        // → A "a", B "ab", C "bc", D "c" (multcompView::multcompLetters gives the same).
        XCTAssertEqual(CompactLetters.letters(groups: ["A", "B", "C", "D"], different: [("A", "C"), ("A", "D"), ("B", "D")]),
                       ["a", "ab", "bc", "c"])
        XCTAssertEqual(CompactLetters.letters(groups: ["A", "B", "C"], different: [("A", "B"), ("A", "C"), ("B", "C")]),
                       ["a", "b", "c"])
        XCTAssertEqual(CompactLetters.letters(groups: ["A", "B"], different: []), ["a", "a"])
    }

    func testLettersMatchAPortOfMultcompLetters() {
        // Expected from a line-by-line Python port of multcompView::multcompLetters (insert, recursive
        // absorb, sortCols with recursive tie-breaking): Tests/Fixtures/reports/independent_check.py.
        let levels = ["A", "B", "C", "D", "E"]
        let cases: [([(String, String)], [String])] = [
            ([("A", "B"), ("A", "C"), ("A", "E"), ("B", "D"), ("B", "E"), ("C", "E"), ("D", "E")], ["a", "b", "bc", "ac", "d"]),
            ([("A", "B"), ("A", "C"), ("A", "D"), ("B", "C"), ("B", "D"), ("D", "E")], ["a", "b", "cd", "c", "abd"]),
            ([("A", "C"), ("A", "E"), ("B", "C"), ("B", "D"), ("B", "E"), ("C", "E")], ["ab", "a", "c", "bcd", "d"]),
            ([("A", "C"), ("A", "E"), ("B", "C"), ("B", "D"), ("C", "D"), ("C", "E")], ["ab", "ac", "d", "be", "ce"]),
            ([("A", "C"), ("B", "C"), ("D", "E")], ["ab", "ab", "cd", "ac", "bd"]),
            ([("A", "C"), ("A", "D"), ("B", "C"), ("B", "E")], ["ab", "ac", "d", "cd", "bd"]),
        ]
        for (different, expected) in cases {
            XCTAssertEqual(CompactLetters.letters(groups: levels, different: different), expected, "\(different)")
        }
    }

    func testKruskalWallisRefusesWhatItCannotTest() {
        XCTAssertThrowsError(try KruskalWallis([("A", [1, 2])])) { XCTAssertEqual($0 as? KruskalWallis.Failure, .fewerThanTwoGroups) }
        XCTAssertThrowsError(try KruskalWallis([("A", [1, 1]), ("B", [1, 1])])) { XCTAssertEqual($0 as? KruskalWallis.Failure, .allValuesTied) }
        XCTAssertThrowsError(try KruskalWallis([("A", [1, 2]), ("B", [])])) { XCTAssertEqual($0 as? KruskalWallis.Failure, .emptyGroup("B")) }
    }

    func testTreatmentComparisonCellsAndSmallGroups() {
        // Worked case 1 as treatment data, plus a treatment with one sample (left out of the test).
        var values: [(treatment: String, sample: String, value: Double, substituted: Bool)] = []
        for (g, xs) in Self.cases[0].groups { for (i, x) in xs.enumerated() { values.append((g, "\(g)\(i)", x, false)) } }
        values.append(("T3", "T3-0", 30, false))
        let c = TreatmentComparison(parameter: "ΣREE", unit: "mg/kg", treatments: ["Control", "T1", "T2", "T3"],
                                    values: values, alpha: 0.05)
        XCTAssertEqual(c.test?.h ?? 0, 11.1044883303, accuracy: 1e-9)
        XCTAssertEqual(c.groups.map { c.cell($0) }, ["12.0 ± 1.4 (12.1) a", "15.5 ± 1.9 (15.8) ab", "19.2 ± 2.0 (19.2) b", "30.0 (n = 1)"])
        XCTAssertEqual(c.notes, ["T3: n = 1, fewer than 2 values; left out of the test"])
        let single = TreatmentComparison(parameter: "pH", unit: "", treatments: ["Control"],
                                         values: [("Control", "a", 4.2, false), ("Control", "b", 4.4, false)], alpha: 0.05)
        XCTAssertNil(single.test)
        XCTAssertEqual(single.notes, ["only one treatment: no comparison"])
    }
}
