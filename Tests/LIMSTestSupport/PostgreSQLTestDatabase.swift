import Foundation
import LIMSStore
import XCTest

/// A fresh PostgreSQL database per test, on the server named by `$LIMS_TEST_POSTGRES_URL`
/// (`.ci/postgres-test-server start` prints one); dropped again by `drop()`. Tests that need
/// it skip, saying so, when the variable is not set.
public final class PostgreSQLTestDatabase {
    /// The URL of this test's own database.
    public let url: String
    public let name: String
    private let serverURL: String

    public static var serverURL: String? {
        let url = ProcessInfo.processInfo.environment["LIMS_TEST_POSTGRES_URL"] ?? ""
        return url.isEmpty ? nil : url
    }

    /// A new, empty database; throws XCTSkip when no test server is configured.
    public static func make(file: StaticString = #filePath, line: UInt = #line) throws -> PostgreSQLTestDatabase {
        guard let server = serverURL else {
            throw XCTSkip("LIMS_TEST_POSTGRES_URL is not set: PostgreSQL test skipped "
                          + "(start a server with `.ci/postgres-test-server start` and export the URL it prints)",
                          file: file, line: line)
        }
        return try PostgreSQLTestDatabase(server: server)
    }

    private init(server: String) throws {
        serverURL = server
        name = "lims_t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(20)
        url = Self.url(server, database: name)
        // CREATE DATABASE runs outside a transaction, on the server's own database.
        try Database(path: server).executeScript("CREATE DATABASE \(name)")
    }

    /// Drops the database (closing any connection a crashed child left open).
    public func drop() {
        do {
            try Database(path: serverURL).executeScript("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
        } catch {
            XCTFail("could not drop test database \(name): \(error)")
        }
    }

    /// `server` with its database name replaced by `database` (query parameters kept).
    static func url(_ server: String, database: String) -> String {
        let query = server.firstIndex(of: "?").map { String(server[$0...]) } ?? ""
        let base = query.isEmpty ? server : String(server[..<server.firstIndex(of: "?")!])
        guard let scheme = base.range(of: "://"), let slash = base[scheme.upperBound...].firstIndex(of: "/") else {
            return base + "/" + database + query
        }
        return String(base[..<slash]) + "/" + database + query
    }
}
