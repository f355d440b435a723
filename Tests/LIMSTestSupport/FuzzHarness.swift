import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs seeded fuzz cases so that every failure can be replayed: each case has its own seed
/// (derived from the run's master seed), a time limit (a hang fails the case instead of the
/// whole suite waiting forever), and a crash prints the case and seed before the process dies.
public enum FuzzHarness {
    public struct Failure: CustomStringConvertible, Sendable {
        public let target: String
        public let caseIndex: Int
        public let seed: UInt64
        public let message: String
        public var description: String {
            "\(target) case \(caseIndex) (seed 0x\(String(seed, radix: 16))): \(message) "
                + "— replay with LIMS_FUZZ_SEED and this case index"
        }
    }

    /// Runs `cases` cases of `body`; returns the failures (empty = all passed).
    /// `body` gets the case's own generator and returns nil when the property held.
    public static func run(target: String, master: UInt64, cases: Int, timeLimit: TimeInterval = 5,
                           stopAfter: Int = 5,
                           _ body: @escaping @Sendable (inout SeededRandom, Int) -> String?) -> [Failure] {
        CrashNote.install()
        let worker = DispatchQueue(label: "fuzz \(target)")
        var failures: [Failure] = []
        for index in 0..<cases {
            let seed = SeededRandom.caseSeed(master: master, index: index)
            CrashNote.set("fuzz crash: \(target) case \(index) seed 0x\(String(seed, radix: 16)) master 0x\(String(master, radix: 16))\n")
            let outcome = Outcome()
            let done = DispatchSemaphore(value: 0)
            // One worker thread for the whole run (a thread per case costs more than the case).
            worker.async {
                var random = SeededRandom(seed: seed)
                outcome.set(body(&random, index))
                done.signal()
            }
            if done.wait(timeout: .now() + timeLimit) == .timedOut {
                failures.append(Failure(target: target, caseIndex: index, seed: seed,
                                        message: "did not finish within \(timeLimit) s (a hang)"))
                break // the stuck thread keeps running; stop here
            }
            if let message = outcome.value {
                failures.append(Failure(target: target, caseIndex: index, seed: seed, message: message))
                if failures.count >= stopAfter { break }
            }
        }
        CrashNote.set("")
        return failures
    }

    private final class Outcome: @unchecked Sendable {
        private let lock = NSLock()
        private var message: String?
        func set(_ value: String?) { lock.lock(); message = value; lock.unlock() }
        var value: String? { lock.lock(); defer { lock.unlock() }; return message }
    }
}

/// A note written to stderr if the process dies of a signal (a Swift trap, a segfault)
/// while a fuzz case runs: the case and seed, so the crash can be replayed.
enum CrashNote {
    nonisolated(unsafe) static var buffer: UnsafeMutablePointer<CChar> = {
        let pointer = UnsafeMutablePointer<CChar>.allocate(capacity: 1024)
        pointer.initialize(repeating: 0, count: 1024)
        return pointer
    }()
    nonisolated(unsafe) static var installed = false
    nonisolated(unsafe) static var previous: [Int32: sigaction] = [:]
    static let signals: [Int32] = [SIGILL, SIGTRAP, SIGSEGV, SIGBUS, SIGFPE, SIGABRT]

    static func set(_ text: String) {
        let bytes = Array(text.utf8.prefix(1023))
        for (i, byte) in bytes.enumerated() { buffer[i] = CChar(bitPattern: byte) }
        buffer[bytes.count] = 0
    }

    static func install() {
        #if os(Linux)
        guard !installed else { return }
        installed = true
        for signal in signals {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { number in
                let text = CrashNote.buffer
                _ = write(2, text, strlen(text))
                // Hand the signal to whoever had it before (the Swift runtime's backtracer, or the default).
                if var old = CrashNote.previous[number] {
                    sigaction(number, &old, nil)
                } else {
                    Glibc.signal(number, SIG_DFL)
                }
                raise(number)
            }
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0
            var old = sigaction()
            sigaction(signal, &action, &old)
            previous[signal] = old
        }
        #endif
    }
}
