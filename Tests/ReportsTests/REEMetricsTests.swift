import XCTest
@testable import Reports

/// REE cases S1 and S2 of `shared/reference/worked-cases.md` (computed independently in Python) for UCC,
/// CI chondrite and PAAS; geometric anomalies for CI and PAAS from Tests/Fixtures/reports/independent_check.py.
final class REEMetricsTests: XCTestCase {
    static let rey = Elements.rey
    static let ucc = ReferenceComposition(code: "UCC-TM1995", name: "UCC", citation: "T&M 1995", values: Dictionary(uniqueKeysWithValues: zip(rey,
        [30, 64, 7.1, 26, 4.5, 0.88, 3.8, 0.64, 3.5, 0.8, 2.3, 0.33, 2.2, 0.32, 22])))
    static let ci = ReferenceComposition(code: "CI-MS1995", name: "CI", citation: "M&S 1995", values: Dictionary(uniqueKeysWithValues: zip(rey,
        [0.237, 0.613, 0.0928, 0.457, 0.148, 0.0563, 0.199, 0.0361, 0.246, 0.0546, 0.16, 0.0247, 0.161, 0.0246, 1.57])))
    static let paas = ReferenceComposition(code: "PAAS-TM1985", name: "PAAS", citation: "T&M 1985", values: Dictionary(uniqueKeysWithValues: zip(rey,
        [38.2, 80, 8.9, 32, 5.6, 1.1, 4.7, 0.77, 4.4, 1.0, 2.9, 0.4, 2.8, 0.43, 27])))
    static let s1 = [45.2, 98.7, 10.9, 41.3, 7.85, 1.42, 6.91, 1.02, 5.88, 1.19, 3.41, 0.49, 3.22, 0.47, 31.5]
    static let s2 = [12.4, 15.1, 3.05, 12.8, 2.61, 1.35, 2.77, 0.41, 2.46, 0.52, 1.49, 0.22, 1.41, 0.21, 14.8]

    static func values(_ xs: [Double]) -> [String: ResolvedValue] {
        Dictionary(uniqueKeysWithValues: zip(rey, xs).map { ($0, ResolvedValue.resolve([RawValue(value: $1)], rule: .halfDL)) })
    }

    func testS1AndS2AgainstAllThreeReferences() {
        // (sample, reference, Ce*, Eu*, LREE/HREE) arithmetic, from worked-cases.md.
        let expected: [([Double], ReferenceComposition, Double, Double, Double)] = [
            (Self.s1, Self.ucc, 1.013971, 0.905808, 0.763700), (Self.s2, Self.ucc, 0.559816, 2.344007, 0.690887),
            (Self.s1, Self.ci, 1.044938, 0.574768, 3.375924), (Self.s2, Self.ci, 0.578326, 1.519815, 2.234249),
            (Self.s1, Self.paas, 1.024724, 0.898962, 0.765171), (Self.s2, Self.paas, 0.565709, 2.325629, 0.692891),
        ]
        for (sample, reference, ce, eu, ratio) in expected {
            let m = REEMetrics(values: Self.values(sample), reference: reference, form: .arithmetic)
            XCTAssertEqual(m.ceAnomaly!, ce, accuracy: 1e-6, reference.code)
            XCTAssertEqual(m.euAnomaly!, eu, accuracy: 1e-6, reference.code)
            XCTAssertEqual(m.lreeHreeRatio!, ratio, accuracy: 1e-6, reference.code)
        }
    }

    func testS1SumsAndNormalizedPattern() {
        let m = REEMetrics(values: Self.values(Self.s1), reference: Self.ucc, form: .arithmetic)
        XCTAssertEqual(m.sumREE!, 227.96, accuracy: 1e-9)
        XCTAssertEqual(m.sumREY!, 259.46, accuracy: 1e-9)
        let normalized = [1.506667, 1.542188, 1.535211, 1.588462, 1.744444, 1.613636, 1.818421, 1.593750, 1.680000,
                          1.487500, 1.482609, 1.484848, 1.463636, 1.468750, 1.431818]
        for (e, x) in zip(Self.rey, normalized) { XCTAssertEqual(m.normalized[e]!, x, accuracy: 1e-6, e) }
        XCTAssertEqual(Elements.ree.reduce(0) { $0 + m.normalized[$1]! }, 22.010122, accuracy: 1e-6)
        let m2 = REEMetrics(values: Self.values(Self.s2), reference: Self.ucc, form: .arithmetic)
        XCTAssertEqual(m2.sumREE!, 56.8, accuracy: 1e-9)
        XCTAssertEqual(m2.sumREY!, 71.6, accuracy: 1e-9)
        XCTAssertEqual(Elements.ree.reduce(0) { $0 + m2.normalized[$1]! }, 9.019328, accuracy: 1e-6)
    }

    func testGeometricAnomalies() {
        // UCC from worked-cases.md; CI and PAAS from independent_check.py (numpy).
        let expected: [([Double], ReferenceComposition, Double, Double)] = [
            (Self.s1, Self.ucc, 1.014015, 0.906003), (Self.s2, Self.ucc, 0.559920, 2.359332),
            (Self.s1, Self.ci, 1.0757772923, 0.5877105589), (Self.s2, Self.ci, 0.5940238355, 1.5304622834),
            (Self.s1, Self.paas, 1.0248761437, 0.8992174987), (Self.s2, Self.paas, 0.5659171858, 2.3416602705),
        ]
        for (sample, reference, ce, eu) in expected {
            let m = REEMetrics(values: Self.values(sample), reference: reference, form: .geometric)
            XCTAssertEqual(m.ceAnomaly!, ce, accuracy: 1e-6, reference.code)
            XCTAssertEqual(m.euAnomaly!, eu, accuracy: 1e-6, reference.code)
        }
    }

    func testCensoredOrMissingInputsStopTheAnomalyAndAreSubstitutedElsewhere() {
        var values = Self.values(Self.s1)
        values["Pr"] = ResolvedValue.resolve([RawValue(value: nil, qualifier: "<", detectionLimit: 0.5)], rule: .halfDL)
        values["Gd"] = .missing
        let m = REEMetrics(values: values, reference: Self.ucc, form: .arithmetic)
        XCTAssertNil(m.ceAnomaly)
        XCTAssertEqual(m.ceAnomalyNote, "Pr < DL")
        XCTAssertNil(m.euAnomaly)
        XCTAssertEqual(m.euAnomalyNote, "Gd missing")
        // Pr is DL/2 = 0.25 in the pattern and marked; the sums need Gd, so they are not computed.
        XCTAssertEqual(m.normalized["Pr"]!, 0.25 / 7.1, accuracy: 1e-12)
        XCTAssertEqual(m.substitutedElements, ["Pr"])
        XCTAssertEqual(m.missingElements, ["Gd"])
        XCTAssertNil(m.sumREE)
        XCTAssertNil(m.lreeHreeRatio)
    }

    func testReferenceWithoutANeededElement() {
        var partial = Self.ucc
        partial.values["Pr"] = nil
        let m = REEMetrics(values: Self.values(Self.s1), reference: partial, form: .arithmetic)
        XCTAssertNil(m.ceAnomaly)
        XCTAssertEqual(m.ceAnomalyNote, "Pr not in UCC-TM1995")
        XCTAssertEqual(m.euAnomaly!, 0.905808, accuracy: 1e-6)
        XCTAssertEqual(partial.missingREY, ["Pr"])
    }

    func testCensoringRulesAndReplicateMeans() {
        let raws = [RawValue(value: nil, qualifier: "<", detectionLimit: 0.4), RawValue(value: 1.0)]
        XCTAssertEqual(ResolvedValue.resolve(raws, rule: .halfDL).value!, (0.2 + 1.0) / 2, accuracy: 1e-15)
        XCTAssertEqual(ResolvedValue.resolve(raws, rule: .dl).value!, (0.4 + 1.0) / 2, accuracy: 1e-15)
        XCTAssertEqual(ResolvedValue.resolve(raws, rule: .zero).value!, 0.5, accuracy: 1e-15)
        XCTAssertEqual(ResolvedValue.resolve(raws, rule: .omit).value!, 1.0, accuracy: 1e-15)
        let resolved = ResolvedValue.resolve(raws, rule: .halfDL)
        XCTAssertTrue(resolved.censored)
        XCTAssertTrue(resolved.substituted)
        XCTAssertEqual(resolved.replicates, 2)
        // '<0.05' stored with the DL in value only; 'nm' is ignored.
        XCTAssertEqual(ResolvedValue.resolve([RawValue(value: 0.05, qualifier: "<"), RawValue(value: nil, qualifier: "nm")],
                                             rule: .halfDL).value!, 0.025, accuracy: 1e-15)
        XCTAssertNil(ResolvedValue.resolve([RawValue(value: nil, qualifier: "<", detectionLimit: 0.1)], rule: .omit).value)
    }
}
