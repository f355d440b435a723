import Foundation

/// Decides whether a row of an instrument run is a QC row (blank, calibration standard, CCV,
/// CRM, duplicate, spike, "do not use") or a sample — from the type column when there is one,
/// else from the label (`BLANK`, `Cal Blank`, `CCV`, `OREAS 45d`, `930ppb`, `… - DNU`).
///
/// The rules live in the database (`qc_name_rule`, `lims qc-rules`), so a lab can add its own
/// names; `builtinRules` is the same set as the migration seeds, used for a store without the
/// table (and by the static `classify`). Two rules stay in code because no pattern can say
/// them: a standard named by its concentration (`930ppb`) and a duplicate suffix (`X-12 DUP`).
///
///     let classifier = try QCClassifier(store: store)   // once per import
///     let qc = classifier.classify(label: "LFB 1", type: nil)
public struct QCClassifier: Sendable {
    public struct QC: Sendable, Equatable {
        /// One of the qc_sample.qc_type values.
        public var type: String
        public var crmName: String?
        public var duplicateOf: String?

        public init(type: String, crmName: String? = nil, duplicateOf: String? = nil) {
            self.type = type; self.crmName = crmName; self.duplicateOf = duplicateOf
        }
    }

    /// The enabled rules, in the order they are tried.
    public let rules: [QCNameRule]
    private let compiled: [QCNameRule.Compiled]

    public init(rules: [QCNameRule]) {
        self.rules = rules.filter(\.enabled).sorted { ($0.priority, $0.id) < ($1.priority, $1.id) }
        compiled = self.rules.map(QCNameRule.Compiled.init)
    }

    /// The store's rules (one query, once per import); the built-in set when the store has no rule table.
    public init(store: LabStore) throws {
        let hasTable = try store.db.hasTable("qc_name_rule") ? 1 : 0
        self.init(rules: hasTable > 0 ? try store.qcNameRules() : Self.builtinRules)
    }

    /// The built-in classifier (no store).
    public static let builtin = QCClassifier(rules: builtinRules)

    /// nil = a sample. Uses the built-in rules.
    public static func classify(label: String, type: String?) -> QC? {
        builtin.classify(label: label, type: type)
    }

    /// nil = a sample.
    public func classify(label rawLabel: String, type rawType: String?) -> QC? {
        let label = rawLabel.trimmingCharacters(in: .whitespaces)
        let labelText = QCNameRule.Subject(label)
        let typeText = rawType.map { QCNameRule.Subject($0.trimmingCharacters(in: .whitespaces)) }
        for compiledRule in compiled {
            let rule = compiledRule.rule
            let subject: QCNameRule.Subject
            switch rule.appliesTo {
            case .label: subject = labelText
            case .type:
                guard let typeText, !typeText.upper.isEmpty else { continue }
                subject = typeText
            }
            guard compiledRule.matches(subject) else { continue }
            return QC(type: rule.qcType,
                      crmName: rule.qcType == "crm" ? Self.crmName(label: label) : nil,
                      duplicateOf: rule.qcType == "duplicate" ? Self.duplicateBase(label) : nil)
        }
        if Self.isConcentrationLabel(label) { return QC(type: "cal_std") }
        if let base = Self.duplicateBase(label) { return QC(type: "duplicate", duplicateOf: base) }
        return nil
    }

    /// The certificate's name: `OREAS 600` for `ORREAS-DPL 600` (a replicate of the same CRM, as
    /// typed on a real run); other CRM labels are kept as written.
    static func crmName(label: String) -> String {
        let upper = label.uppercased()
        for prefix in ["ORREAS", "OREAS"] where upper.hasPrefix(prefix) {
            let rest = label.dropFirst(prefix.count).split(whereSeparator: { !$0.isLetter && !$0.isNumber && $0 != "." })
                .filter { !["DPL", "DUP"].contains($0.uppercased()) }
            return (["OREAS"] + rest.map(String.init)).joined(separator: " ")
        }
        return label
    }

    /// `930ppb`, `Traces 0.1 ppb`, `CARRIERS1030-40200ppm`, `Std 5 mg/L`: a standard named by its concentration.
    static func isConcentrationLabel(_ label: String) -> Bool {
        let lower = label.lowercased().replacingOccurrences(of: " ", with: "")
        for unit in ["ppb", "ppm", "ppt", "mg/l", "ug/l", "µg/l"] where lower.hasSuffix(unit) {
            let before = lower.dropLast(unit.count)
            return before.last?.isNumber == true
        }
        return false
    }

    /// `X-12 D`, `X-12 DUP`, `X-12-dup`: a duplicate of `X-12`. A bare trailing D (`GA02D`) is a name, not a duplicate.
    static func duplicateBase(_ label: String) -> String? {
        let trimmed = label.trimmingCharacters(in: .whitespaces)
        for suffix in [" DUP", "-DUP", "_DUP", " DPL", "-DPL", " D", "-D", "_D"] where trimmed.uppercased().hasSuffix(suffix) {
            let base = String(trimmed.dropLast(suffix.count)).trimmingCharacters(in: .whitespaces)
            return base.isEmpty ? nil : base
        }
        return nil
    }
}
