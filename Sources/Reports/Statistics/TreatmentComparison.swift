/// One parameter compared across treatments: per treatment n, mean ± SD (median), and when at least
/// two treatments have n ≥ 2, Kruskal–Wallis, kruskalmc pairs and compact letters.
public struct TreatmentComparison: Sendable {
    public struct Group: Sendable {
        public var treatment: String
        public var values: [Double]
        public var descriptive: Descriptive
        /// Letters from the multiple comparisons; nil when the group was not tested.
        public var letters: String?
        public var meanRank: Double?
        /// Samples of this group whose value used a substitute for a censored value.
        public var substitutedSamples: [String]
    }

    public var parameter: String
    public var unit: String
    public var groups: [Group]
    public var test: KruskalWallis?
    public var comparisons: KruskalMC?
    /// Why there is no test, or which treatments were left out of it.
    public var notes: [String]

    /// - Parameter values: per sample, its treatment, value and whether it used a substitute.
    public init(parameter: String, unit: String, treatments: [String],
                values: [(treatment: String, sample: String, value: Double, substituted: Bool)], alpha: Double) {
        self.parameter = parameter
        self.unit = unit
        groups = treatments.map { t in
            let rows = values.filter { $0.treatment == t }
            return Group(treatment: t, values: rows.map(\.value), descriptive: Descriptive(rows.map(\.value)),
                         letters: nil, meanRank: nil, substitutedSamples: rows.filter(\.substituted).map(\.sample))
        }
        notes = []
        let tested = groups.filter { $0.values.count >= 2 }
        for g in groups where g.values.count < 2 {
            notes.append("\(g.treatment): n = \(g.values.count), fewer than 2 values; left out of the test")
        }
        guard tested.count >= 2 else {
            notes.append(groups.count == 1 ? "only one treatment: no comparison"
                         : "fewer than 2 treatments with n ≥ 2: no Kruskal–Wallis test")
            return
        }
        do {
            let kw = try KruskalWallis(tested.map { ($0.treatment, $0.values) })
            let mc = KruskalMC(kw, alpha: alpha)
            let letters = CompactLetters.letters(groups: kw.groups,
                                                 different: mc.pairs.filter(\.significant).map { ($0.first, $0.second) })
            for (i, name) in kw.groups.enumerated() {
                if let index = groups.firstIndex(where: { $0.treatment == name }) {
                    groups[index].letters = letters[i]
                    groups[index].meanRank = kw.meanRanks[i]
                }
            }
            test = kw
            comparisons = mc
        } catch {
            notes.append("no Kruskal–Wallis test: \(error)")
        }
    }

    /// The study's cell: `mean ± SD (median) letters`; `[n = k]` when the group has fewer values than
    /// the `n` of its column heading.
    public func cell(_ group: Group, columnN: Int? = nil) -> String {
        guard group.descriptive.n > 0 else { return "–" }
        var text = NumberFormat.summary(group.descriptive)
        if let letters = group.letters { text += " " + letters }
        if let columnN, group.descriptive.n > 1, group.descriptive.n != columnN { text += " [n = \(group.descriptive.n)]" }
        if !group.substitutedSamples.isEmpty { text += " †" }
        return text
    }

    public var json: JSONValue {
        .object([
            ("parameter", .string(parameter)), ("unit", .string(unit)),
            ("groups", .array(groups.map { g in
                .object([("treatment", .string(g.treatment)), ("n", .int(g.descriptive.n)),
                         ("mean", .num(g.descriptive.mean)), ("sd", .num(g.descriptive.sd)),
                         ("median", .num(g.descriptive.median)), ("min", .num(g.descriptive.min)),
                         ("max", .num(g.descriptive.max)), ("letters", .str(g.letters)),
                         ("mean_rank", .num(g.meanRank)), ("values", .array(g.values.map { .num($0) })),
                         ("substituted_samples", .strings(g.substitutedSamples))])
            })),
            ("kruskal_wallis", test.map { t in
                .object([("h", .num(t.h)), ("h_uncorrected", .num(t.hUncorrected)),
                         ("tie_correction", .num(t.tieCorrection)), ("df", .int(t.degreesOfFreedom)),
                         ("p", .num(t.p)), ("n", .int(t.totalN))])
            } ?? .null),
            ("comparisons", comparisons.map { mc in
                .object([("alpha", .num(mc.alpha)), ("z", .num(mc.z)),
                         ("pairs", .array(mc.pairs.map { p in
                             .object([("a", .string(p.first)), ("b", .string(p.second)),
                                      ("obs_dif", .num(p.observedDifference)), ("critical_dif", .num(p.criticalDifference)),
                                      ("difference", .bool(p.significant))])
                         }))])
            } ?? .null),
            ("notes", .strings(notes)),
        ])
    }
}
