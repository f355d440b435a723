import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What one run of a child process cost.
struct ChildRun: Sendable {
    let exitCode: Int32
    /// Wall time between spawn and reaping, monotonic clock.
    let seconds: Double
    let userSeconds: Double
    let systemSeconds: Double
    /// Peak resident set of the measured program, kilobytes (see `ChildProcess.memoryMethod`).
    let peakRSSKB: Int
    let stdoutPath: String
    let stderrPath: String
    /// Time from spawn to the first newline on stdout, when the run was asked to watch for it.
    var firstLineSeconds: Double? = nil

    var succeeded: Bool { exitCode == 0 }
    var peakRSSMB: Double { Double(peakRSSKB) / 1024 }

    /// The first non-empty line of stderr, for "not available: …".
    var firstErrorLine: String {
        let text = (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? ""
        let line = text.split(separator: "\n").first.map(String.init) ?? ""
        return line.isEmpty ? "exit status \(exitCode)" : line
    }
}

/// Spawns children with posix_spawn and reaps them with wait4, so each run's own CPU times
/// and peak RSS are known (Foundation's Process reaps the child itself and hides them).
/// stdout and stderr go to files: a large query result can never stall on a full pipe.
///
/// Peak memory: Linux carries the high-water mark of the pre-exec address space into the
/// child's `ru_maxrss`, and posix_spawn's child shares ours until exec — so a direct wait4
/// would never report less than lims-bench's own size. When GNU time is installed the
/// program runs under `/usr/bin/time -f "%U %S %M"` (a 2 MB C program that forks, execs and
/// wait4s it), which lowers that floor to time's own size; otherwise wait4 is used directly
/// and the floor is stated in the results.
enum ChildProcess {
    static let gnuTime: String? = FileManager.default.isExecutableFile(atPath: "/usr/bin/time") ? "/usr/bin/time" : nil

    static var memoryMethod: String {
        gnuTime != nil
            ? "ru_maxrss of the program as reported by GNU time (/usr/bin/time -f %M, from its wait4 of the program); kilobytes → MB"
            : "ru_maxrss from wait4(2) of the child (no GNU time here): floored at lims-bench's own peak RSS, so small values read high"
    }

    /// A step running longer than this is killed (with its process group) and reported, so one
    /// hung command cannot stall the whole benchmark. Set from --timeout before any run.
    nonisolated(unsafe) static var timeoutSeconds: Double = 3600

    static func run(_ executable: String, _ arguments: [String], stdout: String, stderr: String,
                    environment: [String: String], stdin: String = "/dev/null",
                    timeFirstLine: Bool = false, stopAfterFirstLine: Bool = false) throws -> ChildRun {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, stdin, O_RDONLY, 0)
        // Watching for the first line needs a pipe: we copy it to the stdout file as it comes.
        var pipeEnds: [Int32] = [-1, -1]
        let timeFirstLine = timeFirstLine || stopAfterFirstLine
        if timeFirstLine {
            guard pipe(&pipeEnds) == 0 else { throw BenchError("pipe failed: \(String(cString: strerror(errno)))") }
            posix_spawn_file_actions_adddup2(&actions, pipeEnds[1], 1)
            posix_spawn_file_actions_addclose(&actions, pipeEnds[0])
            posix_spawn_file_actions_addclose(&actions, pipeEnds[1])
        } else {
            posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        }
        posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o644)

        let statsPath = stderr + ".rusage"
        var command = [executable] + arguments
        if let gnuTime { command = [gnuTime, "-f", "%U %S %M", "-o", statsPath] + command }
        let argv: [UnsafeMutablePointer<CChar>?] = command.map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        // Its own process group, so a timeout kills GNU time and the program under it together.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attributes, 0)
        var pid: pid_t = 0
        let start = monotonicSeconds()
        let spawned = posix_spawn(&pid, command[0], &actions, &attributes, argv, envp)
        if timeFirstLine { close(pipeEnds[1]) }
        guard spawned == 0 else {
            if timeFirstLine { close(pipeEnds[0]) }
            throw BenchError("cannot start \(command[0]): \(String(cString: strerror(spawned)))")
        }
        let group = pid
        let watchdog = DispatchWorkItem { kill(-group, SIGKILL) }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeoutSeconds, execute: watchdog)
        defer { watchdog.cancel() }
        var firstLine: Double?
        if timeFirstLine {
            // Stopping there measures the latency of the whole query without paying for all of its output.
            firstLine = try copyWatchingFirstLine(from: pipeEnds[0], to: stdout, start: start,
                                                  onFirstLine: stopAfterFirstLine ? { kill(-group, SIGTERM) } : nil)
        }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) == -1 {
            guard errno == EINTR else { throw BenchError("wait4 failed for \(executable): \(String(cString: strerror(errno)))") }
        }
        let seconds = monotonicSeconds() - start
        // WIFEXITED / WEXITSTATUS / WTERMSIG are macros Swift cannot import.
        let signal = status & 0x7F
        var exitCode: Int32 = signal == 0 ? (status >> 8) & 0xFF : 128 + signal
        // Stopped on purpose after its first line: that run did what was asked of it.
        if stopAfterFirstLine, firstLine != nil, signal == SIGTERM || exitCode == 128 + SIGTERM { exitCode = 0 }
        var user = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
        var system = Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
        var peakKB = Int(usage.ru_maxrss)
        if gnuTime != nil {
            // The last line is "user system maxrss-KB" (a line before it notes a non-zero exit).
            let text = (try? String(contentsOfFile: statsPath, encoding: .utf8)) ?? ""
            try? FileManager.default.removeItem(atPath: statsPath)
            let fields = text.split(separator: "\n").last?.split(separator: " ") ?? []
            if fields.count == 3, let u = Double(fields[0]), let s = Double(fields[1]), let m = Int(fields[2]) {
                user = u
                system = s
                peakKB = m
            }
        }
        if seconds >= timeoutSeconds, exitCode != 0 {
            let note = "killed after the --timeout of \(Int(timeoutSeconds)) s\n"
            let previous = (try? String(contentsOfFile: stderr, encoding: .utf8)) ?? ""
            try? (note + previous).write(toFile: stderr, atomically: true, encoding: .utf8)
        }
        return ChildRun(exitCode: exitCode, seconds: seconds, userSeconds: user, systemSeconds: system,
                        peakRSSKB: peakKB, stdoutPath: stdout, stderrPath: stderr, firstLineSeconds: firstLine)
    }

    /// Copies the child's stdout pipe to `path` until EOF; returns the time (since `start`) at
    /// which the first newline arrived — what a user waits before the first row shows.
    private static func copyWatchingFirstLine(from descriptor: Int32, to path: String, start: Double,
                                              onFirstLine: (() -> Void)?) throws -> Double? {
        defer { close(descriptor) }
        let file = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard file >= 0 else { throw BenchError("cannot write \(path): \(String(cString: strerror(errno)))") }
        defer { close(file) }
        var firstLine: Double?
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            _ = buffer.withUnsafeBytes { write(file, $0.baseAddress, count) }
            if firstLine == nil, buffer[0..<count].contains(UInt8(ascii: "\n")) {
                firstLine = monotonicSeconds() - start
                onFirstLine?()
            }
        }
        return firstLine
    }

    static func monotonicSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }

    /// An executable by name on $PATH (or a path as given), nil when absent.
    static func locate(_ nameOrPath: String) -> String? {
        if nameOrPath.contains("/") {
            return FileManager.default.isExecutableFile(atPath: nameOrPath) ? nameOrPath : nil
        }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(nameOrPath)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Runs a short command and returns its stdout (machine info, versions); nil on failure.
    static func capture(_ executable: String, _ arguments: [String], in directory: String) -> String? {
        guard let path = locate(executable) else { return nil }
        let out = directory + "/.capture.out", err = directory + "/.capture.err"
        defer { try? FileManager.default.removeItem(atPath: out); try? FileManager.default.removeItem(atPath: err) }
        guard let run = try? ChildProcess.run(path, arguments, stdout: out, stderr: err,
                                              environment: ProcessInfo.processInfo.environment),
              run.succeeded else { return nil }
        return (try? String(contentsOfFile: out, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Lines in a file (rows a query printed), counted in 1 MiB chunks.
    static func countLines(_ path: String) -> Int {
        guard let handle = FileHandle(forReadingAtPath: path) else { return 0 }
        defer { try? handle.close() }
        var lines = 0
        while let chunk = try? handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            lines += chunk.reduce(0) { $0 + ($1 == 10 ? 1 : 0) }
        }
        return lines
    }
}
