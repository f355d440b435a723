import Foundation
import LIMSStore

/// A reference importer with only the essential work and none of the validation: hash the
/// file (LIMSStore.SHA256, as every import batch does), stream it with LIMSStore.CSVReader,
/// parse each concentration, and write one `measurement` row per cell (the 23 columns lims
/// writes; calibration rows as unmatched names) through lims's own write path (LIMSStore.BulkInsert),
/// in one transaction, into the real schema with its indexes, all on one thread. What
/// `lims import results` costs above this floor is its validation and bookkeeping.
/// Run as a child (`lims-bench --write-floor FILE DB`); it prints its phases' times.
enum WriteFloor {
    static func run(agilentPath: String, databasePath: String) throws -> String {
        let store = try LabStore.create(path: databasePath, operatorName: "bench")
        let db = store.db
        let url = URL(fileURLWithPath: agilentPath)

        // Registration, untimed: the samples named in the file on one plot.
        var sampleIDs: [String: Int64] = [:]
        try db.writeTransaction {
            try db.execute("INSERT INTO site (code) VALUES ('DN')")
            try db.execute("INSERT INTO treatment (site_id, code) VALUES (1, 'control')")
            try db.execute("INSERT INTO plot (treatment_id, code) VALUES (1, 'C1')")
            let insert = try db.prepare("INSERT INTO sample (code, plot_id, type) VALUES (?, 1, 'bulk')")
            let reader = try CSVReader(url: url)
            _ = try reader.next(); _ = try reader.next()
            while let record = try reader.next() {
                guard record[4] == "Sample" else { continue }
                try insert.execute([record[6]])
                sampleIDs[record[6]] = Int64(sampleIDs.count + 1)
            }
        }

        let hashStart = ChildProcess.monotonicSeconds()
        var hasher = SHA256()
        let handle = try FileHandle(forReadingFrom: url)
        var size = 0
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            hasher.update(chunk)
            size += chunk.count
        }
        try handle.close()
        let digest = SHA256.hexString(hasher.finalize())
        let hashSeconds = ChildProcess.monotonicSeconds() - hashStart

        let insertStart = ChildProcess.monotonicSeconds()
        var rows = 0
        try db.writeTransaction {
            try db.execute("INSERT INTO import_batch (kind, file_name, sha256, file_size, format, matrix, operator) VALUES ('results', ?, ?, ?, 'agilent', 'solid', 'bench')",
                           [url.lastPathComponent, digest, size])
            // lims's write path (BulkInsert, one INSERT … SELECT per 4096 rows), lims's 23 columns.
            let columns = ["sample_id", "unmatched_name", "analyte", "isotope", "wavelength_nm", "mode", "source_label", "value",
                           "raw_text", "unit", "original_value", "original_unit", "qualifier", "detection_limit", "method",
                           "matrix", "dilution_factor", "flags", "measured_at", "source_row", "source_column"]
            let insert = try BulkInsert(db: db, table: "measurement", columns: columns,
                                        constants: [("batch_id", .integer(1)), ("created_at", .text("2026-01-01T00:00:00.000Z"))])
            var batch = RowBatch(columns: columns.count, reservingRows: 4096)
            let reader = try CSVReader(url: url)
            guard let groups = try reader.next(), let measures = try reader.next() else { return }
            // Column of each analyte's "Conc. [ ppb ]": the group title sits over its CPS column.
            var panel: [(column: Int, symbol: String, isotope: Int, mode: String, label: String)] = []
            var title = ""
            for index in 0..<measures.fields.count {
                if !groups[index].isEmpty { title = groups[index] }
                guard measures[index] == "Conc. [ ppb ]", !title.contains("ISTD") else { continue }
                let words = title.split(separator: " ")
                panel.append((index, String(words[1]), Int(words[0]) ?? 0, words.count > 3 ? String(words[3...].dropLast().joined(separator: " ")) : "",
                              title.trimmingCharacters(in: .whitespaces)))
            }
            var line = 2
            while let record = try reader.next() {
                line += 1
                let name = record[6]
                let sampleID = record[4] == "Sample" ? sampleIDs[name] : nil
                let acquired = record[3]   // as written: the floor converts no dates
                for c in panel {
                    let raw = record[c.column]
                    let number = raw.hasPrefix("<") ? nil : Double(raw)
                    batch.append(sampleID); batch.append(sampleID == nil ? name : nil); batch.append(c.symbol); batch.append(c.isotope)
                    batch.appendNull(); batch.append(c.mode); batch.append(c.label); batch.append(number.map { $0 / 1000 })
                    batch.append(raw); batch.append("mg/kg"); batch.append(number); batch.append("ppb")
                    batch.append(number == nil ? "<" : "="); batch.appendNull(); batch.append("ICP-MS"); batch.append("solid")
                    batch.appendNull(); batch.appendNull(); batch.append(acquired); batch.append(line); batch.append(c.column + 1)
                    rows += 1
                    if batch.count == 4096 {
                        try insert.insert(batch)
                        batch.removeAll()
                    }
                }
            }
            try insert.insert(batch)
        }
        let insertSeconds = ChildProcess.monotonicSeconds() - insertStart
        return "hash_seconds=\(hashSeconds) insert_seconds=\(insertSeconds) rows=\(rows)"
    }
}
