import Foundation

/// Which cell styles show a number as a date or time, and the ISO text of such a serial number.
enum ExcelNumberFormat {
    /// Built-in formats that are dates or times (ECMA-376 §18.8.30): 14–22 and 45–47.
    static func isBuiltInDate(_ id: Int) -> Bool { (14...22).contains(id) || (45...47).contains(id) }
    /// Built-in formats that show a time of day.
    static func isBuiltInTime(_ id: Int) -> Bool { (18...22).contains(id) || (45...47).contains(id) }

    enum Kind { case date, time, dateTime }

    /// A custom format code is a date when it has d, m, y, h or s outside quoted text, `[…]`
    /// (colours, locales; elapsed-time brackets `[h]` count as time) and escaped characters.
    /// `.time` when the code has only h/s tokens (or `m` between them), `.date` when only d/m/y, else `.dateTime`.
    static func kind(_ code: String) -> Kind? {
        // Only the first section (positive numbers) decides.
        var inQuotes = false, inBracket = false, escaped = false
        var hasDate = false, hasTime = false
        var bracketText = ""
        for character in code {
            if escaped { escaped = false; continue }
            if inQuotes { if character == "\"" { inQuotes = false }; continue }
            if inBracket {
                if character == "]" {
                    inBracket = false
                    // Elapsed time: [h], [mm], [ss].
                    let lower = bracketText.lowercased()
                    if !lower.isEmpty, lower.allSatisfy({ "hms".contains($0) }) { hasTime = true }
                    bracketText = ""
                } else {
                    bracketText.append(character)
                }
                continue
            }
            switch character {
            case "\\", "_", "*": escaped = true
            case "\"": inQuotes = true
            case "[": inBracket = true
            case ";": return verdict(hasDate, hasTime)
            default:
                switch character.lowercased() {
                case "d", "y": hasDate = true
                case "h", "s": hasTime = true
                case "m": hasDate = true  // month or minute; minutes come with h or s
                default: break
                }
            }
        }
        return verdict(hasDate, hasTime)
    }

    private static func verdict(_ hasDate: Bool, _ hasTime: Bool) -> Kind? {
        switch (hasDate, hasTime) {
        case (false, false): return nil
        case (true, false): return .date
        case (false, true): return .time
        case (true, true): return .dateTime
        }
    }

    /// The ISO text of an Excel serial date: `yyyy-MM-dd`, `yyyy-MM-ddTHH:mm:ss` when it has a time of
    /// day (or the format shows one), `HH:mm:ss` for a serial below 1 (a time of day, as openpyxl reads it).
    /// 1900 system: serial 1 = 1900-01-01 and, as Excel's fictitious 1900-02-29 (60) is kept apart,
    /// days before it are one off (as openpyxl reads them). 1904 system: serial 0 = 1904-01-01.
    static func isoText(serial: Double, date1904: Bool, showsTime: Bool) -> String? {
        guard serial.isFinite, serial >= 0, serial < 2_958_466 else { return nil }  // up to 9999-12-31
        var days = serial.rounded(.down)
        var seconds = ((serial - days) * 86_400).rounded()
        if seconds >= 86_400 { days += 1; seconds -= 86_400 }
        let secondOfDay = Int(seconds)
        let time = String(format: "%02d:%02d:%02d", secondOfDay / 3600, secondOfDay / 60 % 60, secondOfDay % 60)
        if days == 0 { return time }
        var dayNumber = Int(days)
        // Days since 1970-01-01.
        let epochOffset: Int
        if date1904 {
            epochOffset = -24_107  // 1904-01-01
        } else {
            epochOffset = -25_569  // 1899-12-30
            if dayNumber > 0 && dayNumber < 60 { dayNumber += 1 }
        }
        let (year, month, day) = civilDate(daysSince1970: dayNumber + epochOffset)
        let date = String(format: "%04d-%02d-%02d", year, month, day)
        return (showsTime || secondOfDay != 0) ? "\(date)T\(time)" : date
    }

    /// Proleptic Gregorian date of a day count (Howard Hinnant's civil_from_days).
    static func civilDate(daysSince1970: Int) -> (Int, Int, Int) {
        let z = daysSince1970 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }
}
