import LIMSStore

/// `lims query samples|results|extractions|fractions|properties|pois`: the questions of a
/// working day without SQL. Filters combine (all must hold); repeatable ones mean "any of".
enum QueryCommands {
    static var query: CommandSpec {
        CommandSpec(
            name: "query", abstract: "Find samples, results, extractions, fractions, soil properties or POIs by treatment, plot, depth, element …",
            discussion: """
                Filters combine. Analytes are element symbols or the groups REE (La-Lu), LREE (La-Eu),
                HREE (Gd-Lu) and REY (REE + Y), repeatable or comma-separated. Censored values print as
                <DL (e.g. <0.01), never as numbers. Only current values are shown; --all-versions adds
                superseded and retired ones. An empty answer prints a notice on stderr and exits 0.
                """,
            subcommands: [samples, results, extractions, fractions, properties, pois])
    }

    // MARK: Options

    static let scopeOptions: [OptionSpec] = [
        .value("treatment", "code", help: "Only samples of this treatment.", repeatable: true),
        .value("site", "code", help: "Only samples of this site."),
        .value("plot", "code", help: "Only samples of this plot.", repeatable: true),
        .value("sample", "code", help: "Only this sample.", repeatable: true),
        .value("type", "type", help: "Only samples of this type (bulk, block, size_fraction, extract …).", repeatable: true),
        .value("depth", "from-to", help: "Only samples whose depth interval overlaps FROM-TO cm, e.g. 0-10."),
        .flag("include-retired", help: "Also retired samples."),
    ]

    static let measurementOptions: [OptionSpec] = [
        .value("analyte", "names", help: "Elements or groups (REE, LREE, HREE, REY), e.g. Ce or La,Ce or REE.", repeatable: true),
        .value("matrix", "matrix", help: "solid (mg/kg) or solution (mg/L).", choices: ["solid", "solution"]),
        .value("batch", "id|file", help: "Only values of this import batch (id or file name).", repeatable: true),
        .value("method", "text", help: "Only values whose method or instrument contains this text, e.g. ICP-MS."),
        .flag("censored", help: "Only censored values (<DL, >range, nd)."),
        .flag("no-censored", help: "Only uncensored values."),
        .flag("all-versions", help: "Also superseded and retired values (their history)."),
    ]

    static func dateOptions(_ what: String) -> [OptionSpec] {
        [.value("since", "date", help: "Only \(what) on or after this date (YYYY-MM-DD)."),
         .value("until", "date", help: "Only \(what) on or before this date (YYYY-MM-DD).")]
    }

    static let output: [OptionSpec] = [FormatOption.table, FormatOption.raw]

    // MARK: Subcommands

    static let samples = CommandSpec(
        name: "samples", abstract: "Samples by treatment, plot, depth … and by the results they have or lack.",
        options: scopeOptions + measurementOptions + dateOptions("samples collected") + [
            .flag("with-results", help: "Only samples with matching results (the default when a results filter is given)."),
            .flag("without-results", help: "Only samples WITHOUT matching results (what still needs measuring)."),
        ] + output,
        examples: ["lims query samples --plot M3 --method ICP-MS --matrix solid --without-results",
                   "lims query samples --treatment ramie --depth 0-10"],
        run: { try emit(try samplesRows($0), $0, noun: "samples") })

    static func samplesRows(_ invocation: Invocation) throws -> QueryRows {
        var filter = try filterFrom(invocation)
        if invocation.flag("with-results") && invocation.flag("without-results") {
            throw invocation.usageError("Use either --with-results or --without-results, not both.")
        }
        if invocation.flag("with-results") { filter.withResults = true }
        if invocation.flag("without-results") { filter.withResults = false }
        return try invocation.openStore(readOnly: true).querySamples(filter)
    }

    static let results = CommandSpec(
        name: "results", abstract: "Measured values (one per row, or samples × analytes with --wide).",
        discussion: """
            csv, json and ndjson stream: the first row comes out at once and memory stays flat however
            many values match. json and ndjson give value and detection_limit as numbers (value null when
            censored) with qualifier (=, <, >, nd), censored (true/false) and reported (<0.05). --wide
            --format csv gives numeric columns per analyte: La, La_qualifier, La_dl.
            --limit/--offset page the values (the samples, with --wide).
            """,
        options: scopeOptions + measurementOptions + dateOptions("values measured") + [
            .flag("wide", help: "One row per sample, one column per analyte with its unit (e.g. 'La (mg/kg)'); with --format csv numeric columns La, La_qualifier, La_dl."),
            .value("limit", "n", help: "At most N rows (values; samples with --wide)."),
            .value("offset", "n", help: "Skip the first N rows (values; samples with --wide)."),
            .value("format", "format", help: "Output format: table, csv, json or ndjson (one JSON object a line) (default: table).",
                   choices: ["table", "csv", "json", "ndjson"]),
            FormatOption.raw,
        ],
        examples: ["lims query results --treatment ramie --analyte Ce --type extract",
                   "lims query results --treatment control --analyte REE --matrix solid --wide --format csv > control.csv",
                   "lims query results --analyte Ce --format ndjson --limit 1000 --offset 2000"],
        run: { invocation in
            var filter = try filterFrom(invocation)
            filter.limit = try invocation.count("limit")
            filter.offset = try invocation.count("offset")
            let store = try invocation.openStore(readOnly: true)
            let format = invocation.value("format") ?? "table"
            let sink = RowSink { invocation.console.write($0) }
            if invocation.flag("wide") {
                if filter.allVersions { throw invocation.usageError("--wide shows current values only; drop --all-versions.") }
                if format == "ndjson" { throw invocation.usageError("--wide takes --format table, csv or json; ndjson is for the long listing.") }
                var count: Int
                var duplicates: Int
                if format == "csv" {
                    (count, duplicates) = try ResultStreamWriter.writeWideCSV(store, filter, raw: invocation.flag("raw"), sink: sink)
                } else {
                    let (table, dups) = try store.wideResults(filter)
                    (count, duplicates) = (table.rows.count, dups)
                    if count > 0 || format == "json" {
                        invocation.console.write(invocation.outputFormat.render(table, guardingFormulas: !invocation.flag("raw")))
                    }
                }
                if duplicates > 0 {
                    invocation.console.warning("\(duplicates) sample × analyte cell(s) had more than one current value; "
                                               + "the latest is shown (the long listing shows them all).")
                }
                if count == 0 { invocation.console.err("No results match.") }
                return ExitCode.success
            }
            if format == "json" || format == "ndjson" {
                let count = try ResultStreamWriter.writeJSON(store, filter, lines: format == "ndjson", sink: sink)
                if count == 0 { invocation.console.err("No results match.") }
                return ExitCode.success
            }
            return try emit(try store.queryResults(filter), invocation, noun: "results")
        })

    static let extractions = CommandSpec(
        name: "extractions",
        abstract: "CaCl2 extractions; with --analyte, the extract values, extractable mg/kg soil and % of total.",
        options: scopeOptions + measurementOptions + dateOptions("extractions done") + output,
        examples: ["lims query extractions --treatment ramie --analyte Ce"],
        run: { try emit(try extractionsRows($0), $0, noun: "extractions") })

    static func extractionsRows(_ invocation: Invocation) throws -> QueryRows {
        try invocation.openStore(readOnly: true).queryExtractions(try filterFrom(invocation))
    }

    static let fractions = CommandSpec(
        name: "fractions", abstract: "Size fractions with mass %; with --analyte, the fractions' values.",
        options: scopeOptions + measurementOptions + dateOptions("samples collected") + output,
        examples: ["lims query fractions --sample C1-S --analyte La,Ce"],
        run: { try emit(try fractionsRows($0), $0, noun: "size fractions") })

    static func fractionsRows(_ invocation: Invocation) throws -> QueryRows {
        try invocation.openStore(readOnly: true).queryFractions(try filterFrom(invocation))
    }

    static let properties = CommandSpec(
        name: "properties", abstract: "Soil properties (pH, CEC, exchangeable cations, TOC, TN …).",
        options: scopeOptions + [
            .value("property", "name", help: "Only this property, e.g. pH_H2O or CEC.", repeatable: true),
            .value("batch", "id|file", help: "Only values of this import batch (id or file name).", repeatable: true),
            .flag("censored", help: "Only censored values."),
            .flag("no-censored", help: "Only uncensored values."),
            .flag("all-versions", help: "Also superseded and retired values."),
        ] + dateOptions("values measured") + output,
        examples: ["lims query properties --treatment control --property pH_H2O"],
        run: { try emit(try propertiesRows($0), $0, noun: "soil properties") })

    static func propertiesRows(_ invocation: Invocation) throws -> QueryRows {
        var filter = try filterFrom(invocation)
        filter.properties = invocation.values("property")
        return try invocation.openStore(readOnly: true).queryProperties(filter)
    }

    static let pois = CommandSpec(
        name: "pois", abstract: "Points of interest on thin-section maps: phase, XANES edges, Ce oxidation state, LCF.",
        options: scopeOptions + [
            .value("thin-section", "code", help: "Only this thin section.", repeatable: true),
            .value("phase", "text", help: "Only POIs whose phase contains this text, e.g. 'Fe-rich'."),
            .value("edge", "edge", help: "Only POIs with XANES at this edge, e.g. 'Ce L3' or Ce."),
            .value("oxidation-state", "state", help: "Only POIs with this Ce oxidation state.",
                   choices: ["Ce(III)", "Ce(IV)", "mixed"]),
        ] + dateOptions("maps acquired") + output,
        examples: ["lims query pois --treatment control --edge Ce"],
        run: { try emit(try poisRows($0), $0, noun: "POIs") })

    static func poisRows(_ invocation: Invocation) throws -> QueryRows {
        var filter = try filterFrom(invocation)
        filter.thinSections = invocation.values("thin-section")
        filter.phase = invocation.value("phase")
        filter.edge = invocation.value("edge")
        filter.oxidationState = invocation.value("oxidation-state")
        return try invocation.openStore(readOnly: true).queryPOIs(filter)
    }

    // MARK: Shared

    /// The filter of a query or export call; malformed depths and dates are usage errors (exit 64).
    static func filterFrom(_ invocation: Invocation) throws -> QueryFilter {
        var filter = QueryFilter()
        filter.treatments = invocation.values("treatment")
        filter.site = invocation.value("site")
        filter.plots = invocation.values("plot")
        filter.samples = invocation.values("sample")
        filter.types = invocation.values("type")
        if let text = invocation.value("depth") {
            guard let depth = DepthRange.parse(text) else {
                throw invocation.usageError("The value '\(text)' is invalid for '--depth'; expected FROM-TO in cm "
                                            + "with 0 ≤ FROM < TO, e.g. 0-10.")
            }
            filter.depth = depth
        }
        filter.analytes = invocation.values("analyte")
        filter.matrix = invocation.value("matrix")
        filter.batches = invocation.values("batch")
        filter.method = invocation.value("method")
        filter.since = try invocation.date("since")
        filter.until = try invocation.date("until")
        if let since = filter.since, let until = filter.until, since > until {
            throw invocation.usageError("--since \(since) is after --until \(until).")
        }
        if invocation.flag("censored") && invocation.flag("no-censored") {
            throw invocation.usageError("Use either --censored or --no-censored, not both.")
        }
        if invocation.flag("censored") { filter.censored = true }
        if invocation.flag("no-censored") { filter.censored = false }
        filter.allVersions = invocation.flag("all-versions")
        filter.includeRetired = invocation.flag("include-retired")
        return filter
    }

    /// Prints rows in the chosen format; an empty answer is a one-line notice on stderr, exit 0.
    static func emit(_ rows: QueryRows, _ invocation: Invocation, noun: String) throws -> Int32 {
        let count = try RowWriter.write(rows, format: invocation.outputFormat, invocation: invocation)
        if count == 0 { invocation.console.err("No \(noun) match.") }
        return ExitCode.success
    }

    static func emit(_ table: ResultTable, _ invocation: Invocation, noun: String) throws -> Int32 {
        if table.rows.isEmpty {
            if invocation.outputFormat != .table {
                invocation.console.write(invocation.outputFormat.render(table, guardingFormulas: !invocation.flag("raw")))
            }
            invocation.console.err("No \(noun) match.")
            return ExitCode.success
        }
        invocation.console.write(invocation.outputFormat.render(table, guardingFormulas: !invocation.flag("raw")))
        return ExitCode.success
    }
}
