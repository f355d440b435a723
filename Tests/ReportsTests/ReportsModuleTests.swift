import XCTest
import Reports

final class ReportsModuleTests: XCTestCase {
    func testModuleLinks() {
        XCTAssertTrue(true)
    }
}
