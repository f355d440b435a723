import Foundation

/// Builds each synthetic lab, drives `lims` and `sqlite3` on it, and collects the numbers.
/// A step whose command fails is recorded as "not available: <first stderr line>" and the
/// run goes on, so a partial build still yields every number it can.
final class BenchmarkRunner {
    let options: BenchOptions
    let lims: String
    let sqlite3: String?
    let work: String
    private(set) var results: BenchResults

    /// One database to build: its sample count and what is measured on it.
    struct LabPlan {
        var samples: Int
        var nominalValues: Int?
        var reportSamples: Int?
        var runQueries = false
        var name: String {
            var parts: [String] = []
            if let nominalValues { parts.append("\(Format.scale(nominalValues)) values") }
            if let reportSamples { parts.append("\(Format.scale(reportSamples)) samples") }
            return parts.joined(separator: " / ")
        }
    }

    init(options: BenchOptions, lims: String, sqlite3: String?, work: String, machine: MachineInfo, command: String) {
        self.options = options
        self.lims = lims
        self.sqlite3 = sqlite3
        self.work = work
        results = BenchResults(machine: machine, settings: .init(
            command: command, seed: options.seed, valueScales: options.valueScales,
            queryScales: options.effectiveQueryScales, reportScales: options.reportScales, repeats: options.repeats,
            matrix: options.matrix, lims: lims, sqlite3: sqlite3, workDirectory: work))
    }

    /// Labs by sample count; a value scale and a report scale that need the same lab share it.
    func plans() -> [LabPlan] {
        var bySamples: [Int: LabPlan] = [:]
        for values in options.valueScales {
            let samples = SyntheticLab.samples(forValues: values)
            bySamples[samples, default: LabPlan(samples: samples)].nominalValues = values
            if options.effectiveQueryScales.contains(values) { bySamples[samples]!.runQueries = true }
        }
        for samples in options.reportScales {
            bySamples[samples, default: LabPlan(samples: samples)].reportSamples = samples
        }
        return bySamples.values.sorted { $0.samples < $1.samples }
    }

    var environment: [String: String] {
        let inherited = ProcessInfo.processInfo.environment
        return ["PATH": inherited["PATH"] ?? "/usr/bin:/bin", "HOME": inherited["HOME"] ?? work,
                "USER": "bench", "LIMS_OPERATOR": "bench", "LANG": "C.UTF-8"]
    }

    func log(_ line: String) {
        FileHandle.standardError.write(Data("[lims-bench] \(line)\n".utf8))
    }

    /// Runs `lims --db DB ARGS…`, output to files in the lab's folder.
    func runLIMS(_ database: String, _ arguments: [String], label: String, in directory: String,
                 timeFirstLine: Bool = false, stopAfterFirstLine: Bool = false) -> ChildRun? {
        do {
            return try ChildProcess.run(lims, ["--db", database] + arguments, stdout: "\(directory)/\(label).out",
                                        stderr: "\(directory)/\(label).err", environment: environment,
                                        timeFirstLine: timeFirstLine, stopAfterFirstLine: stopAfterFirstLine)
        } catch {
            log("\(label): \(error)")
            return nil
        }
    }

    func measure(_ run: ChildRun?) -> StepMeasure {
        guard let run else { return .unavailable("not available: could not start") }
        return .from(run)
    }

    func runAll() throws -> BenchResults {
        for plan in plans() {
            try runLab(plan)
        }
        results.growth = growthFits()
        results.memory = memoryFit()
        results.targets = targetChecks()
        results.notes = Self.methodNotes
        results.notes[1] = "Peak memory: " + ChildProcess.memoryMethod + "."
        return results
    }

    // MARK: One lab

    func runLab(_ plan: LabPlan) throws {
        let directory = "\(work)/lab-\(plan.samples)"
        try? FileManager.default.removeItem(atPath: directory)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let lab = SyntheticLab(sampleCount: plan.samples, seed: options.seed)
        log("\(plan.name): generating \(plan.samples) samples …")
        let genStart = ChildProcess.monotonicSeconds()
        let sheets = try lab.writeSheets(in: directory)
        let run = try lab.writeRun(agilentPath: "\(directory)/run_User_Raw.csv", longPath: "\(directory)/run_long.csv")
        let generateSeconds = ChildProcess.monotonicSeconds() - genStart
        log("\(plan.name): \(run.values) values, \(Format.megabytes(run.agilentBytes)) MB Agilent, \(Format.megabytes(run.longBytes)) MB long, in \(Format.seconds(generateSeconds))")

        var result = ImportResult(
            lab: plan.name, samples: plan.samples, rows: run.rows, values: run.values,
            agilentMB: Double(run.agilentBytes) / 1_048_576, longMB: Double(run.longBytes) / 1_048_576,
            generateSeconds: generateSeconds, registerSamples: .unavailable("not run"), csvReader: .unavailable("not run"),
            writeFloor: .unavailable("not run"),
            dryRun: .unavailable("not run"),
            lims: .unavailable("not run"), sqlite3: .unavailable("not run"))

        // sqlite3 first: its database is separate, and the page cache then holds the values for both.
        result.sqlite3 = runSQLite(longPath: run.longPath, directory: directory, expectedRows: run.values,
                                   rowsOut: &result.sqlite3Rows)
        if options.floors {
            result.csvReader = measure(try? ChildProcess.run(
                BenchMain.executableDirectory.appendingPathComponent("lims-bench").path, ["--read-csv", run.agilentPath],
                stdout: "\(directory)/read-csv.out", stderr: "\(directory)/read-csv.err", environment: environment))
            runWriteFloor(agilentPath: run.agilentPath, directory: directory, result: &result)
            // Where the schema's cost goes, once, at the largest lab of at most 10^6 values.
            let ablate = plan.samples == plans().filter { SyntheticLab.valueCount(samples: $0.samples) <= 1_000_000 }.last?.samples
            result.sqlite3IntoSchema = runSQLiteIntoSchema(directory: directory, expectedRows: run.values, ablate: ablate)
        } else {
            result.csvReader = .unavailable("skipped (--no-floors)")
            result.writeFloor = .unavailable("skipped (--no-floors)")
            result.sqlite3IntoSchema = .unavailable("skipped (--no-floors)")
            try? FileManager.default.removeItem(atPath: "\(directory)/sqlite3.sqlite")
        }

        let database = "\(directory)/lab.sqlite"
        let prepared = prepareDatabase(database, sheets: sheets, directory: directory, result: &result)
        if prepared && options.floors {
            result.sqlite3RegisterIntoSchema = runSQLiteRegisterReference(database, samples: plan.samples, directory: directory)
        } else {
            result.sqlite3RegisterIntoSchema = .unavailable(options.floors ? "not run" : "skipped (--no-floors)")
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: database + ".before-samples" + suffix) }
        }
        if prepared {
            let importArguments = ["import", "results", run.agilentPath, "--format", "masshunter", "--matrix", options.matrix]
            result.dryRun = measure(runLIMS(database, importArguments + ["--dry-run"], label: "import-dry-run", in: directory))
            if options.profile && plan.samples == plans().last?.samples {
                try? FileManager.default.copyItem(atPath: database, toPath: database + ".profile")
            }
            result.lims = measure(runLIMS(database, importArguments, label: "import", in: directory))
            log("\(plan.name): import \(Format.step(result.lims)), dry run \(Format.step(result.dryRun)), sqlite3 \(Format.step(result.sqlite3))")
            if result.lims.error == nil { result.storedValues = storedValues(database, directory: directory) }
            if options.profile && plan.samples == plans().last?.samples && result.lims.error == nil {
                results.profileSubject = "lims import results, \(Format.count(run.values)) values"
                results.profile = profile([lims, "--db", database + ".profile"] + importArguments, directory: directory)
            }
        } else {
            for step in [\ImportResult.dryRun, \ImportResult.lims] { result[keyPath: step] = result.registerSamples }
        }
        if options.profile && plan.samples == plans().last?.samples && results.profile == nil {
            // Without a working lims import, profile the floor importer: the SQLite and Swift costs under it.
            results.profileSubject = "the floor importer (lims-bench --write-floor; lims import not available), \(Format.count(run.values)) values"
            results.profile = profile([BenchMain.executableDirectory.appendingPathComponent("lims-bench").path, "--write-floor",
                                       run.agilentPath, "\(directory)/floor-profile.sqlite"], directory: directory)
        }
        result.computeRates()
        results.imports.append(result)

        if plan.runQueries { runQueries(database, plan: plan, values: run.values, directory: directory, failure: result.lims.error) }
        if let reportSamples = plan.reportSamples {
            runReports(database, plan: plan, samples: reportSamples, values: run.values, directory: directory,
                       failure: result.lims.error)
        }
        if !options.keepFiles { try? FileManager.default.removeItem(atPath: directory) }
    }

    /// The minimal importer (WriteFloor) in a child of our own binary, on a database of its own.
    func runWriteFloor(agilentPath: String, directory: String, result: inout ImportResult) {
        let database = "\(directory)/floor.sqlite"
        let run = try? ChildProcess.run(BenchMain.executableDirectory.appendingPathComponent("lims-bench").path,
                                        ["--write-floor", agilentPath, database], stdout: "\(directory)/floor.out",
                                        stderr: "\(directory)/floor.err", environment: environment)
        result.writeFloor = measure(run)
        if let run, run.succeeded, let text = try? String(contentsOfFile: run.stdoutPath, encoding: .utf8) {
            for pair in text.split(whereSeparator: { $0 == " " || $0 == "\n" }) {
                let parts = pair.split(separator: "=")
                guard parts.count == 2 else { continue }
                if parts[0] == "hash_seconds" { result.floorHashSeconds = Double(parts[1]) }
                if parts[0] == "insert_seconds" { result.floorInsertSeconds = Double(parts[1]) }
                if parts[0] == "rows", Int(parts[1]) != result.values {
                    result.writeFloor.error = "the floor inserted \(parts[1]) rows, expected \(result.values)"
                }
            }
        }
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: database + suffix) }
    }

    /// `lims init` and the four lab sheets; false (with the reason in `result`) when any fails.
    func prepareDatabase(_ database: String, sheets: SyntheticLab.SheetFiles, directory: String,
                         result: inout ImportResult) -> Bool {
        let steps: [(String, [String])] = [
            ("init", ["init"]),
            ("import-sites", ["import", "sites", sheets.sites]),
            ("import-treatments", ["import", "treatments", sheets.treatments]),
            ("import-plots", ["import", "plots", sheets.plots]),
            ("import-samples", ["import", "samples", sheets.samples]),
        ]
        for (label, arguments) in steps {
            if label == "import-samples" { copyDatabase(database, to: database + ".before-samples") }
            let step = measure(runLIMS(database, arguments, label: label, in: directory))
            if label == "import-samples" { result.registerSamples = step }
            if let error = step.error {
                let reason = "\(error) (lims \(arguments.prefix(2).joined(separator: " ")))"
                result.registerSamples = .unavailable(reason)
                log("\(result.lab): \(reason)")
                return false
            }
        }
        return true
    }

    /// A closed database's file with its WAL, if one is left.
    func copyDatabase(_ database: String, to copy: String) {
        for suffix in ["", "-wal", "-shm"] {
            try? FileManager.default.removeItem(atPath: copy + suffix)
            if FileManager.default.fileExists(atPath: database + suffix) {
                try? FileManager.default.copyItem(atPath: database + suffix, toPath: copy + suffix)
            }
        }
    }

    /// 'sqlite3 → schema' of the register (RegisterReference): lims's own rows of `import samples`
    /// written again by sqlite3 alone into the database as it was before; checks the count.
    func runSQLiteRegisterReference(_ database: String, samples: Int, directory: String) -> StepMeasure {
        let before = database + ".before-samples", staged = "\(directory)/register-staged.sqlite"
        defer {
            for path in [before, staged] { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        }
        guard let sqlite3 else { return .unavailable("not available: sqlite3 not found") }
        guard FileManager.default.fileExists(atPath: before) else { return .unavailable("not available: no copy before the register") }
        guard let staging = try? ChildProcess.run(sqlite3, [database, RegisterReference.stagingScript(before: before, staged: staged)],
                                                  stdout: "\(directory)/register-stage.out", stderr: "\(directory)/register-stage.err",
                                                  environment: environment), staging.succeeded else {
            return .unavailable("not available: could not stage the register's rows with sqlite3")
        }
        return countCheckedSQLite3(sqlite3, [before, RegisterReference.insertScript(staged: staged)], label: "register-insert",
                                   in: directory, expected: samples, what: "wrote", of: "samples") {
            $0.split(separator: "\n").last.map(String.init) ?? ""
        }
    }

    /// A timed sqlite3 run whose output carries a count (read by `count`), failed when it is not `expected`.
    func countCheckedSQLite3(_ sqlite3: String, _ arguments: [String], label: String, in directory: String, expected: Int,
                             what verb: String, of noun: String, count: (String) -> String) -> StepMeasure {
        let run = try? ChildProcess.run(sqlite3, arguments, stdout: "\(directory)/\(label).out",
                                        stderr: "\(directory)/\(label).err", environment: environment)
        var step = measure(run)
        if step.error == nil {
            let found = count((try? String(contentsOfFile: "\(directory)/\(label).out", encoding: .utf8)) ?? "")
            if Int(found) != expected { step.error = "sqlite3 \(verb) \(found) \(noun), expected \(expected)" }
        }
        return step
    }

    /// measurement + qc_measurement rows, from `lims status --format csv`.
    func storedValues(_ database: String, directory: String) -> Int? {
        guard let run = runLIMS(database, ["status", "--format", "csv"], label: "status", in: directory), run.succeeded,
              let text = try? String(contentsOfFile: run.stdoutPath, encoding: .utf8) else { return nil }
        var total = 0
        for line in text.split(separator: "\n") {
            let cells = line.split(separator: ",")
            if cells.count == 2, ["measurement", "qc_measurement"].contains(String(cells[0])), let n = Int(cells[1]) { total += n }
        }
        return total
    }

    func runSQLite(longPath: String, directory: String, expectedRows: Int, rowsOut: inout Int?) -> StepMeasure {
        guard let sqlite3 else { return .unavailable("not available: sqlite3 not found") }
        let database = "\(directory)/sqlite3.sqlite"
        guard let run = try? ChildProcess.run(sqlite3, [database, ".mode csv", ".import \(longPath) measurement_long"],
                                              stdout: "\(directory)/sqlite3.out", stderr: "\(directory)/sqlite3.err",
                                              environment: environment) else {
            return .unavailable("not available: could not start sqlite3")
        }
        var step = StepMeasure.from(run)
        if step.error == nil, let count = ChildProcess.capture(sqlite3, [database, "SELECT count(*) FROM measurement_long"], in: directory) {
            rowsOut = Int(count)
            if rowsOut != expectedRows { step.error = "sqlite3 imported \(count) rows, expected \(expectedRows)" }
        }
        return step
    }

    /// How fast SQLite itself does the database work of the import (`SchemaReference`): a
    /// database made by `lims init`, the samples registered and the rows staged (untimed), then
    /// one timed sqlite3 run moving the same rows lims writes into the same tables.
    func runSQLiteIntoSchema(directory: String, expectedRows: Int, ablate: Bool) -> StepMeasure {
        guard let sqlite3 else { return .unavailable("not available: sqlite3 not found") }
        let plain = "\(directory)/sqlite3.sqlite", schema = "\(directory)/schema.sqlite"
        defer {
            for path in [plain, schema] { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        }
        guard FileManager.default.fileExists(atPath: plain) else { return .unavailable("not available: no sqlite3 table") }
        guard let initRun = runLIMS(schema, ["init"], label: "schema-init", in: directory), initRun.succeeded else {
            return .unavailable("not available: lims init failed")
        }
        let attach = "ATTACH '\(plain.replacingOccurrences(of: "'", with: "''"))' AS src;"
        let register = attach + """
            BEGIN;
            INSERT INTO site (code) VALUES ('DN');
            INSERT INTO treatment (site_id, code) VALUES (1, 'control');
            INSERT INTO plot (treatment_id, code) VALUES (1, 'C1');
            INSERT INTO sample (code, plot_id, type)
                SELECT DISTINCT sample, 1, 'bulk' FROM src.measurement_long WHERE sample GLOB '*-[0-9]*';
            INSERT INTO import_batch (kind, file_name, sha256, file_size, format, operator)
                VALUES ('results', 'run_long.csv', printf('%064d', 0), 0, 'long', 'bench');
            COMMIT;
            BEGIN;
            """ + SchemaReference.stagingScript + "COMMIT;"
        guard let prepared = try? ChildProcess.run(sqlite3, [schema, register], stdout: "\(directory)/schema-prep.out",
                                                   stderr: "\(directory)/schema-prep.err", environment: environment),
              prepared.succeeded else { return .unavailable("not available: could not register samples and stage the rows with sqlite3") }
        let base = "\(directory)/schema-base.sqlite"
        if ablate { try? FileManager.default.copyItem(atPath: schema, toPath: base) }
        let insert = SchemaReference.insertScript(attach: attach, variant: SchemaReference.asLimsRunsIt)
        guard let run = try? ChildProcess.run(sqlite3, [schema, insert], stdout: "\(directory)/schema-insert.out",
                                              stderr: "\(directory)/schema-insert.err", environment: environment) else {
            return .unavailable("not available: could not start sqlite3")
        }
        if ablate {
            // Every secondary index of the two tables in this schema (later migrations may add some).
            let indexes = ChildProcess.capture(sqlite3, [base, "SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name IN ('measurement', 'qc_measurement') AND sql IS NOT NULL ORDER BY name"], in: directory)?
                .split(separator: "\n").map(String.init) ?? []
            for variant in SchemaReference.variants(indexes: indexes.count) {
                let copy = "\(directory)/schema-variant.sqlite"
                for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: copy + suffix) }
                try? FileManager.default.copyItem(atPath: base, toPath: copy)
                if variant.orChainChecks {
                    _ = try? ChildProcess.run(sqlite3, [copy, SchemaReference.orChainSchemaEdit], stdout: "\(directory)/variant-edit.out",
                                              stderr: "\(directory)/variant-edit.err", environment: environment)
                }
                let sql = SchemaReference.insertScript(attach: attach, variant: variant, dropIndexes: indexes)
                let measured = (try? ChildProcess.run(sqlite3, [copy, sql], stdout: "\(directory)/variant.out",
                                                      stderr: "\(directory)/variant.err", environment: environment))
                results.schemaCosts.append(SchemaCost(variant: variant.name, values: expectedRows,
                                                      step: measure(measured)))
                for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: copy + suffix) }
            }
            try? FileManager.default.removeItem(atPath: base)
        }
        var step = StepMeasure.from(run)
        if step.error == nil,
           let count = ChildProcess.capture(sqlite3, [schema, "SELECT (SELECT count(*) FROM measurement) + (SELECT count(*) FROM qc_measurement)"], in: directory),
           Int(count) != expectedRows {
            step.error = "sqlite3 inserted \(count) rows into measurement and qc_measurement, expected \(expectedRows)"
        }
        return step
    }

    // MARK: Queries and reports

    /// The queries run at each query scale. `firstLineOnly` variants are stopped after their
    /// first row: they measure what a user waits before output starts, not the whole output.
    static let queryVariants: [(name: String, arguments: [String], firstLineOnly: Bool)] = [
        ("--treatment", ["query", "results", "--treatment", "control", "--format", "csv"], false),
        ("--treatment --analyte La", ["query", "results", "--treatment", "control", "--analyte", "La", "--format", "csv"], false),
        ("--treatment --wide", ["query", "results", "--treatment", "control", "--wide", "--format", "csv"], false),
        ("--treatment --format ndjson", ["query", "results", "--treatment", "control", "--format", "ndjson"], false),
        ("all values --format ndjson, first row", ["query", "results", "--format", "ndjson"], true),
        ("--treatment --analyte La --format ndjson, first row",
         ["query", "results", "--treatment", "control", "--analyte", "La", "--format", "ndjson"], true),
    ]

    func runQueries(_ database: String, plan: LabPlan, values: Int, directory: String, failure: String?) {
        for variant in Self.queryVariants {
            var query = QueryResult(lab: plan.name, values: values, variant: variant.name, arguments: variant.arguments,
                                    runsSeconds: [])
            if let failure {
                query.error = "needs the import: \(failure)"
            } else {
                var peak = 0.0
                var firstLines: [Double] = []
                query.firstLineOnly = variant.firstLineOnly
                for attempt in 0..<options.repeats {
                    guard let run = runLIMS(database, variant.arguments, label: "query", in: directory, timeFirstLine: true,
                                            stopAfterFirstLine: variant.firstLineOnly) else { break }
                    guard run.succeeded else { query.error = "not available: \(run.firstErrorLine)"; break }
                    query.runsSeconds.append(run.seconds)
                    if let first = run.firstLineSeconds { firstLines.append(first) }
                    peak = max(peak, run.peakRSSMB)
                    if attempt == options.repeats - 1 && !variant.firstLineOnly { query.rowsOut = ChildProcess.countLines(run.stdoutPath) }
                }
                let done = query.error == nil
                query.medianSeconds = done && !variant.firstLineOnly ? Statistics.median(query.runsSeconds) : nil
                query.firstLineSeconds = done && !firstLines.isEmpty ? Statistics.median(firstLines) : nil
                query.peakRSSMB = done && !variant.firstLineOnly ? peak : nil
            }
            log("\(plan.name): query \(variant.name): \(query.medianSeconds.map(Format.seconds) ?? "")"
                + " first line \(query.firstLineSeconds.map(Format.seconds) ?? query.error ?? "")")
            results.queries.append(query)
        }
    }

    func runReports(_ database: String, plan: LabPlan, samples: Int, values: Int, directory: String, failure: String?) {
        var report = ReportResult(lab: plan.name, samples: samples, values: values, runsSeconds: [])
        if let failure {
            report.error = "needs the import: \(failure)"
        } else {
            var peak = 0.0
            for _ in 0..<min(options.repeats, 3) {
                let out = "\(directory)/report"
                try? FileManager.default.removeItem(atPath: out)
                // An existing folder: the report goes in as report.md with its figures (a missing path would be one file).
                try? FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
                guard let run = runLIMS(database, ["report", "all", "--out", out], label: "report", in: directory) else { break }
                guard run.succeeded else { report.error = "not available: \(run.firstErrorLine)"; break }
                report.runsSeconds.append(run.seconds)
                peak = max(peak, run.peakRSSMB)
                report.filesOut = FileManager.default.enumerator(atPath: out)?.allObjects.count
            }
            if report.error == nil {
                report.medianSeconds = Statistics.median(report.runsSeconds)
                report.peakRSSMB = peak
            }
            report.sqlite3ReadValues = options.floors ? runSQLiteReadValues(database, values: values, directory: directory)
                : .unavailable("skipped (--no-floors)")
        }
        log("\(plan.name): report all: \(report.medianSeconds.map(Format.seconds) ?? report.error ?? "")")
        results.reports.append(report)
    }

    /// sqlite3 alone reading what the report's query of the values reads (the columns and filter of
    /// `ReportData.valuesSQL`), each column into an aggregate in one flat scan (nothing printed per row;
    /// as a subquery with its ORDER BY id, sqlite3 took twice as long); checks that it saw every value.
    func runSQLiteReadValues(_ database: String, values: Int, directory: String) -> StepMeasure {
        guard let sqlite3 else { return .unavailable("not available: sqlite3 not found") }
        let sql = """
            PRAGMA cache_size = -32768;
            SELECT count(*), sum(sample_id), max(analyte), sum(value), max(qualifier), sum(detection_limit),
                max(trim(unit)), max(method), sum(batch_id)
            FROM measurement WHERE status = 'valid' AND sample_id IS NOT NULL;

            """
        return countCheckedSQLite3(sqlite3, [database, sql], label: "read-values", in: directory, expected: values,
                                   what: "read", of: "values") { $0.split(separator: "|").first.map(String.init) ?? "" }
    }

    /// One more run of the largest import under `perf record` (lims on a copy of the database
    /// taken before the measured import, or the floor importer); the top symbols, demangled.
    func profile(_ command: [String], directory: String) -> String? {
        guard let perf = ChildProcess.locate("perf") else { return "perf not found; no profile" }
        let data = "\(directory)/perf.data"
        guard let record = try? ChildProcess.run(perf, ["record", "-F", "499", "-o", data, "--"] + command,
                                                 stdout: "\(directory)/perf.out", stderr: "\(directory)/perf.err",
                                                 environment: environment), record.succeeded else {
            return "perf record failed (perf_event_paranoid?); no profile"
        }
        // Share of each library first (SQLite, libc's malloc, Swift runtime, our code), then symbols.
        var byLibrary = ""
        if let libraries = try? ChildProcess.run(perf, ["report", "-i", data, "--stdio", "--no-children", "--percent-limit", "0.5",
                                                        "--sort", "dso"],
                                                 stdout: "\(directory)/perf-dso.txt", stderr: "\(directory)/perf-dso.err",
                                                 environment: environment), libraries.succeeded,
           let text = try? String(contentsOfFile: libraries.stdoutPath, encoding: .utf8) {
            byLibrary = text.split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.trimmingCharacters(in: .whitespaces).isEmpty }
                .prefix(8).joined(separator: "\n") + "\n\n"
        }
        guard let report = try? ChildProcess.run(perf, ["report", "-i", data, "--stdio", "--no-children", "--percent-limit", "0.7",
                                                        "--sort", "dso,symbol"],
                                                 stdout: "\(directory)/perf-report.txt", stderr: "\(directory)/perf-report.err",
                                                 environment: environment), report.succeeded,
              var text = try? String(contentsOfFile: report.stdoutPath, encoding: .utf8) else {
            return "perf report failed; no profile"
        }
        if let swift = ChildProcess.locate("swift"),
           let demangled = try? ChildProcess.run(swift, ["demangle", "--simplified"], stdout: "\(directory)/perf-demangled.txt",
                                                 stderr: "\(directory)/perf-demangled.err", environment: environment,
                                                 stdin: report.stdoutPath), demangled.succeeded,
           let plain = try? String(contentsOfFile: demangled.stdoutPath, encoding: .utf8) {
            text = plain
        }
        return byLibrary + text.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.hasPrefix("#") && !$0.trimmingCharacters(in: .whitespaces).isEmpty }
            .map { $0.replacing(/\s+-\s+-\s*$/, with: "") }
            .prefix(40).joined(separator: "\n")
    }

    // MARK: Fits and targets

    func growthFits() -> [GrowthFit] {
        var fits: [GrowthFit] = []
        func fit(_ step: String, _ size: String, _ points: [(n: Double, seconds: Double)]) {
            let slope = Statistics.logLogSlope(points)
            let bound = Statistics.nLogNSlope(points.map(\.n))
            fits.append(GrowthFit(step: step, size: size, points: points.count, exponent: slope, nLogNExponent: bound,
                                  withinNLogN: slope.flatMap { s in bound.map { s <= $0 + 0.05 } }))
        }
        let imports = results.imports
        fit("lims import results (Agilent)", "values", imports.compactMap { r in r.lims.seconds.map { (Double(r.values), $0) } })
        fit("CSVReader alone (Agilent file)", "values", imports.compactMap { r in r.csvReader.seconds.map { (Double(r.values), $0) } })
        fit("floor: SHA-256 of the file", "values", imports.compactMap { r in r.floorHashSeconds.map { (Double(r.values), $0) } })
        fit("floor: read + parse + insert", "values", imports.compactMap { r in r.floorInsertSeconds.map { (Double(r.values), $0) } })
        fit("lims import results --dry-run", "values", imports.compactMap { r in r.dryRun.seconds.map { (Double(r.values), $0) } })
        fit("sqlite3 .import (long CSV)", "values", imports.compactMap { r in r.sqlite3.seconds.map { (Double(r.values), $0) } })
        fit("sqlite3 INSERT…SELECT into the lims schema", "values", imports.compactMap { r in r.sqlite3IntoSchema.seconds.map { (Double(r.values), $0) } })
        fit("lims import samples (sheet)", "samples", imports.compactMap { r in r.registerSamples.seconds.map { (Double(r.samples), $0) } })
        for variant in Self.queryVariants {
            fit("lims query results \(variant.name)", "values",
                results.queries.filter { $0.variant == variant.name }.compactMap { q in q.medianSeconds.map { (Double(q.values), $0) } })
        }
        fit("lims report all", "samples", results.reports.compactMap { r in r.medianSeconds.map { (Double(r.samples), $0) } })
        return fits
    }

    /// Peak RSS against file size. Small files measure process start and noise, so the
    /// projection to 1 GB uses only files of 20 MB and more.
    func memoryFit() -> MemoryFit? {
        let points = results.imports.compactMap { r in r.lims.peakRSSMB.map { (x: r.agilentMB / 1024, y: $0) } }
        guard let largest = points.max(by: { $0.x < $1.x }) else { return nil }
        let large = points.filter { $0.x * 1024 >= 20 }
        let line = Set(large.map(\.x)).count >= 2 ? Statistics.linearFit(large) : nil
        return MemoryFit(largestFileMB: largest.x * 1024, peakRSSMBAtLargest: largest.y, mbPerGBOfFile: line?.slope,
                         projectedPeakMBAt1GB: line.map { max(largest.y, $0.intercept + $0.slope) }, fittedFiles: large.count)
    }

    func targetChecks() -> [TargetCheck] {
        var checks: [TargetCheck] = []
        if let largest = results.imports.filter({ $0.speedRatio != nil }).max(by: { $0.values < $1.values }),
           let ratio = largest.speedRatio {
            checks.append(TargetCheck(target: "import ≥ 0.5 × sqlite3 .import speed",
                                      measured: "\(Format.ratio(ratio)) at \(Format.count(largest.values)) values", met: ratio >= 0.5))
        } else {
            checks.append(TargetCheck(target: "import ≥ 0.5 × sqlite3 .import speed", measured: "not measured", met: nil))
        }
        if let memory = results.memory {
            let largestText = "\(Format.mb(memory.peakRSSMBAtLargest)) MB at \(Format.mb(memory.largestFileMB)) MB file"
            if memory.largestFileMB >= 1024 {
                checks.append(TargetCheck(target: "import peak memory < 100 MB for a 1 GB file", measured: largestText,
                                          met: memory.peakRSSMBAtLargest < 100))
            } else if let projected = memory.projectedPeakMBAt1GB {
                checks.append(TargetCheck(target: "import peak memory < 100 MB for a 1 GB file",
                                          measured: "\(largestText); \(Format.mb(projected)) MB projected at 1 GB (fit over \(memory.fittedFiles) files ≥ 20 MB)",
                                          met: projected < 100))
            } else {
                checks.append(TargetCheck(target: "import peak memory < 100 MB for a 1 GB file",
                                          measured: "\(largestText); no projection (needs two files ≥ 20 MB)", met: nil))
            }
        } else {
            checks.append(TargetCheck(target: "import peak memory < 100 MB for a 1 GB file", measured: "not measured", met: nil))
        }
        for variant in Self.queryVariants.prefix(2) {
            let at1e7 = results.queries.first { $0.variant == variant.name && $0.values >= 10_000_000 && $0.medianSeconds != nil }
            checks.append(TargetCheck(
                target: "query \(variant.name) over 10⁷ values < 100 ms (#8)",
                measured: at1e7.map { "\(Format.milliseconds($0.medianSeconds!)) (\(Format.count($0.rowsOut ?? 0)) rows out)" }
                    ?? "not measured (needs --full and the query command)",
                met: at1e7.map { $0.medianSeconds! < 0.1 }))
        }
        let report1e4 = results.reports.first { $0.samples == 10_000 && $0.medianSeconds != nil }
        checks.append(TargetCheck(target: "report all on 10⁴ samples < 2 s (#8)",
                                  measured: report1e4.map { Format.seconds($0.medianSeconds!) } ?? "not measured",
                                  met: report1e4.map { $0.medianSeconds! < 2 }))
        // The issue's steps are lims's own; the floors and sqlite3 are references.
        let fitted = results.growth.filter { $0.withinNLogN != nil && $0.step.hasPrefix("lims ") }
        let slow = fitted.filter { $0.withinNLogN == false }
        checks.append(TargetCheck(
            target: "no step grows faster than n log n",
            measured: fitted.isEmpty ? "not measured"
                : slow.isEmpty ? "all \(fitted.count) fitted steps within"
                : slow.map { "\($0.step): n^\(Format.exponent($0.exponent!))" }.joined(separator: "; "),
            met: fitted.isEmpty ? nil : slow.isEmpty))
        return checks + scaleTargetChecks()
    }

    /// The targets of issue 15 (scale and streaming), each met, not met or not measured.
    func scaleTargetChecks() -> [TargetCheck] {
        var checks: [TargetCheck] = []
        let report1e5 = results.reports.first { $0.samples >= 100_000 && $0.medianSeconds != nil }
        checks.append(TargetCheck(target: "report all at 10⁵ samples < 5 s (#15)",
                                  measured: report1e5.map { report in
                                      // The scan of the values alone says how much of the 5 s is left for the report's own work.
                                      Format.seconds(report.medianSeconds!)
                                          + (report.sqlite3ReadValues.seconds.map { "; sqlite3 alone reading its values \(Format.seconds($0))" } ?? "")
                                  } ?? "not measured (needs --full)",
                                  met: report1e5.map { $0.medianSeconds! < 5 }))
        checks.append(TargetCheck(target: "report all at 10⁵ samples < 300 MB peak (#15)",
                                  measured: report1e5.flatMap { $0.peakRSSMB }.map { "\(Format.mb($0)) MB" } ?? "not measured (needs --full)",
                                  met: report1e5.flatMap { $0.peakRSSMB }.map { $0 < 300 }))
        let reportGrowth = results.growth.first { $0.step == "lims report all" && $0.withinNLogN != nil }
        checks.append(TargetCheck(target: "report all grows no faster than n log n (#15)",
                                  measured: reportGrowth.map { "n^\(Format.exponent($0.exponent!)) over \($0.points) sizes "
                                      + "(n log n: n^\(Format.exponent($0.nLogNExponent!)))" } ?? "not measured",
                                  met: reportGrowth?.withinNLogN))
        for variant in Self.queryVariants where variant.firstLineOnly {
            let at1e7 = results.queries.first { $0.variant == variant.name && $0.values >= 10_000_000 && $0.firstLineSeconds != nil }
            checks.append(TargetCheck(target: "query results \(variant.name) at 10⁷ values < 100 ms (#15)",
                                      measured: at1e7.map { Format.milliseconds($0.firstLineSeconds!) } ?? "not measured (needs --full)",
                                      met: at1e7.map { $0.firstLineSeconds! < 0.1 }))
        }
        checks.append(queryMemoryCheck())
        let samples1e5 = results.imports.first { $0.samples >= 100_000 && $0.registerSamples.seconds != nil }
        let samplesRate = samples1e5.map { Double($0.samples) / $0.registerSamples.seconds! }
        checks.append(TargetCheck(target: "import samples ≥ 50 k samples/s at 10⁵ (#15)",
                                  measured: samplesRate.map { rate in
                                      // What sqlite3 alone reaches writing the same rows says whether the schema allows the target.
                                      let floor = samples1e5!.sqlite3RegisterIntoSchema.seconds.map {
                                          "; sqlite3 → schema of the same rows \(Format.rate(Double(samples1e5!.samples) / $0))"
                                      } ?? ""
                                      return "\(Format.rate(rate)) at \(Format.count(samples1e5!.samples)) samples\(floor)"
                                  } ?? "not measured (needs --full)",
                                  met: samplesRate.map { $0 >= 50_000 }))
        checks.append(importVersusSchemaCheck())
        return checks
    }

    /// "Memory flat in the number of rows for every format": each full query's peak at the
    /// largest scale within 32 MB of its peak at the smallest.
    func queryMemoryCheck() -> TargetCheck {
        let target = "query results peak memory flat in the rows out, every format (largest − smallest scale < 32 MB) (#15)"
        var parts: [String] = []
        var met = true
        for variant in Self.queryVariants where !variant.firstLineOnly {
            let runs = results.queries.filter { $0.variant == variant.name && $0.peakRSSMB != nil }
            guard let small = runs.min(by: { $0.values < $1.values }), let large = runs.max(by: { $0.values < $1.values }),
                  large.values > small.values else { continue }
            let growth = large.peakRSSMB! - small.peakRSSMB!
            met = met && growth < 32
            parts.append("\(variant.name): \(Format.mb(small.peakRSSMB!)) → \(Format.mb(large.peakRSSMB!)) MB")
        }
        return TargetCheck(target: target, measured: parts.isEmpty ? "not measured (needs two query scales)" : parts.joined(separator: "; "),
                           met: parts.isEmpty ? nil : met)
    }

    /// lims import results against sqlite3 alone filling the same schema (INSERT … SELECT),
    /// at the largest lab where both ran.
    func importVersusSchemaCheck() -> TargetCheck {
        let target = "import results ≥ 0.8 × sqlite3 INSERT … SELECT of the same rows into the same schema (#15)"
        guard let lab = results.imports.filter({ $0.lims.seconds != nil && $0.sqlite3IntoSchema.seconds != nil })
                .max(by: { $0.values < $1.values }) else {
            return TargetCheck(target: target, measured: "not measured (needs the floors)", met: nil)
        }
        let ratio = lab.sqlite3IntoSchema.seconds! / lab.lims.seconds!
        return TargetCheck(target: target,
                           measured: "\(Format.ratio(ratio)) at \(Format.count(lab.values)) values "
                               + "(lims \(Format.rate(Double(lab.values) / lab.lims.seconds!)), "
                               + "sqlite3 → schema \(Format.rate(Double(lab.values) / lab.sqlite3IntoSchema.seconds!)))",
                           met: ratio >= 0.8)
    }

    static let methodNotes = [
        "Wall time: CLOCK_MONOTONIC from posix_spawn to wait4 of the child — what a user waits, process start included.",
        "Peak memory: ru_maxrss of that one child from wait4(2) (Linux reports kilobytes; the kernel's high-water mark of resident memory, not polled).",
        "Values: concentration cells of the run (samples + CalBlk/CalStd rows) × 69 analytes; the long CSV for sqlite3 holds exactly these cells, one per row (sample,analyte,value,unit,qualifier,detection_limit,method,measured_on).",
        "sqlite3: `sqlite3 DB \".mode csv\" \".import long.csv measurement_long\"` into a new plain table (TEXT columns, no index, one transaction); the row count is checked afterwards.",
        "Floors under the import, in children of lims-bench itself: 'CSV read' = LIMSStore.CSVReader reading every record of the Agilent file; 'floor' = a minimal importer without validation (SHA-256 of the file with LIMSStore.SHA256, then CSVReader → Double → the 23 columns lims writes, per value, through lims's own write path (LIMSStore.BulkInsert: one INSERT … SELECT per 4096 rows) into the real `measurement` table and indexes, one transaction, WAL + synchronous=FULL as lims opens it, all on one thread). lims import − floor = validation and bookkeeping, less what lims's second thread hides.",
        "'sqlite3 → schema' = the database work of the import done by sqlite3 alone: the rows exactly as lims writes them (the same 23 measurement columns incl. one created_at per batch, the calibration rows as qc_sample + qc_measurement rows), staged beforehand from the plain table (untimed, like registering the samples), then moved by INSERT … SELECT in one timed run into a database made by `lims init` — the same constraints, foreign keys and indexes, connection set as lims's (foreign keys on, synchronous=FULL, WAL, 32 MB page cache), one transaction, no parsing, matching or validation.",
        "Import vs dry run: --dry-run reads, parses and validates the whole file but writes nothing, so (import − dry run) is the cost of writing rows and indexes.",
        "Queries and reports: every run is a fresh `lims` process on a warm page cache; the median of --repeat runs (reports min(repeat, 3)).",
        "Growth: least-squares slope of ln(time) on ln(size) over the sizes measured; an n·log n step would show the 'n log n' exponent over the same sizes; a step passes when its exponent ≤ that + 0.05. Small sizes are dominated by process start, which flattens exponents.",
    ]
}

/// Number formatting for the tables.
enum Format {
    static func scale(_ n: Int) -> String {
        let exponent = log10(Double(n))
        return exponent == exponent.rounded() ? "10^\(Int(exponent))" : count(n)
    }
    static func count(_ n: Int) -> String {
        let digits = Array(String(n))
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return out
    }
    static func seconds(_ s: Double) -> String { s < 1 ? milliseconds(s) : String(format: "%.2f s", s) }
    static func milliseconds(_ s: Double) -> String { String(format: "%.1f ms", s * 1000) }
    static func megabytes(_ bytes: Int) -> String { String(format: "%.1f", Double(bytes) / 1_048_576) }
    static func mb(_ value: Double) -> String { String(format: "%.1f", value) }
    static func ratio(_ value: Double) -> String { String(format: "%.2f×", value) }
    static func exponent(_ value: Double) -> String { String(format: "%.2f", value) }
    static func rate(_ perSecond: Double) -> String {
        perSecond >= 1e6 ? String(format: "%.2f M/s", perSecond / 1e6) : String(format: "%.0f k/s", perSecond / 1e3)
    }
    static func step(_ m: StepMeasure) -> String {
        if let seconds = m.seconds { return "\(Self.seconds(seconds)), \(mb(m.peakRSSMB ?? 0)) MB" }
        return m.error ?? "-"
    }
}
