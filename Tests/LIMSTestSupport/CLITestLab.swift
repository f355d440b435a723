import Foundation
import XCTest

extension TestSupport {
    /// A database made through the `lims` binary in `directory`: site DN, treatment control, plots
    /// C1…Cn, a bulk sample Cn-S on each, and (when `extracts`) a CaCl₂ extract Cn-E of it.
    /// The setup of the CLI tests that import instrument results.
    public static func registerCLILab(in directory: URL, plots: Int = 2, extracts: Bool = true,
                                      environment: [String: String] = ["LIMS_OPERATOR": "li.wei"],
                                      file: StaticString = #filePath, line: UInt = #line) throws {
        func lims(_ arguments: String...) throws {
            let result = try runLIMS(arguments, in: directory, environment: environment)
            XCTAssertEqual(result.exitCode, 0, "lims \(arguments.joined(separator: " ")): \(result.stderr)", file: file, line: line)
        }
        try lims("init")
        try lims("site", "add", "--code", "DN")
        try lims("treatment", "add", "--site", "DN", "--code", "control")
        for n in 1...plots {
            try lims("plot", "add", "--treatment", "control", "--code", "C\(n)")
            try lims("sample", "add", "--code", "C\(n)-S", "--plot", "C\(n)")
            if extracts { try lims("sample", "add", "--code", "C\(n)-E", "--parent", "C\(n)-S", "--plot", "C\(n)", "--type", "extract") }
        }
    }
}
