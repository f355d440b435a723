import XCTest
@testable import LIMSStore
import LIMSTestSupport

final class QueryScratchTests: XCTestCase {
    func testWriteFixture() throws {
        let path = "/tmp/qfix.sqlite"
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        let store = try LabStore.create(path: path, operatorName: "tester")
        try FixtureLab.build(store)
    }
}
