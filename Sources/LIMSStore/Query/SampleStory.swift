/// Everything the lab knows about one sample, for `lims sample show`: where it comes from,
/// its lineage, preparation, results with batch and file, QC of those batches, and history.
public struct SampleStory {
    public var sample: Sample
    public var siteCode: String?
    public var plotReplicate: Int?
    public var treatment: Treatment?
    /// relation, sample, type, detail
    public var lineage: ResultTable
    public var preparation: ResultTable
    public var results: ResultTable
    public var properties: ResultTable
    public var qc: ResultTable
    public var history: [AuditEntry]
}

extension LabStore {
    public func sampleStory(code: String, allVersions: Bool = false) throws -> SampleStory {
        try db.readTransaction {
            let sample = try requireSample(code: code)
            let plot = try sample.plotCode.map { try requirePlot(code: $0) }
            let treatment = try plot.map { try requireTreatment(code: $0.treatmentCode) }
            return SampleStory(
                sample: sample, siteCode: treatment?.siteCode, plotReplicate: plot?.replicate, treatment: treatment,
                lineage: try lineage(of: sample), preparation: try preparation(of: sample),
                results: try storyResults(of: sample, allVersions: allVersions),
                properties: try storyProperties(of: sample, allVersions: allVersions),
                qc: try batchQC(of: sample), history: try auditEntries(sampleID: sample.id))
        }
    }

    private func lineage(of sample: Sample) throws -> ResultTable {
        var table = ResultTable(columns: ["relation", "sample", "type", "detail"])
        // Ancestors, nearest first.
        let ancestors = try db.rows("""
            WITH RECURSIVE up(id, level) AS (
                SELECT parent_id, 1 FROM sample WHERE id = ? AND parent_id IS NOT NULL
                UNION ALL SELECT s.parent_id, up.level + 1 FROM sample s JOIN up ON s.id = up.id WHERE s.parent_id IS NOT NULL)
            SELECT s.code, s.type, up.level FROM up JOIN sample s ON s.id = up.id ORDER BY up.level
            """, [sample.id])
        for row in ancestors {
            let level = row.int("level") ?? 1
            table.rows.append([.text(level == 1 ? "parent" : "ancestor (\(level) up)"), .optionalText(row.string("code")),
                               .optionalText(row.string("type")), .null])
        }
        if let row = try db.firstRow("""
            SELECT s.code, e.soil_mass_g, e.solution_mass_g, e.solution_volume_ml, e.cacl2_mmol_l, e.contact_time_h
            FROM cacl2_extraction e JOIN sample s ON s.id = e.sample_id WHERE e.extract_sample_id = ?
            """, [sample.id]) {
            table.rows.append([.text("extract of"), .optionalText(row.string("code")), .text("CaCl2 extraction"),
                               .text(Self.extractionDetail(row))])
        }
        if let row = try db.firstRow("""
            SELECT s.code, f.class_label, f.replicate, f.mass_g FROM size_fraction f JOIN sample s ON s.id = f.parent_sample_id
            WHERE f.fraction_sample_id = ?
            """, [sample.id]) {
            table.rows.append([.text("fraction of"), .optionalText(row.string("code")), .text("size fraction"),
                               .text("\(row.string("class_label") ?? "") replicate \(row.int("replicate") ?? 1), "
                                     + "\(Validate.format(row.double("mass_g") ?? 0)) g")])
        }
        // Size fractions and CaCl2 extracts of this sample, with their details. Those registered as
        // child samples are shown once, in their place in the lineage below, not twice.
        var detailed: [String: (relation: String, type: String, detail: String)] = [:]
        var unplaced: [[Cell]] = []
        for row in try db.rows("""
            SELECT f.class_label, f.replicate, f.mass_g, fs.code FROM size_fraction f
            LEFT JOIN sample fs ON fs.id = f.fraction_sample_id
            WHERE f.parent_sample_id = ? ORDER BY f.replicate, f.lower_um DESC, f.id
            """, [sample.id]) {
            let entry = (relation: "size fraction", type: row.string("class_label") ?? "",
                         detail: "replicate \(row.int("replicate") ?? 1), \(Validate.format(row.double("mass_g") ?? 0)) g")
            if let code = row.string("code") { detailed[code] = entry }
            else { unplaced.append([.text(entry.relation), .null, .text(entry.type), .text(entry.detail)]) }
        }
        for row in try db.rows("""
            SELECT x.code, e.soil_mass_g, e.solution_mass_g, e.solution_volume_ml, e.cacl2_mmol_l, e.contact_time_h
            FROM cacl2_extraction e JOIN sample x ON x.id = e.extract_sample_id WHERE e.sample_id = ? ORDER BY x.code
            """, [sample.id]) {
            if let code = row.string("code") {
                detailed[code] = (relation: "CaCl2 extract", type: "extract", detail: Self.extractionDetail(row))
            }
        }
        // Descendants, depth-first.
        let descendants = try db.rows("""
            WITH RECURSIVE down(id, level, path) AS (
                SELECT id, 1, \(db.dialect.zeroPadded("id", width: 12)) FROM sample WHERE parent_id = ?
                UNION ALL SELECT s.id, down.level + 1, down.path || '/' || \(db.dialect.zeroPadded("s.id", width: 12))
                FROM sample s JOIN down ON s.parent_id = down.id)
            SELECT s.code, s.type, s.retired_at, down.level FROM down JOIN sample s ON s.id = down.id ORDER BY down.path
            """, [sample.id])
        for row in descendants {
            let level = row.int("level") ?? 1
            let code = row.string("code") ?? ""
            let retired = row.string("retired_at").map { "retired \($0)" }
            if level == 1, let entry = detailed.removeValue(forKey: code) {
                table.rows.append([.text(entry.relation), .text(code), .text(entry.type),
                                   .text([entry.detail, retired].compactMap { $0 }.joined(separator: "; "))])
                continue
            }
            table.rows.append([.text(level == 1 ? "child" : String(repeating: "  ", count: level - 1) + "grandchild"),
                               .text(code), .optionalText(row.string("type")), retired.map(Cell.text) ?? .null])
        }
        // Fractions and extracts recorded on this sample whose own sample is not its child.
        for (code, entry) in detailed.sorted(by: { $0.key < $1.key }) {
            table.rows.append([.text(entry.relation), .text(code), .text(entry.type), .text(entry.detail)])
        }
        table.rows += unplaced
        for row in try db.rows("""
            SELECT ts.code, ts.thickness_um,
                   (SELECT count(*) FROM xrf_map xm WHERE xm.thin_section_id = ts.id) AS maps,
                   (SELECT count(*) FROM poi JOIN xrf_map xm ON xm.id = poi.xrf_map_id WHERE xm.thin_section_id = ts.id) AS pois
            FROM thin_section ts WHERE ts.sample_id = ? ORDER BY ts.code
            """, [sample.id]) {
            var detail = "\(row.int("maps") ?? 0) map(s), \(row.int("pois") ?? 0) POI(s)"
            if let thickness = row.double("thickness_um") { detail = "\(Validate.format(thickness)) um, " + detail }
            table.rows.append([.text("thin section"), .optionalText(row.string("code")), .text("thin section"), .text(detail)])
        }
        return table
    }

    static func extractionDetail(_ row: Row) -> String {
        var parts: [String] = []
        if let soil = row.double("soil_mass_g") { parts.append("\(Validate.format(soil)) g soil") }
        if let volume = row.double("solution_volume_ml") {
            parts.append("\(Validate.format(volume)) mL solution")
        } else if let mass = row.double("solution_mass_g") {
            parts.append("\(Validate.format(mass)) g solution")
        }
        if let conc = row.double("cacl2_mmol_l") { parts.append("\(Validate.format(conc)) mM CaCl2") }
        if let time = row.double("contact_time_h") { parts.append("\(Validate.format(time)) h") }
        return parts.joined(separator: ", ")
    }

    private func preparation(of sample: Sample) throws -> ResultTable {
        var table = ResultTable(columns: ["step", "action", "performed_on", "operator", "notes"])
        table.rows = try db.rows("SELECT * FROM preparation_step WHERE sample_id = ? ORDER BY step_no", [sample.id]).map {
            [.integer($0.int64("step_no") ?? 0), .optionalText($0.string("action")), .optionalText($0.string("performed_on")),
             .optionalText($0.string("operator")), .optionalText($0.string("notes"))]
        }
        return table
    }

    private func storyResults(of sample: Sample, allVersions: Bool) throws -> ResultTable {
        var table = ResultTable(columns: ["id", "analyte", "value", "unit", "detection_limit", "method", "batch", "file", "status"])
        let rows = try db.rows("""
            SELECT m.*, b.file_name FROM measurement m LEFT JOIN import_batch b ON b.id = m.batch_id
            WHERE m.sample_id = ? AND (? OR m.status = 'valid')
            """, [sample.id, allVersions])
        table.rows = rows.sorted {
            let a = Analytes.sortKey($0.string("analyte") ?? ""), b = Analytes.sortKey($1.string("analyte") ?? "")
            return a != b ? a < b : ($0.int64("id") ?? 0) < ($1.int64("id") ?? 0)
        }.map { row in
            var status = row.string("status") ?? ""
            if let next = row.int64("superseded_by") { status += " by \(next)" }
            return [.integer(row.int64("id") ?? 0), .optionalText(row.string("analyte")), ReportedValue.cell(row),
                    .optionalText(row.string("unit")), .number(row.double("detection_limit")),
                    .optionalText(row.string("method")), row.int64("batch_id").map(Cell.integer) ?? .null,
                    .optionalText(row.string("file_name")), .text(status)]
        }
        return table
    }

    private func storyProperties(of sample: Sample, allVersions: Bool) throws -> ResultTable {
        var table = ResultTable(columns: ["id", "property", "value", "unit", "method", "measured_on", "batch", "status"])
        table.rows = try db.rows("""
            SELECT * FROM soil_property WHERE sample_id = ? AND (? OR status = 'valid') ORDER BY property, id
            """, [sample.id, allVersions]).map { row in
            [.integer(row.int64("id") ?? 0), .optionalText(row.string("property")), ReportedValue.cell(row),
             .optionalText(row.string("unit")), .optionalText(row.string("method")), .optionalText(row.string("measured_on")),
             row.int64("batch_id").map(Cell.integer) ?? .null, .optionalText(row.string("status"))]
        }
        return table
    }

    /// QC rows of the batches that hold this sample's values, judged on the sample's analytes:
    /// blanks against their detection limit, CRM recovery = measured / certified × 100.
    private func batchQC(of sample: Sample) throws -> ResultTable {
        var table = ResultTable(columns: ["batch", "file", "qc", "label", "detail"])
        let batches = try db.rows("""
            SELECT DISTINCT b.id, b.file_name FROM measurement m JOIN import_batch b ON b.id = m.batch_id
            WHERE m.sample_id = ? ORDER BY b.id
            """, [sample.id])
        for batch in batches {
            let batchID = batch.int64("id") ?? 0
            let qcSamples = try db.rows("SELECT * FROM qc_sample WHERE batch_id = ? ORDER BY COALESCE(position, id), id", [batchID])
            if qcSamples.isEmpty {
                table.rows.append([.integer(batchID), .optionalText(batch.string("file_name")), .text("none"), .null,
                                   .text("no QC rows recorded for this batch")])
                continue
            }
            for qc in qcSamples {
                let values = try db.rows("""
                    SELECT q.analyte, q.value, q.unit, q.qualifier, q.detection_limit, c.value AS certified, c.unit AS certified_unit
                    FROM qc_measurement q
                    LEFT JOIN crm_certified_value c ON c.crm_name = ? AND c.analyte = q.analyte
                    WHERE q.qc_sample_id = ?
                      AND q.analyte IN (SELECT analyte FROM measurement WHERE sample_id = ?)
                    """, [qc.string("crm_name") ?? "", qc.int64("id") ?? 0, sample.id])
                let sorted = values.sorted { Analytes.sortKey($0.string("analyte") ?? "") < Analytes.sortKey($1.string("analyte") ?? "") }
                var detail: String
                switch qc.string("qc_type") ?? "" {
                case "crm":
                    let recoveries = sorted.compactMap { row -> String? in
                        guard row.string("qualifier") == "=", let value = row.double("value"),
                              let certified = row.double("certified"), certified > 0,
                              row.string("unit") == row.string("certified_unit") else { return nil }
                        return "\(row.string("analyte") ?? "") \(String(format: "%.1f", value / certified * 100)) %"
                    }
                    detail = recoveries.isEmpty ? "\(values.count) value(s); no certified values to compare"
                        : "recovery " + recoveries.joined(separator: ", ")
                case "blank", "cal_blank", "ccb":
                    let above = sorted.filter { row in
                        guard row.string("qualifier") == "=", let value = row.double("value"),
                              let limit = row.double("detection_limit") else { return false }
                        return value > limit
                    }
                    detail = above.isEmpty ? "\(values.count) value(s), none above its detection limit"
                        : "above DL: " + above.map {
                            "\($0.string("analyte") ?? "") \(Validate.format($0.double("value") ?? 0)) > \(Validate.format($0.double("detection_limit") ?? 0))"
                        }.joined(separator: ", ")
                default:
                    detail = "\(values.count) value(s)"
                }
                table.rows.append([.integer(batchID), .optionalText(batch.string("file_name")),
                                   .optionalText(qc.string("qc_type")), .optionalText(qc.string("label")), .text(detail)])
            }
        }
        return table
    }
}
