import Foundation

/// `lims-bench`: see BenchOptions.usage and the README's "Benchmark" section.
let arguments = Array(CommandLine.arguments.dropFirst())
// Internal: the benchmark spawns itself with `--read-csv FILE` to time LIMSStore's CSV reader alone.
if arguments.count == 2 && arguments[0] == "--read-csv" {
    do {
        print(try ReaderFloor.read(arguments[1]))
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
