/// One parameter compared across treatments: per treatment n, mean ± SD (median), and when at least
/// two treatments have n ≥ 2, a k-group test, pairwise comparisons and compact letters.
///
/// Without censored values: Kruskal–Wallis, kruskalmc pairs (the study's method). With any value
/// below detection (kept as "< DL", rule `km`): Kaplan–Meier mean, SD and median per treatment
/// (robust ROS beside it where sensible), the Peto–Peto k-sample test, and pairwise Peto–Peto tests
/// with Benjamini–Hochberg adjusted p values for the letters.
public struct TreatmentComparison: Sendable {
    /// One value of a sample: its treatment, the number, whether it used a substitute (†) and whether
    /// it is left-censored (an upper limit, rule `km`).
    public struct Value: Sendable {
        public var treatment: String
        public var sample: String
        public var value: Double
        public var substituted: Bool
        public var censored: Bool
        public init(treatment: String, sample: String, value: Double, substituted: Bool = false, censored: Bool = false) {
            self.treatment = treatment; self.sample = sample; self.value = value; self.substituted = substituted; self.censored = censored
        }
    }

    public struct Group: Sendable {
        public var treatment: String
        public var values: [Double]
        public var censored: [Bool]
        /// Ordinary statistics of the numbers (DLs counted as values when censored; used without censoring).
        public var descriptive: Descriptive
        public var kaplanMeier: KaplanMeier?
        public var ros: RobustROS?
        /// Why there is no ROS estimate (e.g. "2 detect(s), fewer than 3").
        public var rosNote: String?
        /// Letters from the multiple comparisons; nil when the group was not tested.
        public var letters: String?
        public var meanRank: Double?
        /// Samples of this group whose value used a substitute for a censored value.
        public var substitutedSamples: [String]

        /// Values below detection; kept when `values` are released (`releasingValues`).
        public var censoredCount: Int { releasedCensoredCount ?? censored.filter { $0 }.count }
        var releasedCensoredCount: Int?
        public var censoredValues: [CensoredValue] { zip(values, censored).map { CensoredValue($0, censored: $1) } }
        /// Mean, SD, median as reported: Kaplan–Meier when the parameter has censored values.
        public var mean: Double? { kaplanMeier?.mean ?? descriptive.mean }
        public var sd: Double? { kaplanMeier != nil ? kaplanMeier!.sd : descriptive.sd }
        public var median: Double? { kaplanMeier?.median ?? descriptive.median }
    }

    public enum Method: String, Sendable {
        case ordinary, censored
    }

    public var parameter: String
    public var unit: String
    public var groups: [Group]
    public var method: Method
    public var test: KruskalWallis?
    public var comparisons: KruskalMC?
    public var petoPeto: PetoPeto?
    public var petoPetoPairs: PetoPetoPairs?
    /// Why there is no test, or which treatments were left out of it.
    public var notes: [String]
    public var alpha: Double

    /// Old shape of the values (no censoring).
    public init(parameter: String, unit: String, treatments: [String],
                values: [(treatment: String, sample: String, value: Double, substituted: Bool)], alpha: Double) {
        self.init(parameter: parameter, unit: unit, treatments: treatments,
                  values: values.map { Value(treatment: $0.treatment, sample: $0.sample, value: $0.value, substituted: $0.substituted) },
                  alpha: alpha)
    }

    public init(parameter: String, unit: String, treatments: [String], values: [Value], alpha: Double) {
        self.parameter = parameter
        self.unit = unit
        self.alpha = alpha
        method = values.contains(where: \.censored) ? .censored : .ordinary
        var byTreatment: [String: [Value]] = [:]   // one pass: 10⁴ samples × many parameters stay linear
        for v in values { byTreatment[v.treatment, default: []].append(v) }
        let censoredMethod = method == .censored
        groups = treatments.map { t in
            let rows = byTreatment[t] ?? []
            var group = Group(treatment: t, values: rows.map(\.value), censored: rows.map(\.censored),
                              descriptive: Descriptive(rows.map(\.value)), kaplanMeier: nil, ros: nil, rosNote: nil,
                              letters: nil, meanRank: nil, substitutedSamples: rows.filter(\.substituted).map(\.sample))
            if censoredMethod && !rows.isEmpty {
                group.kaplanMeier = try? KaplanMeier(group.censoredValues)
                do { group.ros = try RobustROS(group.censoredValues) } catch { group.rosNote = "\(error)" }
            }
            return group
        }
        notes = []
        let tested = groups.filter { $0.values.count >= 2 }
        for g in groups where g.values.count < 2 {
            notes.append("\(g.treatment): n = \(g.values.count), fewer than 2 values; left out of the test")
        }
        for g in groups where censoredMethod && !g.values.isEmpty && g.kaplanMeier == nil {
            notes.append("\(g.treatment): every value is below detection; no Kaplan–Meier estimate")
        }
        guard tested.count >= 2 else {
            notes.append(groups.count == 1 ? "only one treatment: no comparison"
                         : "fewer than 2 treatments with n ≥ 2: no \(censoredMethod ? "Peto–Peto" : "Kruskal–Wallis") test")
            return
        }
        if censoredMethod { runPetoPeto(tested, alpha: alpha) } else { runKruskalWallis(tested, alpha: alpha) }
    }

    private mutating func runKruskalWallis(_ tested: [Group], alpha: Double) {
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

    private mutating func runPetoPeto(_ tested: [Group], alpha: Double) {
        let samples = tested.map { (group: $0.treatment, values: $0.censoredValues) }
        do {
            let pp = try PetoPeto(samples)
            let pairs = PetoPetoPairs(samples, alpha: alpha)
            let letters = CompactLetters.letters(groups: pp.groups,
                                                 different: pairs.pairs.filter(\.significant).map { ($0.first, $0.second) })
            for (i, name) in pp.groups.enumerated() {
                if let index = groups.firstIndex(where: { $0.treatment == name }) { groups[index].letters = letters[i] }
            }
            petoPeto = pp
            petoPetoPairs = pairs
        } catch {
            notes.append("no Peto–Peto test: \(error)")
        }
    }

    /// The test's name, statistic, df and p (nil when there is no test).
    public var testSummary: (name: String, statistic: Double, df: Int, p: Double)? {
        if let t = test { return ("Kruskal–Wallis", t.h, t.degreesOfFreedom, t.p) }
        if let t = petoPeto { return ("Peto–Peto", t.chiSquare, t.degreesOfFreedom, t.p) }
        return nil
    }

    /// The overall test and the letters disagree: p ≥ α but some pair differs, or p < α and none does.
    public var lettersDisagreeWithP: Bool {
        guard let summary = testSummary else { return false }
        let anyPair = (comparisons?.pairs.contains(where: \.significant) ?? false)
            || (petoPetoPairs?.pairs.contains(where: \.significant) ?? false)
        return (summary.p >= alpha && anyPair) || (summary.p < alpha && !anyPair)
    }

    /// The study's cell: `mean ± SD (median) letters`; `[n = k]` when the group has fewer values than
    /// the `n` of its column heading; `[k < DL]` when censored (Kaplan–Meier estimates).
    public func cell(_ group: Group, columnN: Int? = nil) -> String {
        guard group.descriptive.n > 0 else { return "–" }
        var text: String
        if method == .censored {
            guard let km = group.kaplanMeier else { return "all < \(NumberFormat.short(group.descriptive.max))" }
            text = km.sd == nil ? "\(NumberFormat.short(km.mean)) (n = 1)"
                : NumberFormat.summary(mean: km.mean, sd: km.sd, median: km.median, medianPrefix: km.medianIsUpperBound ? "< " : "")
        } else {
            text = NumberFormat.summary(group.descriptive)
        }
        if let letters = group.letters { text += " " + letters }
        if let columnN, group.descriptive.n > 1, group.descriptive.n != columnN { text += " [n = \(group.descriptive.n)]" }
        if group.censoredCount > 0 { text += " [\(group.censoredCount) < DL]" }
        if !group.substitutedSamples.isEmpty { text += " †" }
        return text
    }

    /// The same comparison without its groups' `values` and `censored` lists (n, statistics, tests and
    /// letters stay): a report of 10⁵ samples × 80 parameters held 60 MB of them only for its JSON,
    /// which then gives them from `json(groupValues:)`.
    public func releasingValues() -> TreatmentComparison {
        var copy = self
        for i in copy.groups.indices {
            copy.groups[i].releasedCensoredCount = copy.groups[i].censoredCount
            copy.groups[i].values = []
            copy.groups[i].censored = []
        }
        return copy
    }

    public var json: JSONValue { json(groupValues: nil) }

    /// `groupValues`: per group (in `groups` order) its values and whether each is censored, when the
    /// comparison no longer holds them.
    public func json(groupValues: [(values: [Double], censored: [Bool])]?) -> JSONValue {
        .object([
            ("parameter", .string(parameter)), ("unit", .string(unit)),
            ("method", .string(method == .censored ? "kaplan-meier, peto-peto" : "ordinary, kruskal-wallis")),
            ("groups", .array(groups.enumerated().map { index, g in
                let values = groupValues?[index].values ?? g.values, censored = groupValues?[index].censored ?? g.censored
                return .object([("treatment", .string(g.treatment)), ("n", .int(g.descriptive.n)),
                         ("n_censored", .int(g.censoredCount)),
                         ("percent_censored", g.descriptive.n > 0 ? .num(Double(g.censoredCount) / Double(g.descriptive.n) * 100) : .null),
                         ("mean", .num(g.mean)), ("sd", .num(g.sd)), ("median", .num(g.median)),
                         ("median_is_upper_limit", .bool(g.kaplanMeier?.medianIsUpperBound ?? false)),
                         ("min", .num(g.descriptive.min)), ("max", .num(g.descriptive.max)), ("letters", .str(g.letters)),
                         ("mean_rank", .num(g.meanRank)), ("values", .array(values.map { .num($0) })),
                         ("censored", .array(censored.map { .bool($0) })),
                         ("ros", g.ros.map { r in .object([("mean", .num(r.mean)), ("sd", .num(r.sd)), ("median", .num(r.median)),
                                                           ("intercept", .num(r.intercept)), ("slope", .num(r.slope))]) } ?? .null),
                         ("ros_note", .str(g.rosNote)),
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
            ("peto_peto", petoPeto.map { t in
                .object([("chi_square", .num(t.chiSquare)), ("df", .int(t.degreesOfFreedom)), ("p", .num(t.p))])
            } ?? .null),
            ("peto_peto_pairs", petoPetoPairs.map { pairs in
                .object([("alpha", .num(pairs.alpha)), ("adjustment", .string("Benjamini–Hochberg")),
                         ("pairs", .array(pairs.pairs.map { p in
                             .object([("a", .string(p.first)), ("b", .string(p.second)), ("chi_square", .num(p.chiSquare)),
                                      ("p", .num(p.p)), ("p_bh", .num(p.adjustedP)), ("difference", .bool(p.significant))])
                         }))])
            } ?? .null),
            ("letters_disagree_with_p", .bool(lettersDisagreeWithP)),
            ("notes", .strings(notes)),
        ])
    }
}
