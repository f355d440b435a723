import Foundation
import XCTest
@testable import LIMSStore
import LIMSTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// InputSource: pipes, FIFOs and standard input are read once into a private copy hashed as read.
/// SHA-256 of "abc" is the FIPS 180-2 test vector ba7816bf…15ad.
final class InputSourceTests: XCTestCase {
    var dir: URL!
    override func setUp() { dir = TestSupport.temporaryDirectory("lims-input-source") }
    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    let abcSHA = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"

    /// A FIFO whose writer (a background thread) writes `content` once a reader opens it.
    func fifo(_ name: String, content: String) -> String {
        let path = dir.appendingPathComponent(name).path
        XCTAssertEqual(mkfifo(path, 0o600), 0)
        let bytes = Array(content.utf8)
        Thread.detachNewThread {
            let fd = open(path, O_WRONLY)
            guard fd >= 0 else { return }
            _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            close(fd)
        }
        return path
    }

    func testRegularFileIsUsedInPlace() throws {
        let file = TestSupport.fixture("instruments/long_results_small.csv")
        let input = try InputSource.open(file.path, displayName: "long.csv")
        XCTAssertFalse(input.isCopy)
        XCTAssertEqual(input.url.path, file.path)
        XCTAssertEqual(input.displayName, "long.csv")
        XCTAssertEqual(try input.fingerprint(), try FileFingerprint.of(file))
        // A missing path passes through, so the importer reports it as before.
        let missing = try InputSource.open(dir.appendingPathComponent("nope.csv").path)
        XCTAssertFalse(input.isCopy || missing.isCopy)
        XCTAssertThrowsError(try InputSource.open(dir.path, displayName: "folder")) { error in
            XCTAssertEqual("\(error)", "folder: error: this is a directory; expected a file")
        }
    }

    func testFIFOIsCopiedOnceHashedAsReadAndRemovedOnClose() throws {
        let path = fifo("run.csv", content: "abc")
        let input = try InputSource.open(path, displayName: "run.csv")
        XCTAssertTrue(input.isCopy)
        XCTAssertEqual(input.url.lastPathComponent, "run.csv", "the copy keeps the original's name (batch file names)")
        XCTAssertEqual(try String(contentsOf: input.url, encoding: .utf8), "abc")
        XCTAssertEqual(try input.fingerprint(), FileFingerprint(sha256: abcSHA, size: 3))
        XCTAssertEqual(try FileFingerprint.of(input.url), FileFingerprint(sha256: abcSHA, size: 3), "the importer's own fingerprint call gets the hash taken while copying")
        let folder = input.url.deletingLastPathComponent()
        var info = stat()
        XCTAssertEqual(stat(folder.path, &info), 0)
        XCTAssertEqual(info.st_mode & 0o777, 0o700, "the copy's folder is private")
        input.close()
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.path))
        // Hashing the FIFO itself is refused: it would consume what the importer must read.
        XCTAssertThrowsError(try FileFingerprint.of(URL(fileURLWithPath: path))) { error in
            XCTAssertTrue("\(error)".contains("this is not a regular file (a pipe, FIFO or device)"), "\(error)")
        }
    }

    func testEmptyPipeAndStandardInput() throws {
        let empty = fifo("empty.csv", content: "")
        XCTAssertThrowsError(try InputSource.open(empty, displayName: "empty.csv")) { error in
            XCTAssertEqual("\(error)", "empty.csv: error: the input is empty (the pipe or stream gave no data); expected the content of a file")
        }
        XCTAssertThrowsError(try InputSource.open("/dev/zero", displayName: "/dev/zero")) { error in
            XCTAssertTrue("\(error)".hasPrefix("/dev/zero: error: the input starts with 1048576 NUL bytes"), "\(error)")
        }
        let pipe = Pipe()
        pipe.fileHandleForWriting.write(Data("abc".utf8))
        try pipe.fileHandleForWriting.close()
        let input = try InputSource.open("-", standardInput: pipe.fileHandleForReading)
        defer { input.close() }
        XCTAssertEqual(input.displayName, "<stdin>")
        XCTAssertEqual(input.url.lastPathComponent, "stdin")
        XCTAssertEqual(try input.fingerprint().sha256, abcSHA)
    }
}
