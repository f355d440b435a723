import Foundation

/// The text of one column of a long read, compared with the row before by its bytes: most rows of a
/// load repeat the qualifier, unit and method of the row before, and a `String` made per row of 10⁷
/// was most of the report's loading time.
struct RepeatedText {
    private var bytes: [UInt8] = []
    private var isNull = true
    private var started = false
    /// The text of the last row that differed (nil for NULL).
    private(set) var string: String?

    /// True when `text` equals the last row's; otherwise remembers it (and its `string`) and returns false.
    mutating func repeats(_ text: UnsafeBufferPointer<UInt8>?) -> Bool {
        if started && Self.equal(text, isNull ? nil : bytes) { return true }
        started = true
        isNull = text == nil
        bytes = text.map(Array.init) ?? []
        string = text.map { String(decoding: $0, as: UTF8.self) }
        return false
    }

    static func equal(_ text: UnsafeBufferPointer<UInt8>?, _ bytes: [UInt8]?) -> Bool {
        switch (text, bytes) {
        case (nil, nil): return true
        case let (text?, bytes?):
            guard text.count == bytes.count else { return false }
            return bytes.withUnsafeBufferPointer { b in
                text.count == 0 || memcmp(b.baseAddress!, text.baseAddress!, text.count) == 0
            }
        default: return false
        }
    }
}

/// Analyte names of a long read, interned into a `MeasurementTable` by their bytes. An instrument's
/// rows list the analytes in the same order sample after sample, so the analyte that followed this
/// one last time is tried first (one byte comparison); only a new order makes a `String` and a lookup.
struct AnalyteSequence {
    /// Bytes of each interned analyte, by its table index.
    private var names: [[UInt8]] = []
    /// The analyte that followed each one last time (by table index; -1 for none yet).
    private var successor: [Int] = []
    private var last = -1

    mutating func index(_ text: UnsafeBufferPointer<UInt8>, in table: inout MeasurementTable) -> UInt32 {
        if last >= 0, successor[last] >= 0, RepeatedText.equal(text, names[successor[last]]) {
            last = successor[last]
            return UInt32(last)
        }
        let i = Int(table.intern(analyte: String(decoding: text, as: UTF8.self)))
        while names.count <= i { names.append([]); successor.append(-1) }
        names[i] = Array(text)
        if last >= 0 { successor[last] = i }
        last = i
        return UInt32(i)
    }
}
