import Foundation
import LIMSStore

/// The floor under any import: LIMSStore's streaming CSVReader reading every record of the
/// file and nothing else (no parsing of numbers, no SQLite). Run in a child process so its
/// time and peak memory are measured the same way as `lims`.
enum ReaderFloor {
    static func read(_ path: String) throws -> String {
        let reader = try CSVReader(url: URL(fileURLWithPath: path))
        var records = 0, fields = 0
        while let record = try reader.next() {
            records += 1
            fields += record.fields.count
        }
        return "\(records) records, \(fields) fields, \(reader.bytesRead) bytes"
    }
}
