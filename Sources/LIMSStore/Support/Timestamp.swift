import Foundation

/// The store's timestamps: UTC, millisecond precision, `2026-03-01T09:30:00.000Z` — the text
/// SQLite's `strftime('%Y-%m-%dT%H:%M:%fZ', 'now')` gives, computed here so both engines store the same.
public enum Timestamp {
    public static func now() -> String { format(Date()) }

    public static func format(_ date: Date) -> String {
        var seconds = time_t(floor(date.timeIntervalSince1970))
        let millis = Int((date.timeIntervalSince1970 - Double(seconds)) * 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(pad(Int32(min(millis, 999)), 3))Z"
    }
}

/// `Timestamp.now()` for a writer that asks many times a millisecond (an import's audit rows):
/// the text is formatted once per millisecond. Not for sharing between threads (one per store).
final class TimestampClock {
    private var millisecond: Int64 = -1
    private var text = ""

    func now() -> String {
        let date = Date()
        let current = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        if current != millisecond {
            millisecond = current
            text = Timestamp.format(date)
        }
        return text
    }
}
