import Foundation

/// The words of `lims-bench`.
struct BenchOptions {
    var valueScales: [Int] = [10_000, 100_000, 1_000_000]
    var queryScales: [Int]?
    var reportScales: [Int] = [100, 1_000, 10_000]
    var full = false
    var seed: UInt64 = 20_181_219
    var workDirectory: String?
    var limsPath: String?
    var sqlite3Path = "sqlite3"
    var repeats = 5
    var outDirectory: String?
    var matrix = "solid"
    var keepFiles = false
    var profile = false
    var generateOnly = false
    var floors = true
    var timeoutSeconds: Double = 3600

    static let usage = """
        Usage: lims-bench [--scales 1e4,1e5,1e6] [--full] [--report-scales 1e2,1e3,1e4]
                          [--query-scales 1e6,1e7] [--seed N] [--repeat N] [--work DIR] [--out DIR]
                          [--lims PATH] [--sqlite3 PATH] [--matrix solid|solution] [--profile]
                          [--no-floors] [--timeout SECONDS] [--keep] [--generate-only]

        Generates a synthetic lab (13 treatments × 5 plots, N samples on the real Agilent 7900
        panel of 69 analytes), writes its lab sheets, MassHunter batch tables and the long CSV of
        the same values, and measures `lims` (run as a user runs it) beside `sqlite3 .import`:
          import   lims import results (and --dry-run) vs sqlite3 .import; values/s, peak RSS
          query    lims query results --treatment … (long, --analyte, --wide), median of --repeat runs
          report   lims report all --out DIR at --report-scales samples
          growth   exponent of a log–log fit of time on size for every step
        Results: a Markdown table on stdout, and latest.md + latest.json in --out
        (default Sources/LIMSBench/Results of the package).

        Options:
          --scales LIST         import sizes in values (default 1e4,1e5,1e6)
          --full                add 1e7 values to --scales and 1e5 samples to --report-scales
          --query-scales LIST   sizes (values) at which queries run (default: the scales ≥ 1e6)
          --report-scales LIST  report sizes in samples (default 1e2,1e3,1e4)
          --seed N              seed of the synthetic lab (default 20181219)
          --repeat N            runs per query for the median (default 5; reports use min(N, 3))
          --work DIR            where files and databases go (default a new folder in $TMPDIR)
          --out DIR             where latest.md and latest.json go
          --lims PATH           the lims binary (default: lims next to lims-bench)
          --sqlite3 PATH        the sqlite3 shell (default sqlite3 on PATH; skipped when missing)
          --matrix M            --matrix given to lims import results (default solid)
          --profile             also run the largest import under `perf record` and keep the top symbols
          --no-floors           skip the reference floors (CSV read, minimal importer, sqlite3 into the schema)
          --timeout SECONDS     kill and report a step running longer (default 3600)
          --keep                keep the generated files and databases
          --generate-only       write the files of the largest scale and stop (no measurement)
          -h, --help            this help
        """

    static func parse(_ arguments: [String]) throws -> BenchOptions? {
        var options = BenchOptions()
        var index = 0
        func value(_ name: String) throws -> String {
            index += 1
            guard index < arguments.count else { throw BenchError("\(name) needs a value") }
            return arguments[index]
        }
        while index < arguments.count {
            let word = arguments[index]
            switch word {
            case "-h", "--help": return nil
            case "--scales": options.valueScales = try parseScales(try value(word), name: word)
            case "--query-scales": options.queryScales = try parseScales(try value(word), name: word)
            case "--report-scales": options.reportScales = try parseScales(try value(word), name: word)
            case "--full": options.full = true
            case "--seed":
                let text = try value(word)
                guard let seed = UInt64(text) else { throw BenchError("--seed: '\(text)' is not a non-negative integer") }
                options.seed = seed
            case "--repeat":
                let text = try value(word)
                guard let repeats = Int(text), repeats >= 1 else { throw BenchError("--repeat: '\(text)' is not an integer ≥ 1") }
                options.repeats = repeats
            case "--work": options.workDirectory = try value(word)
            case "--out": options.outDirectory = try value(word)
            case "--lims": options.limsPath = try value(word)
            case "--sqlite3": options.sqlite3Path = try value(word)
            case "--matrix":
                let text = try value(word)
                guard ["solid", "solution"].contains(text) else { throw BenchError("--matrix: '\(text)' is not solid or solution") }
                options.matrix = text
            case "--profile": options.profile = true
            case "--keep": options.keepFiles = true
            case "--no-floors": options.floors = false
            case "--timeout":
                let text = try value(word)
                guard let seconds = Double(text), seconds > 0 else { throw BenchError("--timeout: '\(text)' is not a number of seconds > 0") }
                options.timeoutSeconds = seconds
            case "--generate-only": options.generateOnly = true
            default: throw BenchError("unknown option '\(word)'")
            }
            index += 1
        }
        if options.full {
            options.valueScales = Array(Set(options.valueScales + [10_000_000])).sorted()
            options.reportScales = Array(Set(options.reportScales + [100_000])).sorted()
        }
        return options
    }

    /// "1e4,1e5,250000" → [10000, 100000, 250000].
    static func parseScales(_ text: String, name: String) throws -> [Int] {
        let scales = try text.split(separator: ",").map { part -> Int in
            let word = part.trimmingCharacters(in: .whitespaces)
            guard let number = Double(word), number >= 1, number <= 1e9, number == number.rounded() else {
                throw BenchError("\(name): '\(word)' is not a size like 1e4 or 25000")
            }
            return Int(number)
        }
        guard !scales.isEmpty else { throw BenchError("\(name) needs at least one size") }
        return Array(Set(scales)).sorted()
    }

    /// Sizes at which queries run.
    var effectiveQueryScales: [Int] { queryScales ?? valueScales.filter { $0 >= 1_000_000 } }
}
