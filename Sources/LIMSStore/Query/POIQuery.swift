/// `lims query pois`: points of interest on the micro-XRF maps of thin sections, with the
/// phase they sit in, the XANES edges measured, the Ce oxidation state and the LCF result.
extension LabStore {
    public func queryPOIs(_ filter: QueryFilter) throws -> QueryRows {
        let resolved = try resolve(filter)
        var conditions = QuerySQL.sampleConditions(resolved)
        if !filter.thinSections.isEmpty { conditions.addIn("ts.code", filter.thinSections) }
        if let phase = filter.phase { conditions.addContains("COALESCE(poi.phase, '')", phase) }
        if let edge = filter.edge {
            conditions.add("EXISTS (SELECT 1 FROM xanes_result xr WHERE xr.poi_id = poi.id AND xr.edge LIKE ? || '%')", edge)
        }
        if let state = filter.oxidationState {
            conditions.add("EXISTS (SELECT 1 FROM xanes_result xr WHERE xr.poi_id = poi.id AND xr.oxidation_state = ?)", state)
        }
        if let since = filter.since { conditions.add("xm.acquired_on >= ?", since) }
        if let until = filter.until { conditions.add("xm.acquired_on <= ?", until) }
        let sql = """
            SELECT poi.id, ts.code AS thin_section, s.code AS sample, t.code AS treatment, p.code AS plot,
                   \(QuerySQL.depthTop) AS depth_top_cm, \(QuerySQL.depthBottom) AS depth_bottom_cm,
                   xm.label AS map, xm.beamline, xm.energy_ev, xm.acquired_on, poi.label AS poi, poi.x_um, poi.y_um,
                   poi.phase,
                   (SELECT \(db.dialect.joined("edge", separator: "; ")) FROM (SELECT xr.edge FROM xanes_result xr
                                                         WHERE xr.poi_id = poi.id ORDER BY xr.edge) AS e) AS edges,
                   (SELECT \(db.dialect.joined("state", separator: "; ")) FROM (
                        SELECT xr.edge || ': ' || xr.oxidation_state
                               || COALESCE(' (Ce(IV) ' || xr.ce4_fraction || ')', '') AS state
                        FROM xanes_result xr WHERE xr.poi_id = poi.id AND xr.oxidation_state IS NOT NULL
                        ORDER BY xr.edge) AS st) AS oxidation,
                   (SELECT \(db.dialect.joined("part", separator: "; ")) FROM (
                        SELECT lf.edge || ' ' || (SELECT \(db.dialect.joined("component", separator: " + ")) FROM (
                                                      SELECT c.phase || ' ' || c.fraction AS component FROM lcf_component c
                                                      WHERE c.lcf_fit_id = lf.id ORDER BY c.fraction DESC, c.phase) AS co)
                               || COALESCE(' (R ' || lf.r_factor || ')', '') AS part
                        FROM lcf_fit lf WHERE lf.poi_id = poi.id ORDER BY lf.edge) AS pa) AS lcf
            FROM poi
            JOIN xrf_map xm ON xm.id = poi.xrf_map_id
            JOIN thin_section ts ON ts.id = xm.thin_section_id
            JOIN sample s ON s.id = ts.sample_id
            \(QuerySQL.sampleJoins(resolved))\(conditions.whereClause)
            ORDER BY t.id, p.id, s.id, ts.code, xm.label, poi.label
            """
        let columns = ["thin_section", "sample", "treatment", "plot", "depth_cm", "map", "beamline", "energy_ev",
                       "poi", "x_um", "y_um", "phase", "xanes_edges", "oxidation_state", "lcf"]
        return queryRows(columns: columns, sql: sql, arguments: conditions.arguments) { row in
            [
                .optionalText(row.string("thin_section")), .optionalText(row.string("sample")),
                .optionalText(row.string("treatment")), .optionalText(row.string("plot")), QuerySQL.depthText(row),
                .optionalText(row.string("map")), .optionalText(row.string("beamline")), .number(row.double("energy_ev")),
                .optionalText(row.string("poi")), .number(row.double("x_um")), .number(row.double("y_um")),
                .optionalText(row.string("phase")), .optionalText(row.string("edges")),
                .optionalText(row.string("oxidation")), .optionalText(row.string("lcf")),
            ]
        }
    }
}
