/// SQL is written once with SQLite's `?` / `?NNN` placeholders; PostgreSQL wants `$1…$n`.
/// Rewrites them outside string literals, quoted identifiers and comments, numbering bare
/// `?` the way SQLite does (one more than the largest index so far).
enum PlaceholderRewriter {
    static func rewrite(_ sql: String) -> (sql: String, parameterCount: Int) {
        let chars = Array(sql.unicodeScalars)
        var out = String.UnicodeScalarView()
        var highest = 0
        var i = 0
        func copy(until end: Int) { while i < end { out.append(chars[i]); i += 1 } }
        while i < chars.count {
            let c = chars[i]
            switch c {
            case "'", "\"":
                // A quoted text or identifier; a doubled quote inside is part of it.
                var j = i + 1
                while j < chars.count {
                    if chars[j] == c {
                        if j + 1 < chars.count && chars[j + 1] == c { j += 2; continue }
                        break
                    }
                    j += 1
                }
                copy(until: min(j + 1, chars.count))
            case "-" where i + 1 < chars.count && chars[i + 1] == "-":
                var j = i
                while j < chars.count && chars[j] != "\n" { j += 1 }
                copy(until: j)
            case "/" where i + 1 < chars.count && chars[i + 1] == "*":
                var j = i + 2
                while j + 1 < chars.count && !(chars[j] == "*" && chars[j + 1] == "/") { j += 1 }
                copy(until: min(j + 2, chars.count))
            case "?":
                var j = i + 1
                var digits = ""
                while j < chars.count, chars[j].properties.numericType != nil, chars[j].isASCII {
                    digits.unicodeScalars.append(chars[j]); j += 1
                }
                let index = Int(digits) ?? (highest + 1)
                highest = max(highest, index)
                out.append(contentsOf: "$\(index)".unicodeScalars)
                i = j
            default:
                out.append(c); i += 1
            }
        }
        return (String(out), highest)
    }
}
