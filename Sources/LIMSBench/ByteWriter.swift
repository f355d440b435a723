import Foundation

/// Buffered output of bytes to a file: instrument files of a gigabyte are written in
/// 1 MiB pieces, never built as one string in memory.
final class ByteWriter {
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private static let flushSize = 1 << 20
    private(set) var bytesWritten = 0

    init(path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil) else {
            throw BenchError("cannot create \(path)")
        }
        handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        buffer.reserveCapacity(Self.flushSize + 65_536)
    }

    deinit { try? handle.close() }

    func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        flushIfFull()
    }

    func write(byte: UInt8) { buffer.append(byte) }

    func write(bytes: [UInt8]) {
        buffer.append(contentsOf: bytes)
        flushIfFull()
    }

    /// A decimal number the way MassHunter (through Excel) prints it: up to `significant`
    /// significant digits, trailing zeros trimmed ("1093219.4", "10"), and very small
    /// values in exponent form with an upper-case E ("1.78725E-06").
    func write(number value: Double, significant: Int = 10) {
        Self.appendNumber(value, significant: significant, to: &buffer)
        flushIfFull()
    }

    func write(integer value: Int, width: Int = 0) {
        Self.appendInteger(value, width: width, to: &buffer)
    }

    func close() throws {
        try flush()
        try handle.close()
    }

    private func flushIfFull() {
        if buffer.count >= Self.flushSize { try? flush() }
    }

    private func flush() throws {
        guard !buffer.isEmpty else { return }
        try handle.write(contentsOf: buffer)
        bytesWritten += buffer.count
        buffer.removeAll(keepingCapacity: true)
    }

    static let powersOfTen: [Double] = (0...18).map { pow(10, Double($0)) }

    static func appendInteger(_ value: Int, width: Int = 0, to out: inout [UInt8]) {
        var v = value
        if v < 0 { out.append(UInt8(ascii: "-")); v = -v }
        var digits: [UInt8] = []
        repeat { digits.append(UInt8(ascii: "0") + UInt8(v % 10)); v /= 10 } while v > 0
        if digits.count < width { out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: width - digits.count)) }
        out.append(contentsOf: digits.reversed())
    }

    static func appendNumber(_ value: Double, significant: Int, to out: inout [UInt8]) {
        guard value.isFinite else { out.append(contentsOf: Array("N/A".utf8)); return }
        if value == 0 { out.append(UInt8(ascii: "0")); return }
        var x = value
        if x < 0 { out.append(UInt8(ascii: "-")); x = -x }
        var exponent = Int(floor(log10(x)))
        if exponent < -4 {
            // Excel's General format: six significant digits, "E-06".
            var mantissa = Int64((x / pow(10, Double(exponent)) * 1e5).rounded())
            if mantissa >= 1_000_000 { mantissa /= 10; exponent += 1 }
            appendFixed(mantissa, decimals: 5, to: &out)
            out.append(UInt8(ascii: "E"))
            out.append(UInt8(ascii: exponent < 0 ? "-" : "+"))
            appendInteger(abs(exponent), width: 2, to: &out)
            return
        }
        let decimals = max(0, min(15, significant - 1 - exponent))
        let scaled = Int64((x * powersOfTen[decimals]).rounded())
        appendFixed(scaled, decimals: decimals, to: &out)
    }

    /// `scaled` / 10^decimals with the fraction's trailing zeros trimmed.
    private static func appendFixed(_ scaled: Int64, decimals: Int, to out: inout [UInt8]) {
        let divisor = Int64(powersOfTen[decimals])
        appendInteger(Int(scaled / divisor), to: &out)
        var fraction = scaled % divisor
        guard fraction != 0 else { return }
        var width = decimals
        while fraction % 10 == 0 { fraction /= 10; width -= 1 }
        out.append(UInt8(ascii: "."))
        appendInteger(Int(fraction), width: width, to: &out)
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
