import DeskgatePostgres
import Foundation
import Testing

/// The server the live tests run against: DESKGATE_TEST_DATABASE_URL, which scripts/with-postgres
/// sets for a throwaway cluster. Without it the live suites are skipped, saying so.
enum LiveDatabase {
    static let url = ProcessInfo.processInfo.environment["DESKGATE_TEST_DATABASE_URL"]
    static var isConfigured: Bool { url != nil }
    static let skipped: Comment = "DESKGATE_TEST_DATABASE_URL is not set: live PostgreSQL tests skipped (run under scripts/with-postgres)"

    static func connect() throws -> PostgresConnection {
        try PostgresConnection(url: try #require(url))
    }

    /// Runs `body` on a connection whose search_path is a schema of its own, dropped afterwards,
    /// so tests run in parallel without seeing each other's tables.
    static func withSchema(_ body: (PostgresConnection, String) throws -> Void) throws {
        let connection = try connect()
        let schema = "test_" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
        try connection.execute(script: "CREATE SCHEMA \(schema); SET search_path TO \(schema)")
        defer {
            let drop = "DROP SCHEMA \(schema) CASCADE"
            if connection.isBroken {
                try? connect().execute(script: drop)
            } else {
                if connection.isInTransaction { try? connection.execute(script: "ROLLBACK") }
                try? connection.execute(script: drop)
            }
        }
        try body(connection, schema)
    }

    /// Another connection into `schema`.
    static func connect(into schema: String) throws -> PostgresConnection {
        let connection = try connect()
        try connection.execute(script: "SET search_path TO \(schema)")
        return connection
    }

    /// `url` with its password replaced (or added), and extra query parameters appended.
    static func url(password: String? = nil, appending query: String? = nil) throws -> String {
        var url = try #require(url)
        if let password {
            let scheme = try #require(url.range(of: "://"))
            let authorityEnd = url[scheme.upperBound...].firstIndex(of: "/") ?? url.endIndex
            let userInfo = try #require(url[scheme.upperBound..<authorityEnd].lastIndex(of: "@"), "the URL names a user")
            let user = url[scheme.upperBound..<userInfo].split(separator: ":", maxSplits: 1).first ?? ""
            url.replaceSubrange(scheme.upperBound..<userInfo, with: "\(user):\(password)")
        }
        if let query { url += (url.contains("?") ? "&" : "?") + query }
        return url
    }
}
