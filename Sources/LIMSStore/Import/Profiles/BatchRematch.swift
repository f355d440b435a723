import Foundation

/// What `lims batch rematch N` linked, and what stays unmatched.
public struct RematchSummary: Sendable {
    public struct Link: Sendable, Equatable {
        public let name: String
        public let code: String
        public let values: Int
        /// How the name matched beyond the exact code: `alias "…"`, `dilution suffix x10`.
        public let how: String?
    }
    public struct Unmatched: Sendable, Equatable {
        public let name: String
        public let values: Int
        /// Why a name that now matches a sample was not linked (nil: no sample matches it).
        public let reason: String?
    }
    public var batchID: Int64
    public var fileName: String
    public var dryRun: Bool
    public var linked: [Link] = []
    public var unmatched: [Unmatched] = []

    public func lines() -> [String] {
        var lines = [(dryRun ? "Dry run: nothing was written. " : "")
            + "Batch \(batchID) (\(fileName)): " + (dryRun ? "would link" : "linked")
            + " \(linked.count) names (\(linked.reduce(0) { $0 + $1.values }) values)"
            + (linked.isEmpty ? "." : ":")]
        for link in linked {
            lines.append("  \"\(link.name)\" → \(link.code)" + (link.how.map { " (\($0))" } ?? "") + ", \(link.values) values")
        }
        if unmatched.isEmpty {
            lines.append("No unmatched names left.")
        } else {
            lines.append("Still unmatched: \(unmatched.count) names (\(unmatched.reduce(0) { $0 + $1.values }) values):")
            for name in unmatched {
                lines.append("  \"\(name.name)\", \(name.values) values" + (name.reason.map { ": \($0)" } ?? ""))
            }
            lines.append("Register them (lims sample add) or add aliases (lims sample alias add CODE NAME), then run lims batch rematch \(batchID) again.")
        }
        return lines
    }
}

/// Links the unmatched names of a batch (`measurement.unmatched_name` with `sample_id` NULL, kept by
/// `--allow-unmatched`) to samples registered or aliased since, in one transaction, with one audit row.
/// The name stays in `unmatched_name` as the instrument wrote it.
extension LabStore {
    public func rematchBatch(id: Int64, dryRun: Bool = false) throws -> RematchSummary {
        try write {
            guard let batch = try self.batch(id: id) else {
                throw StoreError.notFound(kind: "import batch", key: String(id), suggestions: [])
            }
            guard batch.kind == "results" else {
                throw StoreError.invalidValue(field: "batch", value: String(id), expected: "a results batch (lims import results); batch \(id) is a \(batch.kind) sheet")
            }
            guard batch.status == "active" else {
                throw StoreError.invalidValue(field: "batch", value: String(id), expected: "an active batch; batch \(id) was replaced and its values retired")
            }
            var summary = RematchSummary(batchID: id, fileName: batch.fileName, dryRun: dryRun)
            let matcher = try SampleMatcher(store: self)
            let names = try db.rows("""
                SELECT unmatched_name, count(*) AS n, \(db.dialect.joined("matrix", separator: ",", distinct: true)) AS matrices FROM measurement
                WHERE batch_id = ? AND sample_id IS NULL AND status = 'valid' GROUP BY unmatched_name ORDER BY min(id)
                """, [id])
            var links: [String: String] = [:]
            for row in names {
                let name = row.string("unmatched_name") ?? ""
                let values = row.int("n") ?? 0
                guard let match = matcher.match(name) else {
                    summary.unmatched.append(.init(name: name, values: values, reason: nil))
                    continue
                }
                // Units were converted for the matrix known at import; a solid's values cannot become a solution's.
                let matrices = (row.string("matrices") ?? "").split(separator: ",").map(String.init)
                if let other = matrices.first(where: { $0 != match.matrix.rawValue }) {
                    summary.unmatched.append(.init(name: name, values: values,
                        reason: "matches sample \(match.code) (\(match.type), a \(match.matrix.rawValue)) but its values were imported as a \(other); re-import the file with --replace"))
                    continue
                }
                var how: [String] = []
                if let alias = match.alias { how.append("alias \"\(alias)\"") }
                if let dilution = match.nameDilution { how.append("dilution suffix \(dilution.suffix) ×\(Validate.format(dilution.factor)), flagged, not multiplied") }
                summary.linked.append(.init(name: name, code: match.code, values: values, how: how.isEmpty ? nil : how.joined(separator: ", ")))
                links[name] = match.code
                guard !dryRun else { continue }
                let note = match.nameDilution.map { "name dilution ×\(Validate.format($0.factor)) (\"\($0.suffix)\") not applied" }
                try db.execute("""
                    UPDATE measurement SET sample_id = ?1,
                        flags = CASE WHEN ?2 IS NULL THEN flags WHEN flags IS NULL THEN ?2 ELSE flags || '; ' || ?2 END
                    WHERE batch_id = ?3 AND sample_id IS NULL AND unmatched_name = ?4 AND status = 'valid'
                    """, [match.id, note, id, name])
            }
            guard !dryRun, !summary.linked.isEmpty else { return summary }
            try db.execute("""
                UPDATE import_batch SET
                    unmatched_count = (SELECT count(DISTINCT unmatched_name) FROM measurement WHERE batch_id = ?1 AND sample_id IS NULL AND status = 'valid'),
                    sample_count = (SELECT count(DISTINCT sample_id) FROM measurement WHERE batch_id = ?1 AND status = 'valid')
                                 + (SELECT count(DISTINCT unmatched_name) FROM measurement WHERE batch_id = ?1 AND sample_id IS NULL AND status = 'valid')
                WHERE id = ?1
                """, [id])
            let values = summary.linked.reduce(0) { $0 + $1.values }
            try audit(action: "rematch", table: "measurement", recordID: nil, batchID: id,
                      summary: "linked \(summary.linked.count) unmatched names (\(values) values) of batch \(id) (\(batch.fileName)) to samples: "
                          + summary.linked.prefix(20).map { "\"\($0.name)\" → \($0.code)" }.joined(separator: ", ")
                          + (summary.linked.count > 20 ? " …" : "") + "; \(summary.unmatched.count) names stay unmatched",
                      newValue: ["links": links], reason: "lims batch rematch")
            return summary
        }
    }
}
