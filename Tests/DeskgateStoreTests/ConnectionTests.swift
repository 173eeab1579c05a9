@testable import DeskgateSQLite
import DeskgateSQL
import Testing
@testable import DeskgateStore
import DeskgateModel

@Suite struct ConnectionTests {
    @Test func writerIsWALWithFullSyncAndReadersAreReadOnly() throws {
        try withDatabase { db in
            let writer = try db.write { tx throws in
                [try tx.connection.pragma("journal_mode"), try tx.connection.pragma("synchronous"),
                 try tx.connection.pragma("foreign_keys")]
            }
            #expect(writer == ["wal", "2", "1"])  // synchronous: 2 = FULL

            let reader = try db.openReader()
            #expect(try reader.pragma("journal_mode") == "wal")
            #expect(try reader.pragma("synchronous") == "1")  // NORMAL
            #expect(try reader.pragma("foreign_keys") == "1")
            #expect(reader.sqlite.isReadOnly)
            #expect {
                try reader.run("INSERT INTO durability_probe (sequence, written_at) VALUES (1, 1)")
            } throws: { error in
                if case let StoreError.engine(code, _) = error { code & 0xFF == 8 } else { false }  // SQLITE_READONLY
            }
        }
    }

    @Test func preparedStatementCacheReusesStatements() throws {
        try withDatabase { db in
            let reader = try db.openReader()
            let sql = "SELECT value FROM revocation_counter WHERE id = ?1"
            _ = try reader.queryOne(sql, 1) { $0.int64(0) }
            let compiled = reader.preparedStatementCount
            let first = try reader.sqlite.statement(sql)
            for _ in 0..<100 { _ = try reader.queryOne(sql, 1) { $0.int64(0) } }
            #expect(reader.preparedStatementCount == compiled)
            #expect(try reader.sqlite.statement(sql) === first)

            // A nested use of the same SQL while the cached one is stepping gets its own statement.
            let nested = try reader.sqlite.withStatement(sql, [1]) { _ in try reader.queryOne(sql, 1) { $0.int64(0) } }
            #expect(nested == 0)
            #expect(reader.preparedStatementCount == compiled + 1)
        }
    }

    @Test func bindsRoundTripEveryType() throws {
        try withTemporaryDirectory { dir in
            let conn = try SQLiteConnection(path: dir + "/t.sqlite", readOnly: false, busyTimeoutMilliseconds: 100)
            try conn.execute(script: "CREATE TABLE t (i INTEGER, d REAL, s TEXT, b BLOB, f INTEGER, n TEXT)")
            let text = "héllo \u{0} wörld 🎫"
            let blob: [UInt8] = [0, 1, 2, 255]
            try conn.run("INSERT INTO t VALUES (?1, ?2, ?3, ?4, ?5, ?6)", Int64.min, 2.5, text, blob, true, nil as String?)
            try conn.run("INSERT INTO t VALUES (?1, ?2, ?3, ?4, ?5, ?6)", 0, 0.0, "", [UInt8](), false, SQLNull())
            let rows = try conn.queryAll("SELECT i, d, s, b, f, n, typeof(s), typeof(b) FROM t ORDER BY rowid") {
                "\($0.int64(0))|\($0.double(1))|\($0.string(2))|\($0.blob(3))|\($0.bool(4))|\($0.optionalString(5) ?? "nil")|\($0.string(6))|\($0.string(7))"
            }
            #expect(rows == ["\(Int64.min)|2.5|\(text)|\(blob)|true|nil|text|blob", "0|0.0||[]|false|nil|text|blob"])
        }
    }

    @Test func constraintErrorsAreTypedAndNeverCarryBoundValues() throws {
        try withDatabase { db in
            let secret = "s3cret-password-hash"
            let tenant = try db.write { tx in try TenantDirectory().create(slug: "acme", name: "Acme", in: tx) }
            let user = NewUser(email: "a@example.com", name: "A", role: .agent, passwordHash: secret)
            try db.write { tx in try tenant.scope.users.create(user, in: tx) }
            do {
                try db.write { tx in try tenant.scope.users.create(user, in: tx) }
                Issue.record("duplicate email accepted")
            } catch let error as StoreError {
                #expect(error.isConstraintViolation)
                #expect(!error.description.contains(secret))
                #expect(!error.description.contains("a@example.com"))
                #expect(error.description.contains("users.email"))
            }
            #expect(throws: StoreError.self) {
                try db.write { tx in try TenantDirectory().create(slug: "Not A Slug", name: "x", in: tx) }
            }
        }
    }

    @Test func foreignKeysAreEnforced() throws {
        try withDatabase { db in
            let a = try seedTenant("a", word: "alpha", in: db)
            let b = try seedTenant("b", word: "beta", in: db)
            // A message pointing at a ticket that does not exist.
            #expect {
                try db.write { tx throws in
                    try a.scope.messages.appendBatch(
                        [NewMessage(ticketID: 999_999, kind: .note, author: .system, body: "x")], in: tx)
                }
            } throws: { ($0 as? StoreError)?.isConstraintViolation == true }
            // A ticket of tenant A assigned to tenant B's user: the composite key refuses it.
            #expect {
                try db.write { tx in try a.scope.tickets.create(NewTicket(subject: "x", assigneeID: b.user.id), in: tx) }
            } throws: { ($0 as? StoreError)?.isConstraintViolation == true }
            #expect(try db.withReader { try a.scope.tickets.count(on: $0) } == 1)
        }
    }

    @Test func revocationTriggersBumpTheCounter() throws {
        try withDatabase { db in
            let counter = RevocationCounter()
            let before = try db.withReader { try counter.current(on: $0) }
            try db.write { tx in try TenantDirectory().create(slug: "acme", name: "Acme", in: tx) }
            try db.write { tx in try TenantDirectory().setStatus(.suspended, forSlug: "acme", in: tx) }
            #expect(try db.withReader { try counter.current(on: $0) } == before + 1)
            try db.write { tx in try TenantDirectory().setStatus(.suspended, forSlug: "acme", in: tx) }
            #expect(try db.withReader { try counter.current(on: $0) } == before + 1)  // no change, no bump
        }
    }
}
