import Foundation

/// Decides whether a row of an instrument run is a QC row (blank, calibration standard, CCV,
/// CRM, duplicate, spike, "do not use") or a sample — from the type column when there is one,
/// else from the label (`BLANK`, `Cal Blank`, `CCV`, `OREAS 45d`, `930ppb`, `… - DNU`).
public enum QCClassifier {
    public struct QC: Sendable, Equatable {
        /// One of the qc_sample.qc_type values.
        public var type: String
        public var crmName: String?
        public var duplicateOf: String?
    }

    /// nil = a sample.
    public static func classify(label rawLabel: String, type rawType: String?) -> QC? {
        let label = rawLabel.trimmingCharacters(in: .whitespaces)
        let upper = label.uppercased()
        let words = Set(upper.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init))
        // "Do not use" wins over everything: the row must never become a result.
        if words.contains("DNU") { return QC(type: "dnu") }
        if let type = rawType?.trimmingCharacters(in: .whitespaces).lowercased(), !type.isEmpty {
            switch type {
            case "calblk", "cal blank", "calblank", "blk", "cal blk", "calibration blank": return QC(type: "cal_blank")
            case "calstd", "std", "cal std", "standard", "calibration standard", "cal": return QC(type: "cal_std")
            case "ccv", "icv", "qc", "check", "lcs", "qcstd", "qc std": return QC(type: "ccv")
            case "ccb", "icb": return QC(type: "ccb")
            case "blank", "rb", "reagent blank", "method blank", "mb": return QC(type: "blank")
            case "crm", "srm", "rm": return QC(type: "crm", crmName: label)
            case "dup", "duplicate": return QC(type: "duplicate", duplicateOf: duplicateBase(label))
            case "spike", "spk", "ms": return QC(type: "spike")
            case "dnu": return QC(type: "dnu")
            case "unnamed": return QC(type: "other")
            default: break  // Sample, Samp, Unknown …: decide from the label.
            }
        }
        if let crm = crmName(upper: upper, label: label) { return QC(type: "crm", crmName: crm) }
        if ["CAL BLANK", "CALBLANK", "CAL BLK", "CALIBRATION BLANK"].contains(upper) { return QC(type: "cal_blank") }
        if words.contains("CCB") || words.contains("ICB") { return QC(type: "ccb") }
        if words.contains("CCV") || words.contains("ICV") || words.contains("DERIV") || words.contains("DRIFT") { return QC(type: "ccv") }
        if words.contains("CHECK") || upper == "QC" || upper.hasPrefix("QC ") { return QC(type: "ccv") }
        // `rBLK`, `MBLK`, `PROCBLANK`: a blank word with a prefix (reagent, method, procedural).
        if words.contains("BLANK") || words.contains("BLK") || upper == "BLANC"
            || words.contains(where: { $0.hasSuffix("BLK") || $0.hasSuffix("BLANK") }) { return QC(type: "blank") }
        if words.contains("SPIKE") { return QC(type: "spike") }
        if upper.hasPrefix("STANDARD") || upper.hasPrefix("STD ") || upper.hasPrefix("CAL STD") || isConcentrationLabel(label) {
            return QC(type: "cal_std")
        }
        if let base = duplicateBase(label) { return QC(type: "duplicate", duplicateOf: base) }
        return nil
    }

    /// `OREAS 45d`, `ORREAS - 600` (as typed on a real run), `NIST 2711a`, `GBW07405` … → a CRM name.
    static func crmName(upper: String, label: String) -> String? {
        for prefix in ["OREAS", "ORREAS", "NIST", "SRM", "BCR", "GBW", "CRM", "CANMET", "TILL-", "STSD", "GSD", "GSS", "BHVO", "AGV", "BCR-"]
        where upper.hasPrefix(prefix) {
            if prefix == "ORREAS" || prefix == "OREAS" {
                // The certificate's name: `OREAS 600` for `ORREAS-DPL 600` (a replicate of the same CRM).
                let rest = label.dropFirst(prefix.count).split(whereSeparator: { !$0.isLetter && !$0.isNumber && $0 != "." })
                    .filter { !["DPL", "DUP"].contains($0.uppercased()) }
                return (["OREAS"] + rest.map(String.init)).joined(separator: " ")
            }
            return label
        }
        return nil
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
