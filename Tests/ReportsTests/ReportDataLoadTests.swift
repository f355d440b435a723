import Foundation
import LIMSStore
import LIMSTestSupport
import XCTest
@testable import Reports

/// `ReportData.load` reads texts by their bytes and keeps a kind (qualifier, unit, method, DL) while the
/// rows repeat it: every change between rows must still reach the values, checked against a plain read.
final class ReportDataLoadTests: XCTestCase {
    func testEveryChangeBetweenRowsReachesTheLoadedValues() throws {
        let store = try TestSupport.makeStore()
        try TestSupport.seedSmallLab(store)
        let db = store.db
        func batch(_ file: String, method: String?, instrument: String?) throws -> Int64 {
            try db.execute("""
                INSERT INTO import_batch (kind, file_name, file_path, sha256, file_size, format, instrument, method, operator)
                VALUES ('results', ?, ?, ?, 10, 'fixture', ?, ?, 'li.wei')
                """, [file, "/x/" + file, SHA256.hex(Data(file.utf8)), instrument, method])
            return db.lastInsertRowID
        }
        let icpms = try batch("a.csv", method: "ICP-MS", instrument: "Agilent 7900")
        let xrf = try batch("b.csv", method: nil, instrument: "Niton XL3t")
        // (sample, batch, analyte, value, unit, qualifier, DL, method): analyte orders that change, a DL that
        // changes under the same qualifier and unit, a method given then left to the batch, a padded unit,
        // the same texts and DL but another batch (its method differs), a NULL value, a row that is not valid.
        let rows: [(String, Int64, String, Double?, String, String, Double?, String?, String)] = [
            ("C1-S", icpms, "La", 45.2, "mg/kg", "=", 0.01, nil, "valid"),
            ("C1-S", icpms, "Ce", 98.7, "mg/kg", "=", 0.01, nil, "valid"),
            ("C1-S", icpms, "Nd", 41.3, "mg/kg", "=", 0.02, nil, "valid"),
            ("C2-S", icpms, "La", 12.4, "mg/kg", "=", 0.01, nil, "valid"),
            ("C2-S", icpms, "Nd", 0.02, "mg/kg", "<", 0.02, nil, "valid"),
            ("C2-S", icpms, "Ce", 15.1, " mg/kg ", "=", 0.01, "ICP-MS/MS", "valid"),
            ("C2-S", xrf, "Ce", 16.0, "mg/kg", "=", 0.01, nil, "valid"),
            ("C2-S", xrf, "La", nil, "mg/kg", "nd", 0.01, nil, "valid"),
            ("C3-S", xrf, "Nd", 40.0, "mg/kg", "=", nil, nil, "valid"),
            ("C3-S", icpms, "Ce", 97.0, "mg/kg", "=", nil, nil, "valid"),
            ("C3-S", xrf, "La", 44.0, "%", "=", nil, nil, "valid"),
            ("C3-S", xrf, "La", 99.0, "mg/kg", "=", nil, nil, "retired"),
        ]
        for r in rows {
            try db.execute("""
                INSERT INTO measurement (sample_id, batch_id, analyte, value, raw_text, unit, qualifier, detection_limit, method, status)
                VALUES ((SELECT id FROM sample WHERE code = ?), ?, ?, ?, 'x', ?, ?, ?, ?, ?)
                """, [r.0, r.1, r.2, r.3, r.4, r.5, r.6, r.7, r.8])
        }
        let data = try ReportData.load(from: store)
        // Expected, written out by hand from the rows above (valid rows, in id order per sample and analyte).
        func id(_ code: String) throws -> Int64 { try store.requireSample(code: code).id }
        XCTAssertEqual(data.measurements.raws(try id("C1-S"), "Nd"),
                       [RawValue(value: 41.3, qualifier: "=", detectionLimit: 0.02, unit: "mg/kg", method: "ICP-MS")])
        XCTAssertEqual(data.measurements.raws(try id("C2-S"), "Nd"),
                       [RawValue(value: 0.02, qualifier: "<", detectionLimit: 0.02, unit: "mg/kg", method: "ICP-MS")])
        XCTAssertEqual(data.measurements.raws(try id("C2-S"), "Ce"),
                       [RawValue(value: 15.1, qualifier: "=", detectionLimit: 0.01, unit: "mg/kg", method: "ICP-MS/MS"),
                        RawValue(value: 16.0, qualifier: "=", detectionLimit: 0.01, unit: "mg/kg", method: "Niton XL3t")])
        XCTAssertEqual(data.measurements.raws(try id("C2-S"), "La"),
                       [RawValue(value: 12.4, qualifier: "=", detectionLimit: 0.01, unit: "mg/kg", method: "ICP-MS"),
                        RawValue(value: nil, qualifier: "nd", detectionLimit: 0.01, unit: "mg/kg", method: "Niton XL3t")])
        XCTAssertEqual(data.measurements.raws(try id("C3-S"), "La"),
                       [RawValue(value: 44.0, qualifier: "=", detectionLimit: nil, unit: "%", method: "Niton XL3t")])
        XCTAssertEqual(data.measurements.raws(try id("C3-S"), "Ce"),
                       [RawValue(value: 97.0, qualifier: "=", detectionLimit: nil, unit: "mg/kg", method: "ICP-MS")])
        XCTAssertEqual(data.measurements.raws(try id("C3-S"), "Nd"),
                       [RawValue(value: 40.0, qualifier: "=", detectionLimit: nil, unit: "mg/kg", method: "Niton XL3t")])
        // Every valid value, whatever its analyte order, against a plain read of the same rows.
        var plain = 0
        for row in try db.rows("SELECT sample_id, analyte FROM measurement WHERE status = 'valid'") { _ = row; plain += 1 }
        let loaded = try ["C1-S", "C2-S", "C3-S"].map(id).reduce(0) { n, s in
            n + ["La", "Ce", "Nd"].reduce(0) { $0 + data.measurements.raws(s, $1).count }
        }
        XCTAssertEqual(loaded, plain)
    }
}
