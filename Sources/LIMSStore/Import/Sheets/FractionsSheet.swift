/// `fractions`: masses of size fractions from wet sieving, one row per class and replicate of a
/// parent sample. `fraction_sample` (optional) registers the fraction as a child sample of type
/// size_fraction, so its results can be imported. Key: parent_sample + class + replicate.
///
/// mass_percent is computed here, after all rows are in: for every parent and replicate the file
/// touched, mass_percent = m_i / Σ m (all classes of that parent and replicate in the database) × 100,
/// so it is stored and also right when classes arrive in several files.
public struct FractionsSheet: SheetImporter {
    public init() {}
    public let kind = "fractions"
    public let summary = "Size-fraction masses (wet sieving) per class and replicate; mass % computed per replicate."
    public let columns: [SheetColumn] = [
        SheetColumn("parent_sample", required: true, help: "the sieved sample's code", example: "M1-S"),
        SheetColumn("class", required: true, help: "class label, e.g. 250-2000 um, 50-250 um, <50 um", example: "250-2000 um"),
        SheetColumn("lower_um", help: "lower sieve opening in um (≥ 0; empty or 0 for the finest class)", example: "250"),
        SheetColumn("upper_um", help: "upper sieve opening in um (> lower)", example: "2000"),
        SheetColumn("replicate", help: "replicate number (whole number ≥ 1; empty = 1)", example: "1"),
        SheetColumn("mass_g", required: true, help: "dry mass of the fraction in g (≥ 0)", example: "58.3"),
        SheetColumn("fraction_sample", help: "code to register the fraction as a sample (type size_fraction) for its results", example: "M1-S-F1"),
        SheetColumn("method", help: "e.g. wet sieving", example: "wet sieving"),
    ]
    public var ownedTables: [String] { ["size_fraction", "sample"] }

    public func importRow(_ row: SheetRow, context: SheetImportContext) throws {
        let parent = try context.sample(row, column: "parent_sample")
        let parentID = parent.int64("id")!
        let parentCode = parent.string("code") ?? ""
        let label = try row.requiredText("class")
        let lower = try row.number("lower_um", unit: "um", minimum: 0)
        let upper = try row.number("upper_um", unit: "um", minimum: 0, exclusiveMinimum: true)
        if let lower, let upper, upper <= lower {
            throw row.error("upper_um", value: row.text("upper_um") ?? "", expected: "an opening above lower_um (\(Validate.format(lower)) um)")
        }
        let replicate = try row.integer("replicate", minimum: 1) ?? 1
        let mass = try row.requiredNumber("mass_g", unit: "g", minimum: 0)
        var fractionSampleID: Int64?
        if let code = row.text("fraction_sample") {
            guard code != parentCode else {
                throw row.error("fraction_sample", value: code, expected: "a new code, not the parent sample's")
            }
            let saved = try context.save(table: "sample", label: "sample \(code)", key: [("code", .text(code))], values: [
                ("plot_id", parent["plot_id"]), ("parent_id", .integer(parentID)), ("type", .text("size_fraction")),
            ], sampleID: nil, row: row, keyColumn: "fraction_sample")
            fractionSampleID = saved.id
            context.noteSample(saved.id)
        }
        try context.save(table: "size_fraction", label: "size fraction \(label) (replicate \(replicate)) of \(parentCode)",
                         key: [("parent_sample_id", .integer(parentID)), ("class_label", .text(label)),
                               ("replicate", .integer(Int64(replicate)))],
                         values: [("lower_um", lower.sql), ("upper_um", upper.sql), ("mass_g", .real(mass)),
                                  ("fraction_sample_id", fractionSampleID.sql), ("method", row.text("method").sql)],
                         sampleID: parentID, row: row, keyColumn: "class")
    }

    public func finish(context: SheetImportContext) throws {
        let db = context.store.db
        let ids = context.touched["size_fraction"].map { Array($0.keys) } ?? []
        let groups = try db.rows("""
            SELECT DISTINCT f.parent_sample_id, f.replicate, s.code, s.mass_g
            FROM size_fraction f JOIN sample s ON s.id = f.parent_sample_id
            WHERE f.id IN (\(db.dialect.jsonArrayElements("?", integers: true)))
            ORDER BY s.code, f.replicate
            """, ["[" + ids.map(String.init).joined(separator: ",") + "]"])
        for group in groups {
            let parentID = group.int64("parent_sample_id")!, replicate = group.int64("replicate")!
            let total = try db.scalar("SELECT sum(mass_g) FROM size_fraction WHERE parent_sample_id = ? AND replicate = ?",
                                      [parentID, replicate])?.double ?? 0
            // Σ m = 0 leaves mass % empty rather than dividing by zero.
            try db.execute("""
                UPDATE size_fraction SET mass_percent = CASE WHEN ?1 > 0 THEN mass_g * 100.0 / ?1 END
                WHERE parent_sample_id = ?2 AND replicate = ?3
                """, [total, parentID, replicate])
            let code = group.string("code") ?? ""
            if total == 0 {
                context.warn(nil, "the fractions of \(code) replicate \(replicate) weigh 0 g in total; mass % left empty")
            }
            if let sampleMass = group.double("mass_g"), total > sampleMass * 1.001 {
                context.warn(nil, "the fractions of \(code) replicate \(replicate) weigh \(Validate.format(total)) g, "
                             + "more than the sample's registered \(Validate.format(sampleMass)) g")
            }
        }
    }

    public func deleteLeftover(table: String, id: Int64, context: SheetImportContext) throws {
        // A fraction whose registered sample carries results is kept, row and sample together.
        if table == "size_fraction",
           let sampleID = try context.store.db.scalar("SELECT fraction_sample_id FROM size_fraction WHERE id = ?", [id])?.int64 {
            try context.store.db.execute("UPDATE size_fraction SET fraction_sample_id = NULL WHERE id = ?", [id])
            try context.checkDeletable(table: "sample", id: sampleID)
        }
        try context.deleteRecord(table: table, id: id)
    }
}
