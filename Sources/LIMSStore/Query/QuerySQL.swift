/// SQL shared by the queries. Aliases: s sample, p plot, t treatment, si site,
/// ps/gs parent and grandparent (a fraction or extract takes its depth from them),
/// m measurement, b import_batch.
enum QuerySQL {
    static let depthTop = "COALESCE(s.depth_top_cm, ps.depth_top_cm, gs.depth_top_cm)"
    static let depthBottom = "COALESCE(s.depth_bottom_cm, ps.depth_bottom_cm, gs.depth_bottom_cm)"

    /// Joins from `s` to its plot, treatment, site and ancestors. Inner joins when the filter
    /// needs a plot (so the planner may start from treatment → plot → sample).
    static func isScopedToPlots(_ resolved: ResolvedFilter) -> Bool {
        !resolved.treatmentIDs.isEmpty || resolved.siteID != nil || !resolved.plotIDs.isEmpty
    }

    static func sampleJoins(_ resolved: ResolvedFilter) -> String {
        let join = isScopedToPlots(resolved) ? "JOIN" : "LEFT JOIN"
        return """
            \(join) plot p ON p.id = s.plot_id
            \(join) treatment t ON t.id = p.treatment_id
            \(join) site si ON si.id = t.site_id
            LEFT JOIN sample ps ON ps.id = s.parent_id
            LEFT JOIN sample gs ON gs.id = ps.parent_id
            """
    }

    /// Conditions on the sample `s` (treatment, site, plot, sample, type, depth, retired).
    static func sampleConditions(_ resolved: ResolvedFilter) -> SQLConditions {
        var conditions = SQLConditions()
        if !resolved.treatmentIDs.isEmpty { conditions.addIn("p.treatment_id", resolved.treatmentIDs) }
        if let site = resolved.siteID { conditions.add("t.site_id = ?", site) }
        if !resolved.plotIDs.isEmpty { conditions.addIn("s.plot_id", resolved.plotIDs) }
        if !resolved.sampleIDs.isEmpty { conditions.addIn("s.id", resolved.sampleIDs) }
        if !resolved.filter.types.isEmpty { conditions.addIn("s.type", resolved.filter.types) }
        if let depth = resolved.filter.depth {
            // Overlapping intervals: top above the range's bottom and bottom below its top.
            conditions.add("\(depthTop) < ?", depth.bottom)
            conditions.add("\(depthBottom) > ?", depth.top)
        }
        if !resolved.filter.includeRetired { conditions.add("s.retired_at IS NULL") }
        return conditions
    }

    /// The matrix of a value: its own, its batch's, or that of its canonical unit.
    static let matrix = """
        COALESCE(m.matrix, b.matrix, CASE m.unit WHEN 'mg/L' THEN 'solution' WHEN 'mg/kg' THEN 'solid' END)
        """
    static let censoredQualifiers = ["<", ">", "nd"]
    static let measurementDate = "substr(COALESCE(m.measured_at, b.imported_at, m.created_at), 1, 10)"

    /// Conditions on the measurement `m` (and its batch `b`).
    static func measurementConditions(_ resolved: ResolvedFilter, dates: Bool = true) -> SQLConditions {
        var conditions = SQLConditions()
        let filter = resolved.filter
        if !filter.allVersions { conditions.add("m.status = 'valid'") }
        if !resolved.analytes.isEmpty { conditions.addIn("m.analyte", resolved.analytes) }
        if let matrix = filter.matrix { conditions.add("\(Self.matrix) = ?", matrix) }
        if !resolved.batchIDs.isEmpty { conditions.addIn("m.batch_id", resolved.batchIDs) }
        if let method = filter.method {
            let pattern = SQLConditions.containsPattern(method)
            conditions.add("(" + ["m.method", "b.method", "b.instrument"]
                .map { SQLConditions.containsFragment("COALESCE(\($0), '')") }.joined(separator: " OR ") + ")",
                           pattern, pattern, pattern)
        }
        if let censored = filter.censored { conditions.addIn("m.qualifier", censoredQualifiers, negated: !censored) }
        if dates {
            if let since = filter.since { conditions.add("\(measurementDate) >= ?", since) }
            if let until = filter.until { conditions.add("\(measurementDate) <= ?", until) }
        }
        return conditions
    }

    /// `a-b` for a depth interval, or empty.
    static func depthText(_ row: Row) -> Cell {
        guard let top = row.double("depth_top_cm"), let bottom = row.double("depth_bottom_cm") else { return .null }
        return .text("\(Validate.format(top))-\(Validate.format(bottom))")
    }
}
