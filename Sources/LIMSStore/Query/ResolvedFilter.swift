/// A filter checked against the database: codes turned into ids, analyte groups expanded.
struct ResolvedFilter {
    var filter: QueryFilter
    var treatmentIDs: [Int64] = []
    var siteID: Int64?
    var plotIDs: [Int64] = []
    var sampleIDs: [Int64] = []
    var analytes: [String] = []
    var batchIDs: [Int64] = []
}

extension LabStore {
    /// Checks every name in the filter; an unknown one throws with suggestions.
    func resolve(_ filter: QueryFilter) throws -> ResolvedFilter {
        var resolved = ResolvedFilter(filter: filter)
        resolved.treatmentIDs = try filter.treatments.map { try requireTreatment(code: $0).id }
        resolved.siteID = try filter.site.map { try requireSite(code: $0).id }
        resolved.plotIDs = try filter.plots.map { try requirePlot(code: $0).id }
        resolved.sampleIDs = try filter.samples.map { try requireSample(code: $0).id }
        for type in filter.types { try requireSampleType(type) }
        if let matrix = filter.matrix, !["solid", "solution"].contains(matrix) {
            throw StoreError.invalidValue(field: "matrix", value: matrix, expected: "solid or solution")
        }
        resolved.analytes = try resolveAnalytes(filter.analytes)
        resolved.batchIDs = try filter.batches.flatMap { try resolveBatch($0) }
        if !filter.properties.isEmpty {
            let known = try db.rows("SELECT DISTINCT property FROM soil_property ORDER BY property")
                .compactMap { $0.string("property") }
            for property in filter.properties where !known.contains(property) {
                throw StoreError.notFound(kind: "soil property", key: property,
                                          suggestions: Suggestions.closest(to: property, among: known))
            }
        }
        for code in filter.thinSections where try db.scalar("SELECT id FROM thin_section WHERE code = ?", [code]) == nil {
            let known = try db.rows("SELECT code FROM thin_section").compactMap { $0.string("code") }
            throw StoreError.notFound(kind: "thin section", key: code, suggestions: Suggestions.closest(to: code, among: known))
        }
        return resolved
    }

    /// A batch given by id or by file name (a file imported again after a replace has several).
    func resolveBatch(_ text: String) throws -> [Int64] {
        if let id = Int64(text), try db.scalar("SELECT id FROM import_batch WHERE id = ?", [id]) != nil { return [id] }
        let ids = try db.rows("SELECT id FROM import_batch WHERE file_name = ? ORDER BY id", [text]).compactMap { $0.int64("id") }
        if !ids.isEmpty { return ids }
        let names = try db.rows("SELECT DISTINCT file_name FROM import_batch").compactMap { $0.string("file_name") }
        throw StoreError.notFound(kind: "import batch", key: text, suggestions: Suggestions.closest(to: text, among: names))
    }
}
