import LIMSStore

/// The valid stored values of the samples, held compactly: a report of 10⁵ samples reads 7 × 10⁶ of
/// them. A run is 16 bytes (value, analyte, and its qualifier, unit, method and DL interned together:
/// a lab has few distinct DLs per analyte and batch) where a `RawValue` in an array in a dictionary per
/// sample took about 160. A sample's runs are
/// sorted by analyte (in id order within one), so an analyte's runs are found by binary search.
public struct MeasurementTable: Sendable {
    /// One stored value. NaN stands for NULL (SQLite stores no NaN: a NaN bound is stored as NULL).
    struct Run: Sendable {
        var value: Double
        var kind: UInt32
        var analyte: UInt32
    }

    /// Qualifier, unit, method and detection limit of a run: few distinct ones in a lab, so they are
    /// interned together. The DL is kept as its bit pattern (NaN for none) so that equal kinds hash equal.
    struct Kind: Hashable, Sendable {
        var qualifier: String
        var unit: String?
        var method: String?
        var detectionLimitBits: UInt64

        init(qualifier: String, unit: String?, method: String?, detectionLimit: Double?) {
            self.qualifier = qualifier; self.unit = unit; self.method = method
            detectionLimitBits = (detectionLimit ?? .nan).bitPattern
        }

        var detectionLimit: Double { Double(bitPattern: detectionLimitBits) }
    }

    private(set) var analyteNames: [String] = []
    private var analyteIndex: [String: UInt32] = [:]
    private var kinds: [Kind] = []
    private var kindIndex: [Kind: UInt32] = [:]
    /// Each kind's qualifier as `ResolvedValue.resolve` reads it, so resolving compares no strings.
    private var kindQualifier: [Qualifier] = []
    /// Each kind's DL (NaN for none), read per value when resolving.
    private var kindDetectionLimit: [Double] = []

    enum Qualifier { case censored, overRange, measured, ignored }
    private var runsOfSample: [Int64: [Run]] = [:]

    public init() {}

    mutating func reserveSamples(_ count: Int) { runsOfSample.reserveCapacity(count) }

    /// The index of an analyte in this table (nil when no sample has it).
    func index(of analyte: String) -> UInt32? { analyteIndex[analyte] }

    mutating func intern(analyte: String) -> UInt32 {
        if let i = analyteIndex[analyte] { return i }
        let i = UInt32(analyteNames.count)
        analyteNames.append(analyte)
        analyteIndex[analyte] = i
        return i
    }

    mutating func intern(_ kind: Kind) -> UInt32 {
        if let i = kindIndex[kind] { return i }
        let i = UInt32(kinds.count)
        kinds.append(kind)
        kindIndex[kind] = i
        kindDetectionLimit.append(kind.detectionLimit)
        switch kind.qualifier {
        case "<", "nd": kindQualifier.append(.censored)
        case ">": kindQualifier.append(.overRange)
        case "=": kindQualifier.append(.measured)
        default: kindQualifier.append(.ignored)
        }
        return i
    }

    /// Adds a sample's runs (in id order); a sample seen before gets them after its earlier ones.
    mutating func add(sampleID: Int64, _ runs: [Run]) {
        var all = runsOfSample[sampleID].map { $0 + runs } ?? runs
        // Sorted by analyte, keeping id order within one (the order replicate runs are averaged in).
        all = all.enumerated().sorted { ($0.element.analyte, $0.offset) < ($1.element.analyte, $1.offset) }.map(\.element)
        runsOfSample[sampleID] = all
    }

    func raw(_ run: Run) -> RawValue {
        let kind = kinds[Int(run.kind)]
        return RawValue(value: run.value.isNaN ? nil : run.value, qualifier: kind.qualifier,
                        detectionLimit: kind.detectionLimit.isNaN ? nil : kind.detectionLimit, unit: kind.unit, method: kind.method)
    }

    public func contains(_ sampleID: Int64) -> Bool { runsOfSample[sampleID] != nil }

    /// The range of a sample's runs of one analyte (empty when it has none).
    func range(_ runs: [Run], _ analyte: UInt32) -> Range<Int> {
        var lo = 0, hi = runs.count
        while lo < hi { let mid = (lo + hi) / 2; if runs[mid].analyte < analyte { lo = mid + 1 } else { hi = mid } }
        var end = lo
        while end < runs.count && runs[end].analyte == analyte { end += 1 }
        return lo..<end
    }

    /// The stored values of an analyte of a sample, in id order.
    public func raws(_ sampleID: Int64, _ analyte: String) -> [RawValue] {
        guard let runs = runsOfSample[sampleID], let a = analyteIndex[analyte] else { return [] }
        return runs[range(runs, a)].map(raw)
    }

    /// Every analyte of a sample with its stored values (what a `[String: [RawValue]]` per sample held).
    public subscript(sampleID: Int64) -> [String: [RawValue]]? {
        guard let runs = runsOfSample[sampleID] else { return nil }
        var out: [String: [RawValue]] = [:]
        for run in runs { out[analyteNames[Int(run.analyte)], default: []].append(raw(run)) }
        return out
    }

    /// Calls `body` once per analyte of a sample with its name and whether one of its values is in `units`.
    public func forEachAnalyte(of sampleID: Int64, units: Set<String>, _ body: (String, _ hasUnit: Bool) -> Void) {
        guard let runs = runsOfSample[sampleID] else { return }
        var i = 0
        while i < runs.count {
            let a = runs[i].analyte
            var hasUnit = false
            while i < runs.count && runs[i].analyte == a {
                if !hasUnit, units.contains(kinds[Int(runs[i].kind)].unit ?? "") { hasUnit = true }
                i += 1
            }
            body(analyteNames[Int(a)], hasUnit)
        }
    }

    /// Method → the analytes measured by it, over the values of these samples (the report's "Methods"
    /// line). Pairs of interned numbers are collected first: no string is hashed per value.
    public func methods(of sampleIDs: some Sequence<Int64>) -> [String: Set<String>] {
        var pairs = Set<UInt64>()
        for id in sampleIDs {
            for run in runsOfSample[id] ?? [] { pairs.insert(UInt64(run.kind) << 32 | UInt64(run.analyte)) }
        }
        var byMethod: [String: Set<String>] = [:]
        for pair in pairs {
            guard let m = kinds[Int(pair >> 32)].method else { continue }
            byMethod[m, default: []].insert(analyteNames[Int(pair & 0xFFFF_FFFF)])
        }
        return byMethod
    }

    /// Calls `body` with each stored value of one analyte of a sample whose kind is in `kindsIn`, in id
    /// order: value and DL (nil for NULL), whether it is below detection (`<`, `nd`), whether it counts as
    /// detected (`=`, `>`), and its method. No `RawValue` (and no string copy) is made per value.
    func forEachValue(_ runs: [Run], _ analyte: UInt32, kindsIn mask: [Bool],
                      _ body: (_ value: Double?, _ detectionLimit: Double?, _ censored: Bool, _ detected: Bool, _ method: String?) -> Void) {
        for i in range(runs, analyte) {
            let run = runs[i], kind = Int(run.kind)
            guard mask[kind] else { continue }
            let q = kindQualifier[kind], dl = kindDetectionLimit[kind]
            body(run.value.isNaN ? nil : run.value, dl.isNaN ? nil : dl,
                 q == .censored, q == .measured || q == .overRange, kinds[kind].method)
        }
    }

    /// The resolved value of one analyte of a sample from its values in `units` (`ReportData.resolve`).
    public func resolve(_ sampleID: Int64, _ analyte: UInt32, units: Set<String>, rule: CensoringRule) -> ResolvedValue {
        resolve(runs(of: sampleID), analyte, kindsIn: kindMask(units), rule: rule)
    }

    /// A sample's runs (empty when it has none).
    func runs(of sampleID: Int64) -> [Run] { runsOfSample[sampleID] ?? [] }

    /// Which kinds have a unit in `units` (asked once per report, not per value).
    func kindMask(_ units: Set<String>) -> [Bool] { preparedMasks[units] ?? kinds.map { units.contains($0.unit ?? "") } }

    /// Masks of the unit sets the reports ask for per value (solid, solution), made once after loading:
    /// with the DL in the kind a lab may have thousands of kinds.
    private var preparedMasks: [Set<String>: [Bool]] = [:]

    mutating func prepareMasks(_ unitSets: [Set<String>]) {
        for units in unitSets { preparedMasks[units] = kinds.map { units.contains($0.unit ?? "") } }
    }

    /// `ResolvedValue.resolve` of the runs of one analyte whose kind is in `kindsIn`, read straight from
    /// the runs: this runs per sample × analyte of a report (7 × 10⁶ times at 10⁵ samples), where making a
    /// `RawValue` array for each was most of the report's time. The same arithmetic in the same order, so
    /// the numbers are bit-identical (the demo and benchmark reports are compared byte for byte).
    func resolve(_ runs: [Run], _ analyte: UInt32, kindsIn mask: [Bool], rule: CensoringRule) -> ResolvedValue {
        let r = range(runs, analyte)
        var sum = 0.0, used = 0, replicates = 0, any = false
        var censored = false, substituted = false, overRange = false, upperLimit = false
        for i in r {
            let run = runs[i], kind = Int(run.kind)
            guard mask[kind] else { continue }
            any = true
            switch kindQualifier[kind] {
            case .censored:
                replicates += 1
                censored = true
                // The DL, else the value ('<0.05' stored either way); NaN (none) fails `> 0`.
                let dl = kindDetectionLimit[kind].isNaN ? run.value : kindDetectionLimit[kind]
                if dl > 0 {
                    if let sub = rule.substitute(detectionLimit: dl) {
                        sum += sub; used += 1
                        substituted = true
                    } else if rule == .censoredMethods {
                        sum += dl; used += 1
                        upperLimit = true
                    }
                }
            case .overRange:
                replicates += 1
                if !run.value.isNaN { sum += run.value; used += 1; overRange = true }
            case .measured:
                replicates += 1
                if !run.value.isNaN { sum += run.value; used += 1 }
            case .ignored:
                continue
            }
        }
        guard any else { return .missing }
        return ResolvedValue(value: used == 0 ? nil : sum / Double(used), censored: censored, substituted: substituted,
                             overRange: overRange, replicates: replicates, leftCensored: upperLimit)
    }
}
