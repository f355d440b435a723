import Foundation
import LIMSStore
import LIMSTestSupport
import XCTest
@testable import Reports

/// Inserts report data straight into a test database (the importers are written elsewhere).
struct ReportTestLab {
    let store: LabStore

    static let ree = Elements.ree
    static let s1 = Dictionary(uniqueKeysWithValues: zip(Elements.rey,
        [45.2, 98.7, 10.9, 41.3, 7.85, 1.42, 6.91, 1.02, 5.88, 1.19, 3.41, 0.49, 3.22, 0.47, 31.5]))
    static let s2 = Dictionary(uniqueKeysWithValues: zip(Elements.rey,
        [12.4, 15.1, 3.05, 12.8, 2.61, 1.35, 2.77, 0.41, 2.46, 0.52, 1.49, 0.22, 1.41, 0.21, 14.8]))

    /// A fresh database with the small lab of TestSupport (control/miscanthus/ramie × 3 plots, "<plot>-S").
    static func make() throws -> ReportTestLab {
        let store = try TestSupport.makeStore()
        try TestSupport.seedSmallLab(store)
        return ReportTestLab(store: store)
    }

    func id(_ code: String) throws -> Int64 { try store.requireSample(code: code).id }

    func measure(_ sample: String, _ analyte: String, _ value: Double?, unit: String = "mg/kg", qualifier: String = "=",
                 dl: Double? = nil) throws {
        try store.db.execute("""
            INSERT INTO measurement (sample_id, analyte, value, raw_text, unit, qualifier, detection_limit, status)
            VALUES (?, ?, ?, ?, ?, ?, ?, 'valid')
            """, [try id(sample), analyte, value, qualifier == "=" ? "\(value!)" : "\(qualifier)\(dl ?? value ?? 0)", unit, qualifier, dl])
    }

    func measureAll(_ sample: String, _ values: [String: Double], scale: Double = 1) throws {
        for (e, v) in values { try measure(sample, e, v * scale) }
    }

    func property(_ sample: String, _ name: String, _ value: Double, unit: String) throws {
        try store.db.execute("INSERT INTO soil_property (sample_id, property, value, raw_text, unit) VALUES (?, ?, ?, ?, ?)",
                             [try id(sample), name, value, "\(value)", unit])
    }

    func addChild(_ code: String, parent: String, type: String) throws {
        try store.addSample(Sample(code: code, parentCode: parent, type: type))
    }

    func extraction(_ sample: String, extract: String, soilG: Double, solutionG: Double?, volumeML: Double?) throws {
        try addChild(extract, parent: sample, type: "extract")
        try store.db.execute("""
            INSERT INTO cacl2_extraction (sample_id, extract_sample_id, soil_mass_g, solution_mass_g, solution_volume_ml, ratio, contact_time_h)
            VALUES (?, ?, ?, ?, ?, '1:2', 48)
            """, [try id(sample), try id(extract), soilG, solutionG, volumeML])
    }

    func fraction(_ parent: String, _ label: String, lower: Double?, upper: Double?, replicate: Int, massG: Double,
                  fractionSample: String?) throws {
        if let fractionSample { try addChild(fractionSample, parent: parent, type: "size_fraction") }
        try store.db.execute("""
            INSERT INTO size_fraction (parent_sample_id, fraction_sample_id, class_label, lower_um, upper_um, replicate, mass_g)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """, [try id(parent), try fractionSample.map { try id($0) }, label, lower, upper, replicate, massG])
    }

    /// The document's JSON, parsed back with JSONSerialization (so the test also proves it is valid JSON).
    static func json(_ document: ReportDocument) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(document.json().rendered().utf8)) as! [String: Any]
    }
}

extension Dictionary where Key == String, Value == Any {
    func object(_ key: String) -> [String: Any] { self[key] as! [String: Any] }
    func array(_ key: String) -> [[String: Any]] { self[key] as! [[String: Any]] }
    func double(_ key: String) -> Double? { self[key] as? Double }
}
