import DeskgateDesk
import DeskgateIdentity
import DeskgateJSON
import DeskgateModel
import Testing
@testable import DeskgateMCP

/// Every tools/call leaves one audit row with the right outcome and reason (docs/audit.md), read
/// back from the database after the flush; and how results and JSON-RPC errors are classified.
@Suite struct CallAuditTests {
    static func value(_ text: String) -> JSONValue { try! JSONParser.parse(text) }

    @Test(arguments: [
        (#"{"content": [], "isError": false}"#, "ok", nil),
        (#"{"content": [], "isError": true}"#, "tool_error", nil),
        (#"{"content": []}"#, "ok", nil),
        (#"{"resultType": "input_required", "inputRequests": {}}"#, "refused", "approval_required"),
        (#"{"content": [], "isError": true, "_meta": {"io.deskgate/approval": {"status": "pending"}}}"#, "refused", "approval_required"),
        (#"{"content": [], "isError": true, "structuredContent": {"error": "write_quota_exceeded", "scope": "tenant"}}"#,
         "refused", "write_quota_tenant"),
        (#"{"content": [], "isError": false, "structuredContent": {"error": "write_quota_exceeded"}}"#, "ok", nil),
        (#"{"content": [], "isError": false, "_meta": {"io.deskgate/idempotent_replay": {"first_called_at": "x"}}}"#, "ok",
         "idempotent_replay"),
    ] as [(String, String, String?)])
    func resultsAreClassified(result: String, outcome: String, reason: String?) {
        let (classified, why) = CallAudit.classify(Self.value(result))
        #expect(classified.rawValue == outcome)
        #expect(why == reason)
    }

    @Test func errorsBecomeReasonCodes() {
        #expect(CallAudit.code(.invalidParams("x")) == "invalid_params")
        #expect(CallAudit.code(.cancelled) == "cancelled")
        #expect(CallAudit.code(.internalError("x")) == "internal_error")
        #expect(CallAudit.code(.unavailable) == "unavailable")
    }

    @Test func everyToolsCallIsRecordedWithItsOutcomeAndReason() throws {
        let fixture = try ProtocolCoreFixture()
        let agent = RequestParty.caller(fixture.readOnlyAgent), tokenless = RequestParty.tenantOnly(fixture.tenant)
        let writer = RequestParty.caller(Caller(tenant: fixture.tenant, user: fixture.readOnlyAgent.user, tokenID: 5, clientID: nil,
                                                scopes: Scopes.all))
        let calls: [(RequestParty, String, tool: String, outcome: String, reason: String?, tickets: String)] = [
            (agent, #"{"name": "search_tickets", "arguments": {"query": "printer"}}"#, "search_tickets", "ok", nil, ""),
            (agent, #"{"name": "get_ticket_metadata", "arguments": {"ticket": 999}}"#, "get_ticket_metadata", "tool_error", nil, "999"),
            (agent, #"{"name": "no_such_tool", "arguments": {"ticket": 5}}"#, "no_such_tool", "refused", "unknown_tool", "5"),
            (agent, #"{"name": "add_ticket_note", "arguments": {"ticket": 1, "body": "secret words"}}"#, "add_ticket_note",
             "refused", "insufficient_scope", "1"),
            (writer, #"{"name": "add_ticket_note", "arguments": {"ticket": 404, "body": "secret words"}}"#, "add_ticket_note",
             "tool_error", nil, "404"),
            (agent, #"{"name": "get_ticket_metadata", "arguments": "nope"}"#, "get_ticket_metadata", "error", "invalid_params", ""),
            (tokenless, #"{"name": "get_ticket_metadata", "arguments": {"ticket": 2}}"#, "get_ticket_metadata", "refused",
             "token_missing", "2"),
            (tokenless, #"{"name": "get_ticket_metadata", "arguments": {"ticket": 3, "access_token": "dgpat_x"}}"#,
             "get_ticket_metadata", "refused", "token_argument_not_accepted", "3"),
        ]
        for (party, params, _, _, _, _) in calls {
            let dispatcher = MCPDispatcher(service: fixture.service, party: party, era: .handshake(version: "2025-06-18", sessionID: nil))
            var outcome = try fixture.reader.snapshot {
                dispatcher.handle(id: .number(JSONNumber(1)), method: "tools/call", params: Self.value(params).objectValue!,
                                  reader: fixture.reader)
            }
            while case .onWorker(_, let work) = outcome { outcome = work(fixture.reader) }
        }
        // The write that reached its worker was written at once; the others (the refused write
        // too: nothing was written) wait for the flush.
        #expect(fixture.service.audit.pending == 7)
        try fixture.service.audit.flush(storage: fixture.service.storage)
        let stored = try fixture.service.storage.withReader { reader in
            try AuditLog(storage: fixture.service.storage, tenant: fixture.tenant).page(AuditFilter(), limit: 50, on: reader).entries
        }
        #expect(stored.count == calls.count)
        // The worker's write went first (newest first: it is the last of the page).
        #expect(stored.last?.tool == "add_ticket_note" && stored.last?.tickets == "404")
        for call in calls {
            let row = try #require(stored.first { $0.tool == call.tool && $0.tickets == call.tickets }, "\(call.tool) \(call.tickets)")
            #expect(row.outcome.rawValue == call.outcome, "\(call.tool)")
            #expect(row.reason == call.reason, "\(call.tool)")
            #expect(row.process.hasPrefix("deskgate-mcp@") && row.argsDigest.count == 64)
            #expect(row.userID == (call.0.verifiedCaller == nil ? nil : fixture.readOnlyAgent.user.id), "\(call.tool)")
        }
        let tokenArgument = try #require(stored.first { $0.tickets == "3" })
        #expect(tokenArgument.argsDigest == AuditArguments.digest(JSONObject([("ticket", .number(JSONNumber(3)))])),
                "the token argument is not in the digest")
    }
}

extension CallAuditTests {
    /// A request refused at the request rate (before the dispatcher) records each of its
    /// tools/calls, a batch's too, and nothing for other methods.
    @Test func callsRefusedAtTheRequestRateAreRecorded() throws {
        let fixture = try ProtocolCoreFixture()
        let body = Self.value("""
            [{"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {"name": "get_ticket_metadata", "arguments": {"ticket": 7}}},
             {"jsonrpc": "2.0", "id": 2, "method": "tools/list"},
             {"jsonrpc": "2.0", "id": 3, "method": "tools/call", "params": {"name": "search_tickets"}}]
            """)
        var tenant = fixture.tenant
        tenant.settingsJSON = UsageLimits(callsPerMinute: 0, tenantCallsPerMinute: 1, writesPerHour: 0, tenantWritesPerHour: 0)
            .merged(into: "{}")
        let meter = UsageMeter()
        #expect(meter.admitCall(tenant: tenant, credential: nil).refusal == nil)
        let refusal = try #require(meter.admitCall(tenant: tenant, credential: nil).refusal)
        CallAudit.recordRateLimited(body, refusal: refusal, service: fixture.service, party: .caller(fixture.readOnlyAgent))
        #expect(fixture.service.audit.pending == 2)
        try fixture.service.audit.flush(storage: fixture.service.storage)
        let rows = try fixture.service.storage.withReader { reader in
            try AuditLog(storage: fixture.service.storage, tenant: fixture.tenant).page(AuditFilter(), limit: 50, on: reader).entries
        }
        #expect(rows.map(\.tool) == ["search_tickets", "get_ticket_metadata"])
        #expect(rows.allSatisfy { $0.outcome == .refused && $0.reason == "rate_limited_tenant" && $0.userID == fixture.readOnlyAgent.user.id })
        #expect(rows.map(\.tickets) == ["", "7"])
    }
}
