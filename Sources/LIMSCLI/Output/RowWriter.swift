import Foundation
import LIMSStore

/// Writes query rows as they come (CSV and tables stream; JSON collects them).
/// Output to a file goes to a temporary file renamed into place at the end, so a failed
/// export never leaves a half-written file behind.
final class RowSink {
    private var buffer = ""
    private let flushAt = 1 << 16
    private let write: (String) -> Void

    init(write: @escaping (String) -> Void) { self.write = write }

    func append(_ text: String) {
        buffer += text
        if buffer.utf8.count >= flushAt { flush() }
    }

    func flush() {
        if !buffer.isEmpty { write(buffer); buffer = "" }
    }
}

enum RowWriter {
    /// Writes `rows` in `format` to the console (or `outputPath`); returns the number of rows.
    @discardableResult
    static func write(_ rows: QueryRows, format: OutputFormat, invocation: Invocation,
                      outputPath: String? = nil, outputOption: String = "--out") throws -> Int {
        if let outputPath {
            let target = URL(fileURLWithPath: try invocation.checkedOutputPath(outputPath, option: outputOption))
            let temporary = target.deletingLastPathComponent()
                .appendingPathComponent(".\(target.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).part")
            guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else {
                throw StoreError.invalidValue(field: outputOption, value: outputPath, expected: "a file in a folder that exists and can be written")
            }
            let handle = try FileHandle(forWritingTo: temporary)
            var count = 0
            do {
                count = try write(rows, format: format, raw: invocation.flag("raw"), sink: RowSink { handle.write(Data($0.utf8)) })
                try handle.close()
                if FileManager.default.fileExists(atPath: target.path) { try FileManager.default.removeItem(at: target) }
                try FileManager.default.moveItem(at: temporary, to: target)
            } catch {
                try? handle.close()
                try? FileManager.default.removeItem(at: temporary)
                throw error
            }
            return count
        }
        return try write(rows, format: format, raw: invocation.flag("raw"), sink: RowSink { invocation.console.write($0) })
    }

    /// RFC 4180 quoting, checked on UTF-8 bytes (the common case, no quoting, stays cheap).
    static func escape(_ field: String) -> String {
        let needsQuotes = field.withCString { strpbrk($0, ",\"\r\n") != nil }
        return needsQuotes ? CSVText.escape(field) : field
    }

    /// `raw`: text cells as stored; otherwise a cell that would start a spreadsheet formula gets an apostrophe.
    private static func write(_ rows: QueryRows, format: OutputFormat, raw: Bool, sink: RowSink) throws -> Int {
        var count = 0
        switch format {
        case .csv:
            sink.append(rows.columns.map(CSVText.escape).joined(separator: ",") + "\n")
            try rows.forEachRow { cells in
                count += 1
                var line = ""
                for index in 0..<cells.count {
                    if index > 0 { line += "," }
                    switch cells[index] {
                    case .null: break
                    case .integer(let value): line += String(value)
                    case .number(_, let display): line += display   // numbers and "<0.01" never need quotes
                    case .text(let text): line += escape(raw ? text : CSVField.neutralised(text))
                    }
                }
                line += "\n"
                sink.append(line)
            }
        case .table:
            count = try writeTable(rows, sink: sink)
        case .json:
            let table = try rows.collect()
            count = table.rows.count
            sink.append(format.render(table, guardingFormulas: !raw))
        }
        sink.flush()
        return count
    }

    /// Rows held to set the column widths before the table starts (psql's FETCH_COUNT manners).
    static let alignmentWindow = 1_000

    /// Aligned columns, streamed: the widths come from the header and the first `alignmentWindow`
    /// rows (held until then), later rows are written as they come, so a table of 10⁷ rows starts at
    /// once and holds at most 1,000 rows. A later cell wider than its column widens the column from
    /// that row on. Up to 1,000 rows it is the same text as `ResultTable.renderText`.
    private static func writeTable(_ rows: QueryRows, sink: RowSink) throws -> Int {
        var widths = rows.columns.map(\.count)
        var held: [[String]] = []
        var started = false
        var count = 0
        func line(_ values: [String]) -> String {
            var text = zip(values, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
            while let last = text.last, last.isWhitespace { text.removeLast() }
            return text + "\n"
        }
        func start() {
            sink.append(line(rows.columns))
            sink.append(line(widths.map { String(repeating: "-", count: $0) }))
            for values in held { sink.append(line(values)) }
            held = []
            started = true
        }
        try rows.forEachRow { cells in
            count += 1
            let values = cells.map(\.display)
            for (index, value) in values.enumerated() where index < widths.count {
                widths[index] = max(widths[index], value.count)
            }
            if started {
                sink.append(line(values))
            } else {
                held.append(values)
                if held.count == alignmentWindow { start() }
            }
        }
        if !started && count > 0 { start() }
        return count
    }
}
