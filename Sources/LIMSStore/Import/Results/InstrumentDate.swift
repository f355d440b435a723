import Foundation

/// Dates and times as instruments write them (`19/12/2018 10:42`, `08/02/2016` + `14:11:28`,
/// `28-05-21` + `12:40:54 PM`, `2019-03-14`) → ISO 8601 (`2016-02-08T14:11:28`).
/// Day/month order cannot be guessed from `08/02/2016`: it is a setting (`--date-order`).
public enum InstrumentDate {
    public enum Order: String, Sendable, CaseIterable {
        case dmy, mdy, ymd
    }

    public struct Invalid: Error, Equatable {
        public let text: String
        public let expected: String
    }

    /// dmy ↔ mdy: the order a contradicting date may prove (ymd has no such partner).
    public static func otherOrder(_ order: Order) -> Order? {
        switch order {
        case .dmy: return .mdy
        case .mdy: return .dmy
        case .ymd: return nil
        }
    }

    /// `date` may carry the time after a space; `time` is a separate column.
    public static func parse(date rawDate: String, time rawTime: String? = nil, order: Order) throws(Invalid) -> String? {
        var dateText = rawDate.trimmingCharacters(in: .whitespaces)
        var timeText = rawTime?.trimmingCharacters(in: .whitespaces) ?? ""
        if dateText.isEmpty { return nil }
        if let space = dateText.firstIndex(of: " ") ?? dateText.firstIndex(of: "T") {
            let rest = dateText[dateText.index(after: space)...].trimmingCharacters(in: .whitespaces)
            if timeText.isEmpty { timeText = rest }
            dateText = String(dateText[..<space])
        }
        let expectedDate = order == .ymd ? "a date written YYYY-MM-DD (--date-order ymd)"
            : "a date written DD/MM/YYYY (--date-order dmy) or MM/DD/YYYY (--date-order mdy)"
        let parts = dateText.split(whereSeparator: { $0 == "/" || $0 == "-" || $0 == "." }).map(String.init)
        guard parts.count == 3, let a = Int(parts[0]), let b = Int(parts[1]), let c = Int(parts[2]) else {
            throw Invalid(text: rawDate, expected: expectedDate)
        }
        var (year, month, day): (Int, Int, Int)
        if parts[0].count == 4 {
            (year, month, day) = (a, b, c)
        } else {
            switch order {
            case .dmy: (day, month, year) = (a, b, c)
            case .mdy: (month, day, year) = (a, b, c)
            case .ymd: (year, month, day) = (a, b, c)
            }
        }
        if year < 100 { year += 2000 }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let monthDays = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard (1...12).contains(month), day >= 1, day <= monthDays[month - 1] else {
            throw Invalid(text: rawDate, expected: expectedDate)
        }
        var iso = String(format: "%04d-%02d-%02d", year, month, day)
        guard !timeText.isEmpty else { return iso }
        var clock = timeText.uppercased()
        var pm: Bool?
        if clock.hasSuffix("PM") { pm = true } else if clock.hasSuffix("AM") { pm = false }
        if pm != nil { clock = String(clock.dropLast(2)).trimmingCharacters(in: .whitespaces) }
        let hms = clock.split(separator: ":").map { Int($0) }
        guard (2...3).contains(hms.count), hms.allSatisfy({ $0 != nil }), var hour = hms[0] else {
            throw Invalid(text: timeText, expected: "a time written HH:MM[:SS] [AM|PM]")
        }
        let minute = hms[1]!, second = hms.count == 3 ? hms[2]! : 0
        if let pm {
            guard (1...12).contains(hour) else { throw Invalid(text: timeText, expected: "an hour 1-12 before AM/PM") }
            if pm && hour < 12 { hour += 12 }
            if !pm && hour == 12 { hour = 0 }
        }
        guard (0...23).contains(hour), (0...59).contains(minute), (0...59).contains(second) else {
            throw Invalid(text: timeText, expected: "a time written HH:MM[:SS] [AM|PM]")
        }
        iso += String(format: "T%02d:%02d:%02d", hour, minute, second)
        return iso
    }
}
