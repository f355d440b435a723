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
    /// Every check of a row comes before its first write (see `importRow`).
    public var checksRowsBeforeWriting: Bool { true }

    /// Checks the whole row first (code, type, plot, parent, depths, mass, date, lineage, a second
    /// row of the same code, a changed record without --replace), then writes: a refused row has
    /// written nothing, so the runner needs no savepoint per row.
    public func importRow(_ row: SheetRow, context: SheetImportContext) throws {
        let db = context.store.db
        // A code equal, ignoring case, to a registered one is that sample (written as registered).
        let written = try row.requiredText("code")
        let registered: Row?
        switch try SampleCodeMatch.find(written, db: db) {
        case .none: registered = nil
        case .one(let found): registered = found
        case .ambiguous(let codes):
            // The refusal LabStore.registeredCode gives, located at this row.
            throw ImportDiagnostic(file: row.layout.fileName, line: row.line, message: String(describing: StoreError.invalidValue(
                field: "sample code", value: written,
                expected: "one of the registered codes \(codes.joined(separator: " and ")) written exactly (they differ only in case)")))
        }
        let code = registered?.string("code") ?? written
        // The row's own cells first, so that every bad cell is reported with the lookups' errors.
        let type = row.text("type") ?? "bulk"
        let types = try context.memo("sample_type") {
            try db.rows("SELECT code FROM sample_type ORDER BY code").compactMap { $0.string("code") }
        }
        if !types.contains(type) {
            let close = Suggestions.closest(to: type, among: types).first.map { " (did you mean \"\($0)\"?)" } ?? ""
            try row.refuse(row.error("type", value: type, expected: "one of " + types.joined(separator: ", ") + close))
        }
        let top = try row.number("depth_top_cm", unit: "cm", minimum: 0)
        let bottom = try row.number("depth_bottom_cm", unit: "cm", minimum: 0)
        if let top, let bottom, bottom <= top {
            try row.refuse(row.error("depth_bottom_cm", value: row.text("depth_bottom_cm") ?? "",
                                     expected: "a depth below the top (depth_top_cm is \(Validate.format(top)) cm)"))
        }
        let mass = try row.number("mass_g", unit: "g", minimum: 0)
        let collectedOn = try row.date("collected_on")
        // An unknown plot or parent is noted like a bad cell, so that both are reported.
        var plot: Row?
        var parent: Row?
        var lookupFailed = false
        do {
            plot = try row.text("plot").map { text in
                // Plots cannot change during a samples import: each spelling is looked up once.
                try context.memo("plot " + text) {
                    try context.reference(row, column: "plot", table: "plot", noun: "plot", hint: "import it first: lims import plots")
                }
            }
        } catch let diagnostic as ImportDiagnostic {
            try row.refuse(diagnostic)
            lookupFailed = true
        }
        if let parentCode = row.text("parent") {
            guard parentCode.lowercased() != code.lowercased() else { throw row.error("parent", value: parentCode, expected: "another sample than the sample itself") }
            do {
                parent = try self.parent(parentCode, row: row, context: context)
            } catch let diagnostic as ImportDiagnostic {
                try row.refuse(diagnostic)
                lookupFailed = true
            }
        }
        guard plot != nil || parent != nil || lookupFailed else {
            throw row.error("plot", "both plot and parent are empty; expected a plot for a field sample or a parent for a sub-sample")
        }
        if let plot, let parent, let parentPlot = parent.int64("plot_id"), parentPlot != plot.int64("id") {
            context.warn(row, column: "plot", "sample \(code) is on plot \(plot.string("code") ?? "") but its parent \(parent.string("code") ?? "") is on another plot")
        }
        // A lab writes the same few preparations on every row: each is split once.
        let steps = row.text("preparation").map { text in context.memo("steps " + text) { Self.steps(text) } } ?? []
        let values: [(String, SQLValue)] = [
            ("plot_id", (plot?.int64("id") ?? parent?.int64("plot_id")).sql),
            ("parent_id", (parent?.int64("id")).sql), ("type", .text(type)),
            ("depth_top_cm", top.sql), ("depth_bottom_cm", bottom.sql),
            ("collected_on", collectedOn.sql), ("mass_g", mass.sql),
            ("description", row.text("description").sql),
        ]
        // The checks are done: a row with a bad cell is refused here, before its first write.
        try row.throwCellProblems()
        guard let existingID = registered?.int64("id") else {
            try register(code: code, values: values, steps: steps, row: row, context: context)
            return
        }
        // A sample may not become its own ancestor when --replace changes a parent.
        if let parent {
            var ancestor: Int64? = parent.int64("id")
            while let id = ancestor {
                if id == existingID {
                    throw row.error("parent", "sample \(parent.string("code") ?? "") descends from \(code); a sample cannot be its own ancestor")
                }
                ancestor = try db.scalar("SELECT parent_id FROM sample WHERE id = ?", [id])?.int64
            }
        }
        let oldSteps = try preparation(of: existingID, db: db)
        let stepsDiffer = oldSteps != steps
        // Throws (before writing) for a second row of this code or a changed sample without --replace.
        let saved = try context.save(table: "sample", label: "sample \(code)", key: [("code", .text(code))], values: values,
                                     sampleID: existingID, row: row, keyColumn: "code",
                                     extraDifferences: stepsDiffer ? ["preparation: \(oldSteps.joined(separator: "; ")) → \(steps.joined(separator: "; "))"] : [])
        context.noteSample(saved.id)
        guard stepsDiffer else { return }
        try db.execute("DELETE FROM preparation_step WHERE sample_id = ?", [saved.id])
        try insertSteps(steps, sampleID: saved.id, code: code, row: row, context: context)
        try context.store.audit(action: "update", table: "preparation_step", recordID: nil, sampleID: saved.id,
                                batchID: context.batchID, summary: "preparation of \(code): \(steps.joined(separator: "; "))",
                                oldValue: ["steps": oldSteps], newValue: ["steps": steps], reason: context.auditReason)
    }

    /// A new sample and its preparation steps, with ONE audit row: the sample's columns and its
    /// steps (`"preparation": [...]` in new_value, and in the summary). Before, the steps had an
    /// audit row of their own; one row per registered sample halves the audit log of a register
    /// of 10⁵ samples and keeps the same facts (who, when, which file and line, every value).
    private func register(code: String, values: [(String, SQLValue)], steps: [String], row: SheetRow,
                          context: SheetImportContext) throws {
        let columns = [("code", SQLValue.text(code))] + values
        let summaryTail = steps.isEmpty ? "" : "; preparation: " + steps.joined(separator: "; ")
        let id = try context.insert(table: "sample", label: "sample \(code)", columns: columns, sampleID: nil, row: row,
                                    auditLists: steps.isEmpty ? [] : [("preparation", steps)], summaryTail: summaryTail) {
            try insertSteps(steps, sampleID: $0, code: code, row: row, context: context)
        }
        context.noteSample(id)
    }

    /// Rows 1…n of `preparation_step`, one single-row INSERT each (an INSERT of several rows makes
    /// SQLite keep a statement journal, see `Database.insertRow`).
    private func insertSteps(_ steps: [String], sampleID: Int64, code: String, row: SheetRow,
                             context: SheetImportContext) throws {
        let insert = try context.store.db.cachedStatement("""
            INSERT INTO preparation_step (sample_id, step_no, action, operator) VALUES (?, ?, ?, ?)
            """)
        for (index, action) in steps.enumerated() {
            try insert.execute(values: [.integer(sampleID), .integer(Int64(index + 1)), .text(action), .text(context.store.operatorName)])
            context.note("insert", table: "preparation_step", label: "step \(index + 1) of \(code): \(action)", line: row.line)
        }
    }

    /// The steps of a `preparation` cell: split on `;`, spaces trimmed, empty ones dropped.
    static func steps(_ cell: String?) -> [String] {
        guard let cell else { return [] }
        return cell.split(separator: ";").map { SheetRow.trimmedSpaces(String($0)) }.filter { !$0.isEmpty }
    }

    /// The parent sample named in the row: one indexed query; an unknown or ambiguous code gets the
    /// located error (with suggestions) of `SheetImportContext.sample`.
    private func parent(_ code: String, row: SheetRow, context: SheetImportContext) throws -> Row {
        guard case .one(let found) = try SampleCodeMatch.find(code, db: context.store.db) else {
            return try context.sample(row, column: "parent")
        }
        if let retired = found.string("retired_at") {
            context.warn(row, column: "parent", "sample \(found.string("code") ?? "") was retired on \(retired)")
        }
        context.noteSample(found.int64("id")!)
        return found
    }

    func preparation(of sampleID: Int64, db: Database) throws -> [String] {
        try db.rows("SELECT action FROM preparation_step WHERE sample_id = ? ORDER BY step_no", [sampleID])
            .compactMap { $0.string("action") }
    }
}

/// The registered sample a code names, as `LabStore.registeredCode` finds it (the code written
/// exactly so, else the only one equal to it ignoring case), with ONE indexed query
/// (`sample_code_lower`) that returns every case variant, instead of one query per rule.
enum SampleCodeMatch {
    case none
    case one(Row)
    case ambiguous([String])

    static func find(_ code: String, db: Database) throws -> SampleCodeMatch {
        let variants = try db.cachedStatement("""
            SELECT id, code, plot_id, parent_id, retired_at FROM sample WHERE lower(code) = lower(?) ORDER BY code
            """).rows(values: [.text(code)])
        // Byte equality, as SQL's `code = ?` (Swift's == would also match another Unicode normalization).
        if let exact = variants.first(where: { $0.string("code")?.utf8.elementsEqual(code.utf8) == true }) { return .one(exact) }
        switch variants.count {
        case 0: return .none
        case 1: return .one(variants[0])
        default: return .ambiguous(variants.prefix(2).compactMap { $0.string("code") })
        }
    }
}
