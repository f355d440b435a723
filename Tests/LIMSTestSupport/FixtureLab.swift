import Foundation
import LIMSStore

/// A small but complete lab for query, export and correction tests (and anyone else's):
/// the small lab of `seedSmallLab` plus blocks, a ground sub-sample, CaCl2 extracts, size
/// fractions, a thin section with a map and POIs, four result batches (solid mg/kg totals,
/// mg/L extracts, some `<DL`), QC rows, soil properties and preparation steps.
///
/// Rows are inserted directly (the importers are written elsewhere), each import batch with
/// its own audit row, as an importer would write.
public struct FixtureLab {
    public let store: LabStore
    public let icpmsBatch: Int64
    public let icpoesBatch: Int64
    public let extractBatch: Int64
    public let fractionBatch: Int64
    public let propertyBatch: Int64

    /// Base REY concentrations (mg/kg) of the fixture, La…Lu then Y; a sample's ICP-MS total is
    /// `base × factor` (rounded to 3 decimals), except R3-S Tm and Lu, stored as `<0.05`.
    public static let reyBase: [(String, Double)] = [
        ("La", 60), ("Ce", 110), ("Pr", 14), ("Nd", 50), ("Sm", 9), ("Eu", 1.2), ("Gd", 8), ("Tb", 1.2),
        ("Dy", 7), ("Ho", 1.4), ("Er", 4), ("Tm", 0.6), ("Yb", 4), ("Lu", 0.6), ("Y", 40),
    ]
    /// Samples with ICP-MS totals and their factors (M3-S has none: "no ICP-MS totals yet").
    public static let icpmsFactors: [(String, Double)] = [
        ("C1-S", 1.0), ("C2-S", 1.1), ("C3-S", 1.2), ("M1-S", 0.8), ("M2-S", 0.9),
        ("R1-S", 0.7), ("R2-S", 0.75), ("R3-S", 0.85), ("C1-B", 1.3), ("R1-B", 0.9),
    ]
    /// CaCl2 extracts (mg/L; nil = `<0.001`): sample → (La, Ce, Nd, Y).
    public static let extractValues: [(String, [Double?])] = [
        ("C1-S-E", [0.12, 0.02, 0.09, 0.1]), ("C2-S-E", [0.13, nil, 0.1, 0.11]),
        ("R1-S-E", [0.05, 0.004, 0.04, 0.06]), ("R2-S-E", [0.06, 0.005, nil, 0.07]),
    ]

    public static func value(_ analyte: String, factor: Double) -> Double {
        let base = reyBase.first { $0.0 == analyte }!.1
        return (base * factor * 1000).rounded() / 1000
    }

    @discardableResult
    public static func build(_ store: LabStore) throws -> FixtureLab {
        try TestSupport.seedSmallLab(store)
        let db = store.db
        return try store.write {
            for (prefix, date) in [("C", "2018-07-10"), ("M", "2018-07-11"), ("R", "2018-07-12")] {
                try db.execute("UPDATE sample SET collected_on = ?, mass_g = 850 WHERE code LIKE ? || '%-S'", [date, prefix])
            }
            try store.addSample(Sample(code: "C1-B", plotCode: "C1", type: "block", depthTopCm: 20, depthBottomCm: 30,
                                       collectedOn: "2018-07-10", description: "Kubiena box, yellowish red, few roots"))
            try store.addSample(Sample(code: "R1-B", plotCode: "R1", type: "block", depthTopCm: 30, depthBottomCm: 40,
                                       collectedOn: "2018-07-12"))
            try store.addSample(Sample(code: "C1-S-G", parentCode: "C1-S", type: "subsample", massG: 50,
                                       description: "ground < 150 um"))
            for (step, action, date) in [(1, "air-dried", "2018-07-12"), (2, "sieved <2 mm", "2018-07-15"),
                                         (3, "ground <150 um (aliquot)", "2018-07-16")] {
                try db.execute("""
                    INSERT INTO preparation_step (sample_id, step_no, action, performed_on, operator)
                    VALUES ((SELECT id FROM sample WHERE code = 'C1-S'), ?, ?, ?, 'li.wei')
                    """, [step, action, date])
            }
            // CaCl2 extracts: 10 g soil + 20 g 1 mM CaCl2 (1:2 w/w), 48 h; R2 with a measured volume of 25 mL.
            for (soil, extract) in [("C1-S", "C1-S-E"), ("C2-S", "C2-S-E"), ("R1-S", "R1-S-E"), ("R2-S", "R2-S-E")] {
                try store.addSample(Sample(code: extract, parentCode: soil, type: "extract"))
                try db.execute("""
                    INSERT INTO cacl2_extraction (sample_id, extract_sample_id, soil_mass_g, solution_mass_g,
                        solution_volume_ml, cacl2_mmol_l, ratio, contact_time_h, extracted_on, filter_um)
                    VALUES ((SELECT id FROM sample WHERE code = ?), (SELECT id FROM sample WHERE code = ?),
                            10, 20, ?, 1, '1:2', 48, '2018-08-01', 0.45)
                    """, [soil, extract, extract == "R2-S-E" ? 25.0 : nil])
            }
            // Size fractions of C1-S, two replicates; replicate 1 registered as samples.
            let fractions: [(String, Double?, Double, [Double])] = [
                ("250-2000 um", 250, 2000, [58.1, 28.6]), ("50-250 um", 50, 250, [23.4, 12.1]),
                ("<50 um", nil, 50, [18.5, 9.4]),
            ]
            for (index, fraction) in fractions.enumerated() {
                let code = "C1-S-F\(index + 1)"
                try store.addSample(Sample(code: code, parentCode: "C1-S", type: "size_fraction"))
                for replicate in 1...2 {
                    try db.execute("""
                        INSERT INTO size_fraction (parent_sample_id, fraction_sample_id, class_label, lower_um, upper_um,
                                                   replicate, mass_g, method)
                        VALUES ((SELECT id FROM sample WHERE code = 'C1-S'),
                                CASE WHEN ? = 1 THEN (SELECT id FROM sample WHERE code = ?) END, ?, ?, ?, ?, ?, 'wet sieving')
                        """, [replicate, code, fraction.0, fraction.1, fraction.2, replicate, fraction.3[replicate - 1]])
                }
            }
            // Thin section of the C1 block, one micro-XRF map, three POIs.
            try db.execute("""
                INSERT INTO thin_section (code, sample_id, thickness_um, width_mm, length_mm, prepared_on)
                VALUES ('TS-C1B', (SELECT id FROM sample WHERE code = 'C1-B'), 30, 50, 80, '2019-03-01')
                """)
            try db.execute("""
                INSERT INTO xrf_map (thin_section_id, label, facility, beamline, energy_ev, beam_x_um, beam_y_um,
                                     pixel_um, dwell_ms, width_px, height_px, acquired_on, file_name)
                VALUES ((SELECT id FROM thin_section WHERE code = 'TS-C1B'), 'map1', 'SSRF', 'BL15U1', 7200, 3, 3,
                        10, 100, 400, 300, '2019-05-20', 'ts-c1b_map1.h5')
                """)
            for (label, x, y, phase) in [("P1", 120.0, 340.0, "fine-grained Fe-rich matrix"),
                                         ("P2", 480.0, 95.0, "Ce particle"), ("P3", 800.0, 610.0, "organic debris/root")] {
                try db.execute("""
                    INSERT INTO poi (xrf_map_id, label, x_um, y_um, phase)
                    VALUES ((SELECT id FROM xrf_map WHERE label = 'map1'), ?, ?, ?, ?)
                    """, [label, x, y, phase])
            }
            try db.execute("INSERT INTO xanes_result (poi_id, edge, oxidation_state) VALUES ((SELECT id FROM poi WHERE label = 'P1'), 'Ce L3', 'Ce(III)')")
            try db.execute("INSERT INTO xanes_result (poi_id, edge, oxidation_state, ce4_fraction) VALUES ((SELECT id FROM poi WHERE label = 'P2'), 'Ce L3', 'Ce(IV)', 0.85)")
            try db.execute("INSERT INTO xanes_result (poi_id, edge) VALUES ((SELECT id FROM poi WHERE label = 'P1'), 'Fe K')")
            try db.execute("""
                INSERT INTO lcf_fit (poi_id, edge, r_factor, range_low_ev, range_high_ev)
                VALUES ((SELECT id FROM poi WHERE label = 'P1'), 'Fe K', 0.012, 7100, 7300)
                """)
            for (phase, fraction) in [("goethite", 0.62), ("ferrihydrite", 0.38)] {
                try db.execute("INSERT INTO lcf_component (lcf_fit_id, phase, fraction) VALUES ((SELECT id FROM lcf_fit), ?, ?)",
                               [phase, fraction])
            }

            // Batch 1: ICP-MS totals after Li borate fusion (mg/kg), with QC rows.
            let icpms = try batch(store, file: "icpms_totals_2018-09.csv", instrument: "Agilent 7900 ICP-MS",
                                  method: "ICP-MS (Li borate fusion)", matrix: "solid", at: "2018-09-15T10:00:00Z")
            for (sample, factor) in icpmsFactors {
                for (analyte, _) in reyBase {
                    if sample == "R3-S", analyte == "Tm" || analyte == "Lu" {
                        try measurement(db, sample: sample, batch: icpms, analyte: analyte, value: nil, raw: "<0.05",
                                        unit: "mg/kg", qualifier: "<", dl: 0.05, method: "ICP-MS", matrix: "solid",
                                        at: "2018-09-14")
                    } else {
                        let value = Self.value(analyte, factor: factor)
                        try measurement(db, sample: sample, batch: icpms, analyte: analyte, value: value,
                                        raw: Validate.format(value), unit: "mg/kg", qualifier: "=", dl: 0.01,
                                        method: "ICP-MS", matrix: "solid", at: "2018-09-14")
                    }
                }
            }
            try db.execute("INSERT INTO qc_sample (batch_id, label, qc_type, position) VALUES (?, 'Cal Blank', 'blank', 1)", [icpms])
            let blank = db.lastInsertRowID
            for (analyte, value) in [("La", 0.002), ("Ce", 0.03)] {
                try db.execute("""
                    INSERT INTO qc_measurement (qc_sample_id, analyte, value, raw_text, unit, detection_limit)
                    VALUES (?, ?, ?, ?, 'mg/kg', 0.01)
                    """, [blank, analyte, value, Validate.format(value)])
            }
            try db.execute("INSERT INTO qc_sample (batch_id, label, qc_type, crm_name, position) VALUES (?, 'OREAS 45d', 'crm', 'OREAS 45d', 2)", [icpms])
            let crm = db.lastInsertRowID
            for (analyte, measured, certified) in [("La", 11.9, 12.1), ("Ce", 25.4, 24.8)] {
                try db.execute("INSERT INTO qc_measurement (qc_sample_id, analyte, value, raw_text, unit) VALUES (?, ?, ?, ?, 'mg/kg')",
                               [crm, analyte, measured, Validate.format(measured)])
                try db.execute("INSERT INTO crm_certified_value (crm_name, analyte, value, unit) VALUES ('OREAS 45d', ?, ?, 'mg/kg')",
                               [analyte, certified])
            }

            // Batch 2: ICP-OES majors (mg/kg), including M3-S.
            let icpoes = try batch(store, file: "icpoes_majors_2018-09.csv", instrument: "Agilent 5110 ICP-OES",
                                   method: "ICP-OES", matrix: "solid", at: "2018-09-21T09:00:00Z")
            for (index, sample) in ["C1-S", "C2-S", "C3-S", "M1-S", "M2-S", "M3-S", "R1-S", "R2-S", "R3-S"].enumerated() {
                for (analyte, value) in [("Fe", 21000.0 + Double(index) * 500), ("Al", 64000.0 + Double(index) * 1000)] {
                    try measurement(db, sample: sample, batch: icpoes, analyte: analyte, value: value, raw: Validate.format(value),
                                    unit: "mg/kg", qualifier: "=", dl: 5, method: "ICP-OES", matrix: "solid", at: "2018-09-20")
                }
            }

            // Batch 3: ICP-MS of the CaCl2 extracts (mg/L), solution DL 0.001.
            let extracts = try batch(store, file: "icpms_cacl2_2018-08.csv", instrument: "Agilent 7900 ICP-MS",
                                     method: "ICP-MS", matrix: "solution", at: "2018-08-06T08:00:00Z")
            for (sample, values) in extractValues {
                for (analyte, value) in zip(["La", "Ce", "Nd", "Y"], values) {
                    try measurement(db, sample: sample, batch: extracts, analyte: analyte, value: value,
                                    raw: value.map(Validate.format) ?? "<0.001", unit: "mg/L",
                                    qualifier: value == nil ? "<" : "=", dl: 0.001, method: "ICP-MS",
                                    matrix: "solution", at: "2018-08-05")
                }
            }

            // Batch 4: La and Ce of the size fractions (mg/kg).
            let fractionBatch = try batch(store, file: "icpms_fractions_2019-01.csv", instrument: "Agilent 7900 ICP-MS",
                                          method: "ICP-MS", matrix: "solid", at: "2019-01-11T08:00:00Z")
            for (sample, la, ce) in [("C1-S-F1", 40.0, 70.0), ("C1-S-F2", 70.0, 130.0), ("C1-S-F3", 120.0, 230.0)] {
                for (analyte, value) in [("La", la), ("Ce", ce)] {
                    try measurement(db, sample: sample, batch: fractionBatch, analyte: analyte, value: value,
                                    raw: Validate.format(value), unit: "mg/kg", qualifier: "=", dl: 0.01, method: "ICP-MS",
                                    matrix: "solid", at: "2019-01-10")
                }
            }

            // Batch 5: soil properties of the bulk samples; C3-S TOC below 0.05 %.
            let properties = try batch(store, file: "properties_2018.csv", kind: "properties", instrument: nil,
                                       method: nil, matrix: nil, at: "2018-10-02T08:00:00Z")
            for (index, sample) in ["C1-S", "C2-S", "C3-S", "M1-S", "M2-S", "M3-S", "R1-S", "R2-S", "R3-S"].enumerated() {
                let ph = 4.2 + Double(index) * 0.1
                let rows: [(String, Double?, String, String, String)] = [
                    ("pH_H2O", (ph * 10).rounded() / 10, "pH", "=", "water 1:2.5"),
                    ("TOC", sample == "C3-S" ? nil : 0.1 + Double(index) * 0.05, "%", sample == "C3-S" ? "<" : "=", "dry combustion"),
                    ("CEC", 2.0 + Double(index) * 0.25, "cmol+/kg", "=", "cobalt hexamine"),
                ]
                for (property, value, unit, qualifier, method) in rows {
                    let rounded = value.map { ($0 * 1000).rounded() / 1000 }
                    try db.execute("""
                        INSERT INTO soil_property (sample_id, batch_id, property, value, raw_text, unit, qualifier,
                                                   detection_limit, method, measured_on)
                        VALUES ((SELECT id FROM sample WHERE code = ?), ?, ?, ?, ?, ?, ?, ?, ?, '2018-09-30')
                        """, [sample, properties, property, rounded, rounded.map(Validate.format) ?? "<0.05", unit, qualifier,
                              property == "TOC" ? 0.05 : nil, method])
                }
            }
            return FixtureLab(store: store, icpmsBatch: icpms, icpoesBatch: icpoes, extractBatch: extracts,
                              fractionBatch: fractionBatch, propertyBatch: properties)
        }
    }

    /// The id of the current value of `analyte` on `sample`.
    public func resultID(_ sample: String, _ analyte: String) throws -> Int64 {
        try store.db.scalar("""
            SELECT m.id FROM measurement m JOIN sample s ON s.id = m.sample_id
            WHERE s.code = ? AND m.analyte = ? AND m.status = 'valid' ORDER BY m.id DESC LIMIT 1
            """, [sample, analyte])!.int64!
    }

    private static func batch(_ store: LabStore, file: String, kind: String = "results", instrument: String?,
                              method: String?, matrix: String?, at: String) throws -> Int64 {
        // A stand-in content hash: unique per file name, 64 hex digits like a real SHA-256.
        let hash = SHA256.hex(Data(file.utf8))
        try store.db.execute("""
            INSERT INTO import_batch (kind, file_name, file_path, sha256, file_size, format, instrument, method, matrix,
                                      operator, imported_at)
            VALUES (?, ?, ?, ?, 1000, 'fixture', ?, ?, ?, 'li.wei', ?)
            """, [kind, file, "/lab/exports/" + file, hash, instrument, method, matrix, at])
        let id = store.db.lastInsertRowID
        try store.audit(action: "import", table: "import_batch", recordID: id, batchID: id,
                        summary: "imported \(file) (fixture)", newValue: ["file": file])
        return id
    }

    private static func measurement(_ db: Database, sample: String, batch: Int64, analyte: String, value: Double?,
                                    raw: String, unit: String, qualifier: String, dl: Double?, method: String,
                                    matrix: String, at: String) throws {
        try db.execute("""
            INSERT INTO measurement (sample_id, batch_id, analyte, value, raw_text, unit, original_value, original_unit,
                                     qualifier, detection_limit, method, matrix, measured_at)
            VALUES ((SELECT id FROM sample WHERE code = ?), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [sample, batch, analyte, value, raw, unit, value, unit, qualifier, dl, method, matrix, at])
    }
}
