import XCTest
@testable import Reports

/// Censored-data statistics against Tests/Fixtures/reports/censored_check.py (run by hand):
/// Kaplan–Meier from lifelines 0.30.3 on the flipped data, robust ROS and Peto–Peto (survival::survdiff
/// rho = 1, as NADA::cendiff) from the script's own numpy code, λ from pyrolite 0.3.8 lambda_lnREE.
/// Fixture: 20 %, 40 % and 60 % censored, two DLs, tied detects, a detect equal to a DL.
final class CensoredStatisticsTests: XCTestCase {
    static func v(_ x: Double, _ censored: Bool = false) -> CensoredValue { CensoredValue(x, censored: censored) }
    static let groups: [(group: String, values: [CensoredValue])] = [
        ("control", [v(0.8), v(0.5, true), v(1.2), v(1.2), v(2.5), v(0.5, true), v(3.1), v(1.9), v(1.0), v(4.4)]),
        ("miscanthus", [v(0.5, true), v(1.0, true), v(0.6), v(1.2), v(0.5, true), v(2.2), v(1.2), v(1.0, true), v(3.0), v(0.7)]),
        ("ramie", [v(1.0, true), v(0.5, true), v(0.5, true), v(0.55), v(1.0, true), v(0.9), v(0.5, true), v(1.1), v(1.0, true), v(0.6)]),
    ]

    func testKaplanMeierMatchesLifelinesOnFlippedData() throws {
        // censored_check.py: "KM mean … sd … median …" (printed to 10 decimals; tolerance 1e-9).
        let expected: [(Double, Double, Double, Double)] = [
            (1.71, 1.2740573858, 1.2, 0.2), (1.105, 0.8521052361, 0.7, 0.4), (0.6425, 0.2149127730, 0.55, 0.6),
        ]
        for (group, e) in zip(Self.groups, expected) {
            let km = try KaplanMeier(group.values)
            XCTAssertEqual(km.mean, e.0, accuracy: 1e-9, group.group)
            XCTAssertEqual(km.sd!, e.1, accuracy: 1e-9, group.group)
            XCTAssertEqual(km.median, e.2, accuracy: 1e-12, group.group)
            XCTAssertEqual(km.censoredShare, e.3, accuracy: 1e-12, group.group)
            XCTAssertEqual(km.mass.reduce(0, +), 1, accuracy: 1e-12)
        }
        // Without censoring KM is the ordinary mean, SD (n − 1) and median (worked case 1, control).
        let plain = try KaplanMeier([10.2, 11.5, 12.1, 12.1, 14.0].map { Self.v($0) })
        XCTAssertEqual(plain.mean, 11.98, accuracy: 1e-12)
        XCTAssertEqual(plain.sd!, 1.370036, accuracy: 1e-6)
        XCTAssertEqual(plain.median, 12.1, accuracy: 1e-12)
        let even = try KaplanMeier([1, 2, 3, 4].map { Self.v($0) })
        XCTAssertEqual(even.median, 2.5, accuracy: 1e-12)
        XCTAssertThrowsError(try KaplanMeier([Self.v(0.5, true), Self.v(0.5, true)]))
        // The lowest value censored and holding half the mass: the median is only an upper limit.
        let low = try KaplanMeier([Self.v(0.5, true), Self.v(0.5, true), Self.v(0.7), Self.v(0.9)])
        XCTAssertTrue(low.lowestIsCensored)
        XCTAssertTrue(low.medianIsUpperBound)
    }

    func testRobustROSMatchesTheIndependentNumpyROS() throws {
        // censored_check.py "ROS mean … sd … median … intercept … slope …"; tolerance 1e-8 (normal quantile ~1e-15).
        let expected: [(Double, Double, Double, Double, Double)] = [
            (1.6883192834, 1.2979587677, 1.2, 0.2552306637, 0.9257679619),
            (1.0289687499, 0.9150040655, 0.65, -0.3219403714, 0.9986960724),
            (0.5734070284, 0.2557398823, 0.5208031263, -0.6492456783, 0.4840908184),
        ]
        for (group, e) in zip(Self.groups, expected) {
            let ros = try RobustROS(group.values)
            XCTAssertEqual(ros.mean, e.0, accuracy: 1e-8, group.group)
            XCTAssertEqual(ros.sd, e.1, accuracy: 1e-8, group.group)
            XCTAssertEqual(ros.median, e.2, accuracy: 1e-8, group.group)
            XCTAssertEqual(ros.intercept, e.3, accuracy: 1e-8, group.group)
            XCTAssertEqual(ros.slope, e.4, accuracy: 1e-8, group.group)
        }
        XCTAssertThrowsError(try RobustROS([Self.v(1), Self.v(2), Self.v(0.5, true)] + Array(repeating: Self.v(0.5, true), count: 10)))
        XCTAssertThrowsError(try RobustROS([Self.v(1), Self.v(2), Self.v(0.5, true)]))   // 2 detects
        XCTAssertThrowsError(try RobustROS([Self.v(1), Self.v(2), Self.v(3)]))           // nothing censored
    }

    func testPetoPetoAndBenjaminiHochbergMatchSurvdiffRho1() throws {
        // censored_check.py: own numpy survdiff(rho = 1); tolerance 1e-9 on χ², 1e-9 on p.
        let test = try PetoPeto(Self.groups)
        XCTAssertEqual(test.chiSquare, 6.7013478052, accuracy: 1e-9)
        XCTAssertEqual(test.degreesOfFreedom, 2)
        XCTAssertEqual(test.p, 0.0350607186, accuracy: 1e-9)
        let pairs = PetoPetoPairs(Self.groups, alpha: 0.05)
        XCTAssertEqual(pairs.pairs.map { "\($0.first)-\($0.second)" }, ["control-miscanthus", "control-ramie", "miscanthus-ramie"])
        for (pair, e) in zip(pairs.pairs, [(1.5155284698, 0.2182974252, 0.2182974252), (6.2803520115, 0.0122083848, 0.0366251543),
                                            (2.1900427875, 0.1389054568, 0.2083581852)]) {
            XCTAssertEqual(pair.chiSquare!, e.0, accuracy: 1e-9)
            XCTAssertEqual(pair.p!, e.1, accuracy: 1e-9)
            XCTAssertEqual(pair.adjustedP!, e.2, accuracy: 1e-9)
        }
        XCTAssertEqual(pairs.pairs.map(\.significant), [false, true, false])
        // R: p.adjust(c(0.01, 0.04, 0.03, 0.2), "BH") = 0.04 0.0533 0.0533 0.2 (by hand: 0.04·4/3 = 0.0533).
        for (got, want) in zip(BenjaminiHochberg.adjust([0.01, 0.04, 0.03, 0.2]), [0.04, 0.16 / 3, 0.16 / 3, 0.2]) {
            XCTAssertEqual(got, want, accuracy: 1e-15)
        }
    }

    func testComparisonUsesCensoredMethodsAndLetters() {
        var values: [TreatmentComparison.Value] = []
        for g in Self.groups {
            for (i, v) in g.values.enumerated() {
                values.append(.init(treatment: g.group, sample: "\(g.group)-\(i)", value: v.value, censored: v.censored))
            }
        }
        let c = TreatmentComparison(parameter: "La", unit: "mg/kg", treatments: Self.groups.map(\.group), values: values, alpha: 0.05)
        XCTAssertEqual(c.method, .censored)
        XCTAssertNil(c.test)
        XCTAssertEqual(c.petoPeto!.p, 0.0350607186, accuracy: 1e-9)
        XCTAssertEqual(c.groups.map(\.letters), ["a", "ab", "b"])
        XCTAssertFalse(c.lettersDisagreeWithP)
        // 1.71 ± 1.27 → SD 1.3 (2 s.f.), mean and median to 1 decimal.
        XCTAssertEqual(c.cell(c.groups[0]), "1.7 ± 1.3 (1.2) a [2 < DL]")
        XCTAssertEqual(c.cell(c.groups[2]), "0.64 ± 0.21 (0.55) b [6 < DL]")
    }

    func testSignificantFigureRule() {
        XCTAssertEqual(NumberFormat.summary(mean: 733.2, sd: 95.4, median: 684.4), "733 ± 95 (684)")
        XCTAssertEqual(NumberFormat.summary(mean: 1.432, sd: 0.2211, median: 1.38), "1.43 ± 0.22 (1.38)")
        XCTAssertEqual(NumberFormat.summary(mean: 0.8491, sd: 0.1581, median: 0.8), "0.85 ± 0.16 (0.80)")
        XCTAssertEqual(NumberFormat.summary(mean: 12345, sd: 1234, median: 12001), "12300 ± 1200 (12000)")
        XCTAssertEqual(NumberFormat.summary(mean: 0.5, sd: 0.0996, median: 0.49), "0.50 ± 0.10 (0.49)")
        XCTAssertEqual(NumberFormat.significant(0.99992), "1.00")
        XCTAssertEqual(NumberFormat.significant(0.012345), "0.0123")
    }

    func testLambdasMatchPyrolite() throws {
        // pyrolite 0.3.8 lambda_lnREE(norm ChondriteREE_ON, exclude Ce, Eu, degree 4) on worked-case samples S1, S2.
        let s1 = [45.2, 98.7, 10.9, 41.3, 7.85, 1.42, 6.91, 1.02, 5.88, 1.19, 3.41, 0.49, 3.22, 0.47]
        let s2 = [12.4, 15.1, 3.05, 12.8, 2.61, 1.35, 2.77, 0.41, 2.46, 0.52, 1.49, 0.22, 1.41, 0.21]
        for (sample, e) in [(s1, [3.70897966, 13.36818308, 43.07353900, -493.93279873]),
                            (s2, [2.71430815, 10.24731427, 37.23166142, -273.01554243])] {
            let shape = try XCTUnwrap(LambdaShape(values: Dictionary(uniqueKeysWithValues: zip(Elements.ree, sample))))
            for (got, want) in zip(shape.lambdas, e) { XCTAssertEqual(got, want, accuracy: abs(want) * 1e-6) }
            XCTAssertEqual(shape.elementsUsed.count, 12)
        }
        XCTAssertNil(LambdaShape(values: ["La": 1, "Pr": 1, "Nd": 1]))
    }
}
