import Foundation

/// Where the lab's database lives: a SQLite file (any path) or a PostgreSQL server
/// (`postgresql://user@host[:port]/dbname`, also `postgres://`).
public enum DatabaseLocation {
    /// True for a PostgreSQL connection URL; anything else is a SQLite path.
    public static func isServerURL(_ location: String) -> Bool {
        let lower = location.lowercased()
        return lower.hasPrefix("postgresql://") || lower.hasPrefix("postgres://")
    }

    /// The URL with any password replaced by `***`, for messages (a password is never printed).
    public static func redacted(_ location: String) -> String {
        guard isServerURL(location), let scheme = location.range(of: "://") else { return location }
        let rest = location[scheme.upperBound...]
        // The user-info part ends at the last '@' before the first '/' (a password may hold '@' when percent-encoded only).
        let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        var text = String(location[..<scheme.upperBound])
        if let at = authority.lastIndex(of: "@") {
            let userInfo = authority[..<at]
            let user = userInfo.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            text += user + (userInfo.contains(":") ? ":***" : "") + authority[at...]
        } else {
            text += authority
        }
        // Query parameters may carry `password=`: drop their values.
        let tail = String(rest[authorityEnd...])
        if let question = tail.firstIndex(of: "?") {
            let query = tail[tail.index(after: question)...].split(separator: "&").map { pair -> String in
                pair.lowercased().hasPrefix("password=") ? "password=***" : String(pair)
            }
            text += String(tail[..<question]) + "?" + query.joined(separator: "&")
        } else {
            text += tail
        }
        return text
    }
}
