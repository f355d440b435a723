/// The header of a long table (one value per row): columns found by name, case and padding
/// ignored; a name may appear twice (ICP Expert writes two `Units` columns).
struct LongTableHeader {
    let record: CSVRecord
    let names: [String]
    let width: Int

    init(_ record: CSVRecord) {
        self.record = record
        names = record.fields.map { LongTableHeader.normalize($0) }
        var width = names.count
        while width > 0, names[width - 1].isEmpty { width -= 1 }
        self.width = width
    }

    static func normalize(_ text: String) -> String {
        text.replacingOccurrences(of: "\n", with: " ").trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
            .split(separator: " ").joined(separator: " ")
    }

    /// The first column whose name is one of `candidates`, searching from `start`.
    func index(_ candidates: String..., after start: Int = -1) -> Int? {
        names.indices.first { $0 > start && candidates.contains(names[$0]) }
    }

    /// The first column whose name satisfies `test`.
    func first(where test: (String) -> Bool) -> Int? { names.indices.first { test(names[$0]) } }

    /// A header row repeated mid-file (the first cell is checked cheaply before the whole row).
    func isRepeat(of other: CSVRecord) -> Bool {
        guard other.fields.count == names.count, let first = other.fields.first,
              first.trimmedASCII.lowercased() == names[0] || first == record.fields[0] else { return false }
        return other.fields.map(LongTableHeader.normalize) == names
    }
}

/// Groups consecutive rows of a long table into runs: a run is one measurement of one solution,
/// so it ends when the label changes or an analyte comes again (a re-measurement of the same sample).
struct LongRunTracker {
    private(set) var run = 0
    private var label: String?
    private var analytes: Set<AnalyteName> = []

    mutating func run(label: String, analyte: AnalyteName) -> Int {
        var key = analyte
        key.sourceLabel = ""
        key.unit = nil
        if label != self.label || analytes.contains(key) {
            run += 1
            self.label = label
            analytes = []
        }
        analytes.insert(key)
        return run
    }
}
