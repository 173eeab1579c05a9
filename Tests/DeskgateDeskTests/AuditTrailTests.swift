import Foundation
import Testing
@testable import DeskgateDesk
import DeskgateJSON
import DeskgateStore
@testable import DeskgateIdentity
import DeskgateModel

/// The MCP audit log (issue 19, docs/audit.md): the argument digest and ticket numbers, the CSV
/// and JSON Lines encodings as tables, and the trail's flush, filters, export and retention sweep
/// on both engines.
@Suite struct AuditTrailTests {
    static func object(_ text: String) -> JSONObject { (try! JSONParser.parse(text)).objectValue! }

    @Test(arguments: [
        (#"{"ticket": 5, "tags": ["a", "b"]}"#, #"{"tags": ["a", "b"], "ticket": 5}"#, true),
        (#"{"a": {"y": 1, "x": 2}}"#, #"{"a": {"x": 2, "y": 1}}"#, true),
        (#"{"ticket": 5}"#, #"{"ticket": 5, "access_token": "dgpat_secret"}"#, true),
        (#"{"ticket": 5}"#, #"{"ticket": 5, "idempotency_key": "k1", "approval_id": "ap"}"#, true),
        (#"{"ticket": 5}"#, #"{"ticket": 6}"#, false),
        (#"{"ticket": 5}"#, #"{"ticket": 5, "dry_run": true}"#, false),
        (#"{"tags": ["a", "b"]}"#, #"{"tags": ["b", "a"]}"#, false),
    ])
    func theDigestIsTheSameForTheSameArgumentsInAnyOrder(a: String, b: String, same: Bool) {
        let digestA = AuditArguments.digest(Self.object(a)), digestB = AuditArguments.digest(Self.object(b))
        #expect(digestA.count == 64 && digestA.allSatisfy { $0.isHexDigit && !$0.isUppercase })
        #expect((digestA == digestB) == same, "\(a) vs \(b)")
    }

    @Test(arguments: [
        (#"{"ticket": 1042}"#, nil, "1042"),
        (##"{"ticket": "#1042"}"##, nil, "1042"),
        (#"{"ticket_id": "12"}"#, nil, "12"),
        (#"{"ticket": "id:77"}"#, nil, "id:77"),
        (#"{"ticket": "the one about printers"}"#, nil, ""),
        (#"{"ticket": -3}"#, nil, ""),
        (#"{"ticket_ids": "3, 4,x,3"}"#, nil, "3,4"),
        (#"{"parent_ticket": 9, "subject": "1042"}"#, #"{"ticket_number": 51}"#, "9,51"),
        (#"{"ticket": "id:77"}"#, #"{"ticket_number": 1042}"#, "id:77,1042"),
        (#"{"ticket_id": 12}"#, #"{"ticket": {"number": 12}}"#, "12"),
        (#"{}"#, nil, ""),
    ] as [(String, String?, String)])
    func ticketsAreNumbersFromTheTicketMembersAndTheResult(arguments: String, result: String?, expected: String) {
        #expect(AuditArguments.tickets(arguments: Self.object(arguments), result: result.map(Self.object)) == expected)
    }

    @Test(arguments: [
        ("plain", "plain"),
        ("a,b", "\"a,b\""),
        ("say \"hi\"", "\"say \"\"hi\"\"\""),
        ("two\nlines", "\"two\nlines\""),
        ("cr\r\nlf", "\"cr\r\nlf\""),
        ("=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\""),
        ("+1", "'+1"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("", ""),
        ("a=b", "a=b"),
    ])
    func csvCellsAreQuotedAndFormulasDefused(raw: String, cell: String) {
        #expect(AuditExport.csvCell(raw) == cell)
    }

    static let sample = AuditRecord(id: 7, tenantID: 1, at: 1_764_000_000_123, userID: 3, tokenID: 41, clientID: nil,
                                    tool: "add_ticket_note", argsDigest: String(repeating: "ab", count: 32), tickets: "1042,id:9",
                                    outcome: .refused, reason: "write_quota_token", durationMilliseconds: 12,
                                    process: "deskgate-mcp@host:99")

    @Test func aRowEncodesAsOneCSVLineAndOneJSONObject() throws {
        let csv = AuditExport.line(Self.sample, tenant: "acme", userEmail: "a,b@acme.test", format: .csv)
        #expect(csv == "7,2025-11-24T16:00:00.123Z,acme,3,\"a,b@acme.test\",41,,add_ticket_note,\(Self.sample.argsDigest),"
                + "\"1042,id:9\",refused,write_quota_token,12,deskgate-mcp@host:99\r\n")
        #expect(AuditExport.csvHeader.split(separator: ",").count == AuditExport.fields.count)
        let json = AuditExport.line(Self.sample, tenant: "acme", userEmail: nil, format: .jsonl)
        #expect(json.hasSuffix("\n") && json.dropLast().allSatisfy { $0 != "\n" })
        let object = try #require(try JSONParser.parse(String(json.dropLast())).objectValue)
        #expect(object.keys == AuditExport.fields)
        #expect(object["tickets"] == .array([.number(JSONNumber(1042)), .string("id:9")]))
        #expect(object["user_email"] == .null && object["client_id"] == .null)
        #expect(object["outcome"]?.stringValue == "refused" && object["duration_ms"]?.intValue == 12)
    }

    @Test(arguments: [
        ("{}", 90), (#"{"audit_retention_days": 30}"#, 30), (#"{"audit_retention_days": 0}"#, 0),
        (#"{"audit_retention_days": -1}"#, 90), (#"{"audit_retention_days": "7"}"#, 90), ("not json", 90),
        (#"{"audit_retention_days": 99999999}"#, 90),
    ])
    func retentionReadsFromSettingsAndFallsBackToTheDefault(settings: String, days: Int) {
        #expect(AuditRetention(settingsJSON: settings).days == days)
        let merged = AuditRetention(days: 12).merged(into: #"{"limits": {"calls_per_minute": 5}}"#)
        #expect(AuditRetention(settingsJSON: merged).days == 12 && merged.contains("calls_per_minute"))
    }

    @Test func theTrailFlushesFiltersExportsAndSweepsOnSQLite() throws {
        let directory = NSTemporaryDirectory() + "deskgate-audit-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let database = try Database.open(path: directory + "/db.sqlite")
        defer { database.close() }
        try Self.roundTrip(Storage(database), slug: "acme")
        try Self.manyTenantsInOneFlush(Storage(database), slugs: ["one", "two"])
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment["DESKGATE_TEST_DATABASE_URL"] != nil))
    func theTrailFlushesFiltersExportsAndSweepsOnPostgres() throws {
        let database = try Database.open(path: ProcessInfo.processInfo.environment["DESKGATE_TEST_DATABASE_URL"]!)
        defer { database.close() }
        try Self.roundTrip(Storage(database), slug: "audit-" + UUID().uuidString.prefix(8).lowercased())
        let suffix = UUID().uuidString.prefix(8).lowercased()
        try Self.manyTenantsInOneFlush(Storage(database), slugs: ["one-\(suffix)", "two-\(suffix)"])
    }

    /// A flush of two tenants' interleaved rows, more than one statement's worth each: every row
    /// lands with its own tenant (row-level security on PostgreSQL), in the order recorded.
    static func manyTenantsInOneFlush(_ storage: Storage, slugs: [String]) throws {
        let tenants = try slugs.map { slug in
            try storage.database.write { tx in try TenantDirectory().create(slug: slug, name: slug, in: tx) }
        }
        let trail = AuditTrail()
        for index in 0..<171 {
            let tenant = tenants[index % 2]
            trail.record(AuditRecord(tenantID: tenant.id, at: 1_000 + Int64(index), userID: nil, tokenID: Int64(index), clientID: nil,
                                     tool: "search_tickets", argsDigest: "", tickets: "", outcome: .ok, reason: nil,
                                     durationMilliseconds: 1, process: "test@host:1"), arguments: JSONObject())
        }
        #expect(try trail.flush(storage: storage) == 171)
        for (offset, tenant) in tenants.enumerated() {
            var lines = ""
            try storage.withReader { reader in
                _ = try AuditLog(storage: storage, tenant: tenant).export(AuditFilter(), format: .jsonl, on: reader) { lines += $0 }
            }
            let tokens = try lines.split(separator: "\n").map { try JSONParser.parse(String($0))["token_id"]?.intValue ?? -1 }
            #expect(tokens == Array(stride(from: offset, to: 171, by: 2)), "\(tenant.slug)")
        }
    }

    static func roundTrip(_ storage: Storage, slug: String) throws {
        let (tenantID, userID, otherID) = try storage.database.write { tx in
            let scope = try TenantDirectory().create(slug: slug, name: "Audit", in: tx).scope
            let user = try scope.users.create(NewUser(email: "u@audit.test", name: "U", role: .agent), in: tx)
            let other = try scope.users.create(NewUser(email: "o@audit.test", name: "O", role: .agent), in: tx)
            return (scope.tenantID, user.id, other.id)
        }
        let day: Int64 = 86_400_000
        let now: Int64 = 1_900_000_000_000
        let trail = AuditTrail()
        func row(_ at: Int64, user: Int64, token: Int64?, client: String?, tool: String, outcome: AuditOutcome,
                 reason: String? = nil) -> AuditRecord {
            AuditRecord(tenantID: tenantID, at: at, userID: user, tokenID: token, clientID: client, tool: tool, argsDigest: "",
                        tickets: "", outcome: outcome, reason: reason, durationMilliseconds: 3, process: "test@host:1")
        }
        let secret = "Customer said the code is 4711"
        trail.record(row(now - 40 * day, user: userID, token: 41, client: nil, tool: "get_ticket_context", outcome: .ok),
                     arguments: object(#"{"ticket": 1}"#))
        trail.record(row(now - 39 * day, user: userID, token: 41, client: nil, tool: "get_ticket_context", outcome: .ok),
                     arguments: object(#"{"ticket": 2}"#))
        trail.record(row(now - day, user: userID, token: 41, client: nil, tool: "add_ticket_note", outcome: .ok),
                     arguments: object(#"{"ticket": 3, "body": "\#(secret)", "access_token": "dgpat_nope"}"#),
                     result: object(#"{"ticket_number": 3}"#))
        trail.record(row(now - day + 1, user: otherID, token: nil, client: "claude.ai", tool: "add_ticket_note", outcome: .refused,
                         reason: "write_quota_token"), arguments: object(#"{"ticket": 4, "body": "x"}"#))
        trail.record(row(now, user: otherID, token: nil, client: "claude.ai", tool: "search_tickets", outcome: .toolError),
                     arguments: object(#"{"query": "=cmd"}"#))
        #expect(trail.pending == 5)
        #expect(try trail.flush(storage: storage) == 5)
        #expect(trail.pending == 0)
        #expect(try trail.flush(storage: storage) == 0)

        let tenant = try TenantService(storage: storage).find(slug)
        let log = AuditLog(storage: storage, tenant: tenant)
        func count(_ filter: AuditFilter) throws -> Int {
            try storage.withReader { try log.page(filter, limit: 200, on: $0).entries.count }
        }
        #expect(try count(AuditFilter()) == 5)
        #expect(try count(AuditFilter(userID: userID)) == 3)
        #expect(try count(AuditFilter(tokenID: 41)) == 3)
        #expect(try count(AuditFilter(clientID: "claude.ai")) == 2)
        #expect(try count(AuditFilter(tool: "add_ticket_note")) == 2)
        #expect(try count(AuditFilter(outcome: .refused)) == 1)
        #expect(try count(AuditFilter(from: now - 2 * day)) == 3)
        #expect(try count(AuditFilter(from: now - 2 * day, until: now)) == 2)
        #expect(try count(AuditFilter(userID: otherID, tool: "search_tickets", outcome: .toolError)) == 1)

        // Keyset pages: newest first, two at a time, every row once.
        var seen: [Int64] = [], before: Int64? = nil
        repeat {
            let page = try storage.withReader { try log.page(AuditFilter(), before: before, limit: 2, on: $0) }
            seen += page.entries.map(\.id)
            before = page.nextBefore
        } while before != nil
        #expect(seen.count == 5 && seen == seen.sorted(by: >))

        let written = try storage.withReader { try log.page(AuditFilter(userID: userID, tool: "add_ticket_note"), on: $0).entries[0] }
        #expect(written.tickets == "3" && written.argsDigest == AuditArguments.digest(object(#"{"ticket": 3, "body": "\#(secret)"}"#)))
        #expect(written.tokenID == 41 && written.clientID == nil && written.process == "test@host:1")

        var csv = ""
        let exported = try storage.withReader { try log.export(AuditFilter(), format: .csv, on: $0) { csv += $0 } }
        #expect(exported == 5)
        let lines = csv.split(separator: "\r\n", omittingEmptySubsequences: true)
        #expect(lines.count == 6 && lines[0] == Substring(AuditExport.csvHeader.dropLast()))
        #expect(!csv.contains(secret) && !csv.contains("dgpat_") && !csv.contains("=cmd"))
        #expect(csv.contains(",u@audit.test,") && csv.contains(",o@audit.test,"))
        var jsonl = ""
        let capped = try storage.withReader { try log.export(AuditFilter(), format: .jsonl, maximumRows: 4, on: $0) { jsonl += $0 } }
        #expect(capped == 4 && jsonl.split(separator: "\n").count == 4)

        // Retention: 30 days keeps three rows; a batch of one deletes the two old rows in two rounds.
        _ = try TenantService(storage: storage).setAuditRetention(AuditRetention(days: 30), slug: slug)
        _ = try AuditLog.sweep(storage: storage, now: now, batch: 1)
        #expect(try count(AuditFilter()) == 3)
        #expect(try count(AuditFilter(until: now - 30 * day)) == 0)
        // 0 keeps everything, however old.
        _ = try TenantService(storage: storage).setAuditRetention(AuditRetention(days: 0), slug: slug)
        _ = try AuditLog.sweep(storage: storage, now: now + 10_000 * day)
        #expect(try count(AuditFilter()) == 3)
        #expect(throws: DeskError.self) { try TenantService(storage: storage).setAuditRetention(AuditRetention(days: -1), slug: slug) }
    }
}
