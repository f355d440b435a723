import Foundation
import LIMSStore

/// A reference importer with only the essential work and none of the validation: hash the
/// file (LIMSStore.SHA256, as every import batch does), stream it with LIMSStore.CSVReader,
/// parse each concentration, and insert one `measurement` row per cell through one reused
/// prepared statement in one transaction, into the real schema with its indexes. What
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
            let insert = try db.prepare("""
                INSERT INTO measurement (sample_id, unmatched_name, batch_id, analyte, isotope, mode, value, raw_text, unit,
                                         original_value, original_unit, qualifier, matrix, method, source_row, source_column)
                VALUES (?, ?, 1, ?, ?, ?, ?, ?, 'mg/kg', ?, 'ppb', ?, 'solid', 'ICP-MS', ?, ?)
                """)
            let reader = try CSVReader(url: url)
            guard let groups = try reader.next(), let measures = try reader.next() else { return }
            // Column of each analyte's "Conc. [ ppb ]": the group title sits over its CPS column.
            var columns: [(column: Int, symbol: String, isotope: Int, mode: String)] = []
            var title = ""
            for index in 0..<measures.fields.count {
                if !groups[index].isEmpty { title = groups[index] }
                guard measures[index] == "Conc. [ ppb ]", !title.contains("ISTD") else { continue }
                let words = title.split(separator: " ")
                columns.append((index, String(words[1]), Int(words[0]) ?? 0, words.count > 3 ? String(words[3...].dropLast().joined(separator: " ")) : ""))
            }
            var line = 2
            while let record = try reader.next() {
                line += 1
                let name = record[6]
                let sampleID = record[4] == "Sample" ? sampleIDs[name] : nil
                for c in columns {
                    let raw = record[c.column]
                    let number = raw.hasPrefix("<") ? nil : Double(raw)
                    try insert.execute([sampleID, sampleID == nil ? name : nil, c.symbol, c.isotope, c.mode,
                                        number.map { $0 / 1000 }, raw, number, number == nil ? "<" : "=", line, c.column + 1])
                    rows += 1
                }
            }
        }
        let insertSeconds = ChildProcess.monotonicSeconds() - insertStart
        return "hash_seconds=\(hashSeconds) insert_seconds=\(insertSeconds) rows=\(rows)"
    }
}
