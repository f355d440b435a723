import Foundation

/// latest.md: the machine and build, then one table per measured step, growth exponents,
/// the issue's targets, and how everything was measured.
enum MarkdownReport {
    static func render(_ r: BenchResults) -> String {
        var out: [String] = []
        let m = r.machine
        out.append("# Tailings LIMS benchmark")
        out.append("")
        out.append("Run \(m.date) with `\(r.settings.command)` (seed \(r.settings.seed), \(r.settings.repeats) repeats).")
        out.append("")
        out.append("| machine | |")
        out.append("|---|---|")
        out.append("| CPU | \(m.cpuModel), \(m.cores) cores |")
        out.append("| memory | \(String(format: "%.1f", m.memoryGB)) GB |")
        out.append("| kernel | \(m.kernel) |")
        out.append("| Swift | \(m.swiftVersion) |")
        out.append("| lims | \(m.limsVersion), \(m.limsBuild) build (`\(r.settings.lims)`) |")
        out.append("| lims-bench | \(m.benchBuild) build |")
        out.append("| sqlite3 | \(m.sqlite3Version ?? "not found") |")
        out.append("| commit | \(m.gitCommit ?? "unknown") |")
        out.append("")

        out.append("## Import: `lims import results --format masshunter` beside `sqlite3 .import`")
        out.append("")
        out.append("| lab | samples | values | file MB | lims | lims values/s | peak MB | dry run | CSV read | sqlite3 | sqlite3 values/s | ratio | stored |")
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for i in r.imports {
            out.append("| \(i.lab) | \(Format.count(i.samples)) | \(Format.count(i.values)) | \(Format.mb(i.agilentMB)) | \(time(i.lims)) | "
                + "\(i.limsValuesPerSecond.map(Format.rate) ?? "–") | \(i.lims.peakRSSMB.map(Format.mb) ?? "–") | \(time(i.dryRun)) | \(time(i.csvReader)) | "
                + "\(time(i.sqlite3)) | \(i.sqlite3ValuesPerSecond.map(Format.rate) ?? "–") | \(i.speedRatio.map(Format.ratio) ?? "–") | "
                + "\(i.storedValues.map(Format.count) ?? "–") |")
        }
        out.append("")
        out.append("Floors under the import (children of lims-bench; see below):")
        out.append("")
        out.append("| values | CSV read | floor: SHA-256 | floor: read+parse+insert | floor values/s | floor peak MB | floor ÷ sqlite3 speed | sqlite3 → schema | sqlite3 → schema values/s | ÷ sqlite3 .import speed |")
        out.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for i in r.imports {
            let rate = i.floorInsertSeconds.map { Double(i.values) / ($0 + (i.floorHashSeconds ?? 0)) }
            let ratio = rate.flatMap { a in i.sqlite3ValuesPerSecond.map { Format.ratio(a / $0) } } ?? "–"
            out.append("| \(Format.count(i.values)) | \(time(i.csvReader)) | \(i.floorHashSeconds.map(Format.seconds) ?? "–") | "
                + "\(i.floorInsertSeconds.map(Format.seconds) ?? "–") | \(rate.map(Format.rate) ?? "–") | "
                + "\(i.writeFloor.peakRSSMB.map(Format.mb) ?? "–") | \(ratio) | \(time(i.sqlite3IntoSchema)) | "
                + "\(i.sqlite3IntoSchema.seconds.map { Format.rate(Double(i.values) / $0) } ?? "–") | "
                + "\(i.sqlite3IntoSchema.seconds.flatMap { s in i.sqlite3.seconds.map { Format.ratio($0 / s) } } ?? "–") |")
        }
        out.append("")
        if let first = r.schemaCosts.first {
            let plainImport = r.imports.first { $0.values == first.values }?.sqlite3.seconds
            out.append("Where the schema's time goes: sqlite3 alone, INSERT … SELECT of \(Format.count(first.values)) values into the lims schema, one part of the per-row work removed at a time:")
            out.append("")
            out.append("| variant | wall | user CPU | values/s | ÷ sqlite3 .import speed |")
            out.append("|---|---:|---:|---:|---:|")
            for cost in r.schemaCosts {
                let rate = cost.step.seconds.map { Double(cost.values) / $0 }
                out.append("| \(cost.variant) | \(time(cost.step)) | \(cost.step.userSeconds.map(Format.seconds) ?? "–") | "
                    + "\(rate.map(Format.rate) ?? "–") | \(cost.step.seconds.flatMap { s in plainImport.map { Format.ratio($0 / s) } } ?? "–") |")
            }
            out.append("")
        }
        out.append("Registering the samples (`lims import samples`, one sheet):")
        out.append("")
        out.append("| samples | time | samples/s | peak MB | sqlite3 → schema | sqlite3 → schema samples/s | ratio |")
        out.append("|---:|---:|---:|---:|---:|---:|---:|")
        for i in r.imports {
            let reference = i.sqlite3RegisterIntoSchema
            let ratio = i.registerSamples.seconds.flatMap { lims in reference.seconds.map { Format.ratio($0 / lims) } } ?? "–"
            out.append("| \(Format.count(i.samples)) | \(time(i.registerSamples)) | "
                + "\(i.registerSamples.seconds.map { Format.rate(Double(i.samples) / $0) } ?? "–") | \(i.registerSamples.peakRSSMB.map(Format.mb) ?? "–") | "
                + "\(time(reference)) | \(reference.seconds.map { Format.rate(Double(i.samples) / $0) } ?? "–") | \(ratio) |")
        }
        out.append("")
        out.append("'sqlite3 → schema' here: the rows the register wrote (samples, preparation steps, the batch, the audit rows "
            + "with their JSON and hash chain) written again by sqlite3 alone, one INSERT … SELECT per table in one transaction, "
            + "into the database as it was before the register (foreign keys on, synchronous=FULL, WAL, 32 MB page cache): "
            + "the schema's own cost of registering, with no reading, checking, JSON or hashing. Ratio = lims speed ÷ that speed.")
        out.append("")
        if let memory = r.memory {
            out.append("Memory of the import: \(Format.mb(memory.peakRSSMBAtLargest)) MB peak at the largest file (\(Format.mb(memory.largestFileMB)) MB); "
                + "growth \(memory.mbPerGBOfFile.map { String(format: "%.1f", $0) } ?? "–") MB per GB of file; "
                + "projected \(memory.projectedPeakMBAt1GB.map(Format.mb) ?? "–") MB for a 1 GB file (fit over the \(memory.fittedFiles) files ≥ 20 MB).")
            out.append("")
        }

        out.append("## Query: `lims query results`, median of repeated runs")
        out.append("")
        if r.queries.isEmpty {
            out.append("No query scale in this run (queries run at the value scales ≥ 10^6; see --query-scales).")
        } else {
            out.append("| stored values | query | median | first line | runs | lines out | peak MB |")
            out.append("|---:|---|---:|---:|---:|---:|---:|")
            for q in r.queries {
                let median = q.firstLineOnly ? "stopped" : q.medianSeconds.map(Format.seconds) ?? (q.error == nil ? "–" : "n/a")
                out.append("| \(Format.count(q.values)) | `\(q.variant)` | \(median) | \(q.firstLineSeconds.map(Format.seconds) ?? "–") | "
                    + "\(q.runsSeconds.count) | \(q.rowsOut.map(Format.count) ?? "–") | \(q.peakRSSMB.map(Format.mb) ?? "–") |")
            }
            out.append("")
            out.append("First line: median time from spawn to the first line on stdout (for csv the header, for ndjson the first row). "
                + "\"first row\" variants are stopped (SIGTERM) once their first row is out.")
        }
        out.append("")

        out.append("## Report: `lims report all --out DIR`")
        out.append("")
        out.append("| samples | values | median | runs | files | peak MB | sqlite3 reads the values | share of the report |")
        out.append("|---:|---:|---:|---:|---:|---:|---:|---:|")
        for p in r.reports {
            let read = p.sqlite3ReadValues
            let share = p.medianSeconds.flatMap { total in read.seconds.map { String(format: "%.0f %%", 100 * $0 / total) } } ?? "–"
            out.append("| \(Format.count(p.samples)) | \(Format.count(p.values)) | \(p.medianSeconds.map(Format.seconds) ?? (p.error == nil ? "–" : "n/a")) | "
                + "\(p.runsSeconds.count) | \(p.filesOut.map(String.init) ?? "–") | \(p.peakRSSMB.map(Format.mb) ?? "–") | \(time(read)) | \(share) |")
        }
        out.append("")
        out.append("'sqlite3 reads the values': sqlite3 alone reading the columns the report's query of the stored values reads "
            + "(`ReportData.valuesSQL`: every valid value), each column into an aggregate, in one scan: "
            + "the scan every `report all` makes before any arithmetic, the floor under its time.")
        out.append("")

        out.append("## Growth with size (time ∝ size^k, log–log least squares)")
        out.append("")
        out.append("| step | size | points | k | n log n would be | within |")
        out.append("|---|---|---:|---:|---:|---|")
        for g in r.growth {
            out.append("| \(g.step) | \(g.size) | \(g.points) | \(g.exponent.map(Format.exponent) ?? "–") | "
                + "\(g.nLogNExponent.map(Format.exponent) ?? "–") | \(g.withinNLogN.map { $0 ? "yes" : "**no**" } ?? "–") |")
        }
        out.append("")

        out.append("## Targets (issues 8 and 15)")
        out.append("")
        out.append("| target | measured | met |")
        out.append("|---|---|---|")
        for t in r.targets {
            out.append("| \(t.target) | \(t.measured) | \(t.met.map { $0 ? "yes" : "**no**" } ?? "not measured") |")
        }
        out.append("")
        let missing = unavailable(r)
        if !missing.isEmpty {
            out.append("## Not available in this run (n/a above)")
            out.append("")
            out += missing.map { "- \($0)" }
            out.append("")
        }
        if let profile = r.profile {
            out.append("## Profile of the largest import (`perf record -F 499`, top symbols by self time)")
            out.append("")
            out.append("Profiled: \(r.profileSubject ?? "the import").")
            out.append("")
            out.append("```")
            out.append(profile)
            out.append("```")
            out.append("")
        }
        out.append("## How it was measured")
        out.append("")
        out += r.notes.map { "- \($0)" }
        out.append("")
        return out.joined(separator: "\n")
    }

    private static func time(_ m: StepMeasure) -> String {
        if let seconds = m.seconds { return Format.seconds(seconds) }
        return m.error == nil ? "–" : "n/a"
    }

    /// The distinct reasons steps could not run, listed once under the tables.
    static func unavailable(_ r: BenchResults) -> [String] {
        var seen: [String] = []
        func add(_ step: String, _ error: String?) {
            guard let error else { return }
            let line = "\(step): \(error.replacingOccurrences(of: "|", with: "/"))"
            if !seen.contains(line) { seen.append(line) }
        }
        for i in r.imports {
            add("register samples", i.registerSamples.error)
            add("import --dry-run", i.dryRun.error)
            add("import", i.lims.error)
            add("sqlite3 .import", i.sqlite3.error)
            add("CSV reader", i.csvReader.error)
            add("write floor", i.writeFloor.error)
            add("sqlite3 into the lims schema", i.sqlite3IntoSchema.error)
        }
        for q in r.queries { add("query \(q.variant)", q.error) }
        for p in r.reports { add("report all", p.error) }
        return seen
    }
}
