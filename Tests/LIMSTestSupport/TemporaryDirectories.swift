import Foundation
import XCTest

/// The temporary directories the tests make, removed when the test bundle finishes (and the
/// short-lived ones as soon as their test is done with them). A full `swift test` used to leave
/// about 300 folders in $TMPDIR. Removal waits for the end of the bundle because some fixtures
/// (a lab built once per class) are shared by several tests.
public final class TemporaryDirectories: NSObject, XCTestObservation, @unchecked Sendable {
    public static let shared = TemporaryDirectories()

    private let lock = NSLock()
    private var paths: [URL] = []
    private var observing = false
    /// `LIMS_TEST_KEEP_TEMP=1`: keep everything (to look at a failed test's files).
    private let keep = ProcessInfo.processInfo.environment["LIMS_TEST_KEEP_TEMP"] == "1"

    /// Remembers `url` for removal at the end of the run.
    public func register(_ url: URL) {
        lock.lock()
        paths.append(url)
        let startObserving = !observing
        observing = true
        lock.unlock()
        if startObserving { XCTestObservationCenter.shared.addTestObserver(self) }
    }

    /// Removes `url` now (a directory whose test is done with it).
    public func remove(_ url: URL) {
        guard !keep else { return }
        try? FileManager.default.removeItem(at: url)
        lock.lock()
        paths.removeAll { $0 == url }
        lock.unlock()
    }

    /// Removes every registered directory.
    public func removeAll() {
        guard !keep else { return }
        lock.lock()
        let all = paths
        paths = []
        lock.unlock()
        for url in all { try? FileManager.default.removeItem(at: url) }
    }

    public func testBundleDidFinish(_ testBundle: Bundle) { removeAll() }
}
