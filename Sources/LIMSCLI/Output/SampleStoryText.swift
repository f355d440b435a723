import Foundation
import LIMSStore

/// `lims sample show` as text sections (for a person) or one JSON object (for a script).
enum SampleStoryText {
    static func text(_ story: SampleStory) -> String {
        let sample = story.sample
        var lines = ["Sample \(sample.code) (\(sample.type))"]
        var place: [String] = []
        if let site = story.siteCode { place.append("site \(site)") }
        if let treatment = story.treatment {
            var text = "treatment \(treatment.code)"
            let details = [treatment.amendment, treatment.amendmentRateKgPerM2.map { "\(Validate.format($0)) kg/m2" },
                           treatment.plant].compactMap { $0 }
            if !details.isEmpty { text += " (" + details.joined(separator: ", ") + ")" }
            place.append(text)
        }
        if let plot = sample.plotCode {
            place.append("plot \(plot)" + (story.plotReplicate.map { " (replicate \($0))" } ?? ""))
        }
        if !place.isEmpty { lines.append("  " + place.joined(separator: ", ")) }
        var facts: [String] = []
        if let top = sample.depthTopCm, let bottom = sample.depthBottomCm {
            facts.append("depth \(Validate.format(top))-\(Validate.format(bottom)) cm")
        }
        if let date = sample.collectedOn { facts.append("collected \(date)") }
        if let mass = sample.massG { facts.append("mass \(Validate.format(mass)) g") }
        if !facts.isEmpty { lines.append("  " + facts.joined(separator: ", ")) }
        if let description = sample.description { lines.append("  \(description)") }
        if let retired = sample.retiredAt {
            lines.append("  RETIRED \(retired): \(sample.retiredReason ?? "")")
        }
        func section(_ title: String, _ table: ResultTable, empty: String) {
            lines.append("")
            lines.append("\(title)\(table.rows.isEmpty ? "" : " (\(table.rows.count))")")
            if table.rows.isEmpty {
                lines.append("  \(empty)")
            } else {
                lines += table.renderText().split(separator: "\n", omittingEmptySubsequences: false)
                    .dropLast().map { "  " + $0 }
            }
        }
        section("Lineage", story.lineage, empty: "no parent, sub-samples, fractions, extracts or thin sections")
        section("Preparation", story.preparation, empty: "no preparation steps recorded")
        section("Results", story.results, empty: "no results")
        section("Soil properties", story.properties, empty: "no soil properties")
        section("QC of the batches", story.qc, empty: "no batches")
        var history = ResultTable(columns: ["at", "operator", "action", "summary", "reason"])
        history.rows = story.history.map {
            [.text($0.at), .text($0.operatorName), .text($0.action), .text($0.summary), .optionalText($0.reason)]
        }
        section("History", history, empty: "no audit entries")
        return lines.joined(separator: "\n") + "\n"
    }

    static func json(_ story: SampleStory) -> String {
        let sample = story.sample
        var history = ResultTable(columns: ["id", "at", "operator", "action", "table", "record", "summary", "reason",
                                            "old_value", "new_value"])
        history.rows = story.history.map {
            [.integer($0.id), .text($0.at), .text($0.operatorName), .text($0.action), .text($0.tableName),
             $0.recordID.map(Cell.integer) ?? .null, .text($0.summary), .optionalText($0.reason),
             .optionalText($0.oldValue), .optionalText($0.newValue)]
        }
        func decode(_ table: ResultTable) -> Any {
            (try? JSONSerialization.jsonObject(with: Data(table.renderJSON().utf8))) ?? []
        }
        let object: [String: Any] = [
            "sample": [
                "code": sample.code, "type": sample.type, "site": story.siteCode as Any,
                "treatment": story.treatment?.code as Any, "plot": sample.plotCode as Any, "parent": sample.parentCode as Any,
                "depth_top_cm": sample.depthTopCm as Any, "depth_bottom_cm": sample.depthBottomCm as Any,
                "collected_on": sample.collectedOn as Any, "mass_g": sample.massG as Any,
                "description": sample.description as Any, "retired_at": sample.retiredAt as Any,
                "retired_reason": sample.retiredReason as Any,
            ].mapValues(unwrap),
            "lineage": decode(story.lineage), "preparation": decode(story.preparation), "results": decode(story.results),
            "soil_properties": decode(story.properties), "qc": decode(story.qc), "history": decode(history),
        ]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// `nil` inside `Any` becomes JSON null.
    private static func unwrap(_ value: Any) -> Any {
        let mirror = Mirror(reflecting: value)
        guard mirror.displayStyle == .optional else { return value }
        return mirror.children.first.map { unwrap($0.value) } ?? NSNull()
    }
}
