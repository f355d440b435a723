import Foundation

/// One rule of `qc_name_rule`: a pattern that marks a row of an instrument run as QC, matched
/// against the label or the instrument's sample-type column, case and surrounding spaces ignored.
public struct QCNameRule: Sendable, Equatable {
    public enum MatchKind: String, Sendable, CaseIterable {
        /// The whole text equals the pattern.
        case exact
        case prefix, suffix, contains
        /// The pattern's words are whole words of the text, in order (`CCV` in `CCV 2`, not in `CCVX`).
        case word
    }

    public enum Field: String, Sendable, CaseIterable {
        case label, type
    }

    /// The qc_sample.qc_type values (the CHECK list of the schema).
    public static let qcTypes = ["cal_blank", "cal_std", "blank", "ccv", "ccb", "crm", "duplicate", "spike", "dnu", "other"]

    public var id: Int64
    public var pattern: String
    public var matchKind: MatchKind
    public var appliesTo: Field
    public var qcType: String
    public var priority: Int
    public var builtin: Bool
    public var enabled: Bool
    public var note: String?

    public init(id: Int64 = 0, pattern: String, matchKind: MatchKind, appliesTo: Field = .label, qcType: String,
                priority: Int = QCNameRule.defaultLabPriority, builtin: Bool = false, enabled: Bool = true, note: String? = nil) {
        self.id = id; self.pattern = pattern; self.matchKind = matchKind; self.appliesTo = appliesTo; self.qcType = qcType
        self.priority = priority; self.builtin = builtin; self.enabled = enabled; self.note = note
    }

    /// A lab's rule comes after "do not use" (10) and the type column (20), before the built-in label rules (30-90).
    public static let defaultLabPriority = 25

    public var isCRM: Bool { qcType == "crm" }

    /// A label or type, upper-cased once, with its words (letters and digits), for all rules.
    struct Subject {
        let upper: String
        let words: [Substring]
        init(_ text: String) {
            upper = text.uppercased()
            words = upper.split(whereSeparator: { !$0.isLetter && !$0.isNumber })
        }
    }

    /// The pattern prepared once per import (upper-cased, split into words), not once per row.
    struct Compiled: Sendable {
        let rule: QCNameRule
        let upper: String
        let words: [Substring]
        init(_ rule: QCNameRule) {
            self.rule = rule
            upper = rule.pattern.uppercased()
            words = upper.split(whereSeparator: { !$0.isLetter && !$0.isNumber })
        }
    }

    func matches(_ subject: Subject) -> Bool { Compiled(self).matches(subject) }
}

extension QCNameRule.Compiled {
    func matches(_ subject: QCNameRule.Subject) -> Bool {
        let pattern = upper
        switch rule.matchKind {
        case .exact: return subject.upper == pattern
        case .prefix: return subject.upper.hasPrefix(pattern)
        case .suffix: return subject.upper.hasSuffix(pattern)
        case .contains: return subject.upper.contains(pattern)
        case .word:
            let wanted = words
            guard !wanted.isEmpty, subject.words.count >= wanted.count else { return false }
            for start in 0...(subject.words.count - wanted.count)
            where subject.words[start..<(start + wanted.count)].elementsEqual(wanted) {
                return true
            }
            return false
        }
    }
}

extension QCNameRule {
    /// One line describing the rule, for lists and messages.
    public var summary: String {
        "\(appliesTo.rawValue) \(matchKind.rawValue) \"\(pattern)\" → \(qcType)"
    }
}
