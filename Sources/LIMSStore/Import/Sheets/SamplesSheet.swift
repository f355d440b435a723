/// `samples`: the sample register. Field samples name their plot; sub-samples name their
/// parent (which may be registered by an earlier row of the same file: rows are written in
/// order) and inherit its plot. `preparation` lists the steps in order, separated by `;`,
/// and becomes `preparation_step` rows 1…n. Key: `code`.
public struct SamplesSheet: SheetImporter {
    public init() {}
    public let kind = "samples"
    public let summary = "Sample register: plot or parent (lineage), type, depths, dates, mass, preparation steps."
    public let columns: [SheetColumn] = [
        SheetColumn("code", required: true, help: "unique sample code", example: "M1-S"),
        SheetColumn("plot", help: "plot code (field samples); empty for a sub-sample, which takes its parent's plot", example: "M1"),
        SheetColumn("parent", help: "parent sample code (sub-samples, blocks cut from a profile …), registered before or in an earlier row", example: ""),
        SheetColumn("type", help: "bulk, block, pit_layer, subsample, size_fraction, extract, leachate, solution, other (empty = bulk)", example: "bulk"),
        SheetColumn("depth_top_cm", help: "top of the depth interval in cm (≥ 0)", example: "0"),
        SheetColumn("depth_bottom_cm", help: "bottom of the depth interval in cm (> top)", example: "10"),
        SheetColumn("collected_on", help: "collection date, YYYY-MM-DD", example: "2018-07-10"),
        SheetColumn("mass_g", help: "mass in g (≥ 0)", example: "850"),
        SheetColumn("preparation", help: "preparation steps in order, separated by ;", example: "air-dried; sieved <2 mm; ground <150 um"),
        SheetColumn("description", help: "colour, structure, roots, stones …", example: "composite of 5 cores"),
    ]
    public var ownedTables: [String] { ["sample"] }

    public func importRow(_ row: SheetRow, context: SheetImportContext) throws {
        let db = context.store.db
        // A code equal, ignoring case, to a registered one is that sample (written as registered).
        let written = try row.requiredText("code")
        let code = try context.store.registeredCode(.sample, matching: written) ?? written
        let type = row.text("type") ?? "bulk"
        let types = try context.memo("sample_type") {
            try db.rows("SELECT code FROM sample_type ORDER BY code").compactMap { $0.string("code") }
        }
        guard types.contains(type) else {
            let close = Suggestions.closest(to: type, among: types).first.map { " (did you mean \"\($0)\"?)" } ?? ""
            throw row.error("type", value: type, expected: "one of " + types.joined(separator: ", ") + close)
        }
        let plot = try row.text("plot").map { _ in
            try context.reference(row, column: "plot", table: "plot", noun: "plot", hint: "import it first: lims import plots")
        }
        var parent: Row?
        if let parentCode = row.text("parent") {
            guard parentCode.lowercased() != code.lowercased() else { throw row.error("parent", value: parentCode, expected: "another sample than the sample itself") }
            parent = try context.sample(row, column: "parent")
        }
        guard plot != nil || parent != nil else {
            throw row.error("plot", "both plot and parent are empty; expected a plot for a field sample or a parent for a sub-sample")
        }
        if let plot, let parent, let parentPlot = parent.int64("plot_id"), parentPlot != plot.int64("id") {
            context.warn(row, column: "plot", "sample \(code) is on plot \(plot.string("code") ?? "") but its parent \(parent.string("code") ?? "") is on another plot")
        }
        let top = try row.number("depth_top_cm", unit: "cm", minimum: 0)
        let bottom = try row.number("depth_bottom_cm", unit: "cm", minimum: 0)
        if let top, let bottom, bottom <= top {
            throw row.error("depth_bottom_cm", value: row.text("depth_bottom_cm") ?? "",
                            expected: "a depth below the top (depth_top_cm is \(Validate.format(top)) cm)")
        }
        let mass = try row.number("mass_g", unit: "g", minimum: 0)
        let steps = (row.text("preparation") ?? "").split(separator: ";")
            .map { SheetRow.trimmedSpaces(String($0)) }.filter { !$0.isEmpty }

        // A sample may not become its own ancestor when --replace changes a parent.
        let existing = try db.firstRow("SELECT id FROM sample WHERE code = ?", [code])
        if let existingID = existing?.int64("id"), let parent {
            var ancestor: Int64? = parent.int64("id")
            while let id = ancestor {
                if id == existingID {
                    throw row.error("parent", "sample \(parent.string("code") ?? "") descends from \(code); a sample cannot be its own ancestor")
                }
                ancestor = try db.scalar("SELECT parent_id FROM sample WHERE id = ?", [id])?.int64
            }
        }
        let oldSteps = try existing.map { try preparation(of: $0.int64("id")!, db: db) } ?? []
        let stepsDiffer = existing != nil && oldSteps != steps
        let saved = try context.save(table: "sample", label: "sample \(code)", key: [("code", .text(code))], values: [
            ("plot_id", (plot?.int64("id") ?? parent?.int64("plot_id")).sql),
            ("parent_id", (parent?.int64("id")).sql), ("type", .text(type)),
            ("depth_top_cm", top.sql), ("depth_bottom_cm", bottom.sql),
            ("collected_on", try row.date("collected_on").sql), ("mass_g", mass.sql),
            ("description", row.text("description").sql),
        ], sampleID: existing?.int64("id"), row: row, keyColumn: "code",
           extraDifferences: stepsDiffer ? ["preparation: \(oldSteps.joined(separator: "; ")) → \(steps.joined(separator: "; "))"] : [])
        context.noteSample(saved.id)
        if saved.outcome == .inserted || stepsDiffer {
            if stepsDiffer {
                try db.execute("DELETE FROM preparation_step WHERE sample_id = ?", [saved.id])
            }
            for (index, action) in steps.enumerated() {
                try db.execute("""
                    INSERT INTO preparation_step (sample_id, step_no, action, operator) VALUES (?, ?, ?, ?)
                    """, [saved.id, index + 1, action, context.store.operatorName])
                context.note("insert", table: "preparation_step", label: "step \(index + 1) of \(code): \(action)", line: row.line)
            }
            if !steps.isEmpty || stepsDiffer {
                try context.store.audit(action: stepsDiffer ? "update" : "insert", table: "preparation_step",
                                        recordID: nil, sampleID: saved.id, batchID: context.batchID,
                                        summary: "preparation of \(code): \(steps.joined(separator: "; "))",
                                        oldValue: stepsDiffer ? ["steps": oldSteps] : nil, newValue: ["steps": steps],
                                        reason: context.auditReason)
            }
        }
    }

    func preparation(of sampleID: Int64, db: Database) throws -> [String] {
        try db.rows("SELECT action FROM preparation_step WHERE sample_id = ? ORDER BY step_no", [sampleID])
            .compactMap { $0.string("action") }
    }
}
