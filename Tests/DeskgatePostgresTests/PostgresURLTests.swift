import Testing
@testable import DeskgatePostgres

/// Passwords in connection strings are masked for log lines, and scrubbed from libpq's messages.
@Suite struct PostgresURLTests {
    static let redactions: [(url: String, redacted: String)] = [
        ("postgresql://deskgate:s3cret@/deskgate?host=/tmp/x", "postgresql://deskgate:***@/deskgate?host=/tmp/x"),
        ("postgres://u:p%40ss@db.example:5432/desk?sslmode=require", "postgres://u:***@db.example:5432/desk?sslmode=require"),
        // A raw @ in the password: everything up to the last @ before the path is masked.
        ("postgresql://u:p@ss@host/db", "postgresql://u:***@host/db"),
        ("postgresql://u:a?b@host/db", "postgresql://u:***@host/db"),
        ("POSTGRESQL://u:x@h/d", "POSTGRESQL://u:***@h/d"),
        ("postgresql://u:pw@h1:5432,h2:5433/d", "postgresql://u:***@h1:5432,h2:5433/d"),
        ("postgresql://host/db?user=u&password=secret&sslmode=verify-full", "postgresql://host/db?user=u&password=***&sslmode=verify-full"),
        ("postgresql://host/db?pass%77ord=secret", "postgresql://host/db?pass%77ord=***"),
        ("postgresql://u:pw@host/db?password=other", "postgresql://u:***@host/db?password=***"),
        ("host=/run/pg dbname=desk password=secret user=u", "host=/run/pg dbname=desk password=*** user=u"),
        (#"password = 'se cr\'et' dbname=d"#, "password = '***' dbname=d"),
        // Nothing to mask.
        ("postgresql://u@host/db", "postgresql://u@host/db"),
        ("postgresql://u:@host/db", "postgresql://u:@host/db"),
        ("postgresql:///deskgate?host=/tmp/x", "postgresql:///deskgate?host=/tmp/x"),
        ("dbname=desk", "dbname=desk"),
        ("", ""),
    ]

    @Test(arguments: redactions)
    func masksThePassword(_ example: (url: String, redacted: String)) {
        #expect(PostgresURL.redacted(example.url) == example.redacted)
    }

    @Test func scrubsThePasswordFromMessagesAsWrittenAndDecoded() {
        let written = PostgresURL.scrubbing("invalid percent-encoded token: \"s3%ZZcret\"", passwordOf: "postgresql://u:s3%ZZcret@/d")
        #expect(written == "invalid percent-encoded token: \"***\"")
        let decoded = PostgresURL.scrubbing("password p@ss! and p%40ss!", passwordOf: "postgresql://u:p%40ss!@h/d")
        #expect(decoded == "password *** and ***")
        #expect(PostgresURL.scrubbing("no password here", passwordOf: "postgresql://u@h/d") == "no password here")
    }
}
