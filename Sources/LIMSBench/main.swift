import Foundation

/// `lims-bench`: see BenchOptions.usage and the README's "Benchmark" section.
let arguments = Array(CommandLine.arguments.dropFirst())
// Internal: the benchmark spawns itself with `--read-csv FILE` (LIMSStore's CSV reader alone) and
// `--write-floor FILE DB` (a minimal importer without validation) to measure the floors under `lims`.
if (arguments.count == 2 && arguments[0] == "--read-csv") || (arguments.count == 3 && arguments[0] == "--write-floor") {
    do {
        print(arguments[0] == "--read-csv" ? try ReaderFloor.read(arguments[1])
              : try WriteFloor.run(agilentPath: arguments[1], databasePath: arguments[2]))
        exit(0)
    } catch {
        FileHandle.standardError.write(Data("Error: \(error)\n".utf8))
        exit(1)
    }
}
let options: BenchOptions
do {
    guard let parsed = try BenchOptions.parse(arguments) else {
        print(BenchOptions.usage)
        exit(0)
    }
    options = parsed
} catch {
    FileHandle.standardError.write(Data("Error: \(error)\n\(BenchOptions.usage)\n".utf8))
    exit(64)
}

do {
    exit(try BenchMain.run(options, arguments: arguments))
} catch {
    FileHandle.standardError.write(Data("Error: \(error)\n".utf8))
    exit(1)
}
