import DeskgateSQL
import Testing
@testable import DeskgatePostgres

/// A server that cannot be reached, or a connection lost on the way, is `unavailable`, never
/// with the password in the message, and a lost connection says it is broken.
@Suite(.enabled(if: LiveDatabase.isConfigured, LiveDatabase.skipped))
struct ConnectionLossTests {
    static func expectUnavailable(_ url: String, without secrets: [String]) {
        #expect {
            _ = try PostgresConnection(url: url)
        } throws: { error in
            guard case let StoreError.unavailable(message) = error else { return false }
            return !message.isEmpty && secrets.allSatisfy { !message.contains($0) && !"\(error)".contains($0) }
        }
    }

    @Test func aWrongPasswordIsUnavailableWithoutThePassword() throws {
        let wrong = "wr0ng-Passw0rd"
        Self.expectUnavailable(try LiveDatabase.url(password: wrong), without: [wrong])
    }

    @Test func anUnparsablePasswordIsNotEchoed() throws {
        // libpq quotes the token it cannot decode; the connection scrubs it.
        let wrong = "s3cret%ZZpart"
        Self.expectUnavailable(try LiveDatabase.url(password: wrong), without: [wrong, "%ZZpart"])
    }

    @Test func aMissingServerIsUnavailable() throws {
        let password = "an0ther-Secret"
        Self.expectUnavailable("postgresql://deskgate:\(password)@/deskgate?host=/nonexistent/socket/dir", without: [password])
        Self.expectUnavailable("postgresql://deskgate:\(password)@127.0.0.1:1/deskgate?connect_timeout=2", without: [password])
    }

    @Test func theURLCannotChangeTheClientEncoding() throws {
        let db = try PostgresConnection(url: try LiveDatabase.url(appending: "client_encoding=LATIN1&application_name=cache-test"))
        #expect(try db.queryOne("SHOW client_encoding") { $0.string(0) } == "UTF8")
        #expect(try db.queryOne("SHOW application_name") { $0.string(0) } == "cache-test")
        #expect(try LiveDatabase.connect().queryOne("SHOW application_name") { $0.string(0) } == "deskgate")
    }

    @Test func aTerminatedBackendBreaksTheConnection() throws {
        let db = try LiveDatabase.connect()
        #expect(!db.isBroken)
        let pid = try #require(try db.queryOne("SELECT pg_backend_pid()") { $0.int64(0) })
        #expect(pid == Int64(db.backendProcessID))
        try db.execute(script: "BEGIN")
        let killer = try LiveDatabase.connect()
        // Waits (up to 10 s) until the backend is gone, so the next call surely finds it so.
        #expect(try killer.queryOne("SELECT pg_terminate_backend(CAST(?1 AS integer), 10000)", pid) { $0.bool(0) } == true)
        #expect {
            try db.queryOne("SELECT 1") { $0.int(0) }
        } throws: { error in
            guard case .unavailable = error as? StoreError else { return false }
            return true
        }
        #expect(db.isBroken)
        // The server ended the transaction with the connection.
        #expect(!db.isInTransaction)
        #expect {
            try db.execute(script: "ROLLBACK")
        } throws: { error in
            guard case .unavailable = error as? StoreError else { return false }
            return true
        }
        #expect(!killer.isBroken)
    }
}
