import Testing
@testable import DeskgateDesk
@testable import DeskgateIdentity
import DeskgateJSON
import DeskgateStore
import DeskgateModel
import DeskgateSystem

/// Writes that wait for a person (issue 18): the rules as values first (policy, binding,
/// request state, argument digest), then the service on a real database (the decision, and
/// the write that spends its approval once).
@Suite struct ApprovalRuleTests {
    @Test func aTokenOrAppOnlyTightensTheTenantsPolicy() {
        let table: [(ApprovalPolicy, ApprovalPolicy?, ApprovalPolicy)] = [
            (.never, nil, .never), (.never, .destructive, .destructive), (.never, .writes, .writes),
            (.destructive, .never, .destructive), (.destructive, .writes, .writes),
            (.writes, .never, .writes), (.writes, .destructive, .writes),
        ]
        for (tenant, credential, expected) in table {
            #expect(tenant.tightened(by: credential) == expected, "\(tenant) + \(String(describing: credential))")
        }
    }

    @Test func whichCallsWait() {
        // (policy, read-only, destructive) → waits
        let table: [(ApprovalPolicy, Bool, Bool, Bool)] = [
            (.never, false, true, false), (.destructive, false, false, false), (.destructive, false, true, true),
            (.destructive, true, true, false), (.writes, false, false, true), (.writes, true, false, false),
        ]
        for (policy, readOnly, destructive, waits) in table {
            #expect(policy.requiresApproval(readOnly: readOnly, destructive: destructive) == waits,
                    "\(policy) readOnly=\(readOnly) destructive=\(destructive)")
        }
        #expect(ApprovalPolicy(stored: "") == nil && ApprovalPolicy(stored: "bogus") == nil && ApprovalPolicy(stored: "writes") == .writes)
    }

    @Test func theArgumentDigestIgnoresOrderAndTheSteeringMembers() throws {
        func digest(_ text: String) throws -> String { ApprovedArguments(try JSONParser.parse(text).objectValue!).digest }
        let base = try digest(#"{"ticket": 5, "tags": ["a", "b"], "meta": {"x": 1, "y": 2}}"#)
        #expect(try digest(#"{"meta": {"y": 2, "x": 1}, "tags": ["a", "b"], "ticket": 5}"#) == base)
        #expect(try digest(#"{"ticket": 5, "tags": ["a", "b"], "meta": {"x": 1, "y": 2}, "dry_run": false, "approval_id": "abc"}"#) == base)
        #expect(try digest(#"{"ticket": 5, "tags": ["b", "a"], "meta": {"x": 1, "y": 2}}"#) != base, "array order is meaning")
        #expect(try digest(#"{"ticket": 6, "tags": ["a", "b"], "meta": {"x": 1, "y": 2}}"#) != base)
        #expect(ApprovedArguments(try JSONParser.parse(#"{"b": 1, "a": 2}"#).objectValue!).json == #"{"a":2,"b":1}"#)
    }

    static let binding = ApprovalBinding(tenantID: 1, userID: 10, tokenID: 7, clientID: nil, tool: "resolve_ticket",
                                         argumentsDigest: "d1")

    static func approval(tenant: Int64 = 1, user: Int64 = 10, token: Int64? = 7, client: String? = nil,
                         tool: String = "resolve_ticket", digest: String = "d1", decision: String? = "approved",
                         used: Int64? = nil, expiresAt: Int64 = 2_000) -> Approval {
        Approval(id: "a1", tenantID: tenant, userID: user, tokenID: token, clientID: client, tool: tool, argumentsJSON: "{}",
                 argumentsDigest: digest, ticketID: nil, previewJSON: "{}", createdAt: 1_000, expiresAt: expiresAt,
                 decision: decision, decidedAt: decision == nil ? nil : 1_100, usedAt: used)
    }

    @Test func theBindingDecidesWhetherAnApprovalServesARetry() {
        let now: Int64 = 1_500
        let table: [(String, Approval, ApprovalCheck)] = [
            ("approved", Self.approval(), .approved(Self.approval())),
            ("pending", Self.approval(decision: nil), .pending(Self.approval(decision: nil))),
            ("declined", Self.approval(decision: "declined"), .declined(Self.approval(decision: "declined"))),
            ("used once already", Self.approval(used: 1_200), .used),
            ("expired", Self.approval(expiresAt: now), .expired),
            ("another tenant's", Self.approval(tenant: 2), .unknown),
            ("another user's", Self.approval(user: 11), .unknown),
            ("another token's", Self.approval(token: 8), .unknown),
            ("an app's, not this token's", Self.approval(token: nil, client: "app"), .unknown),
        ]
        for (label, approval, expected) in table {
            #expect(Self.binding.check(approval, now: now) == expected, "\(label)")
        }
        guard case .mismatch = Self.binding.check(Self.approval(tool: "assign_ticket"), now: now) else {
            Issue.record("another tool's approval served")
            return
        }
        guard case .mismatch(let reason) = Self.binding.check(Self.approval(digest: "d2"), now: now) else {
            Issue.record("other arguments served")
            return
        }
        #expect(reason.contains("other arguments"))
    }

    @Test func theRequestStateOpensOnlyForItsOwnCallInTime() {
        let states = ApprovalRequestState(key: Array("k".utf8) + [UInt8](repeating: 1, count: 31))
        let sealed = states.seal(approvalID: "a1", binding: Self.binding, expiresAt: 2_000)
        #expect(states.open(sealed, binding: Self.binding, now: 1_500) == "a1")
        func other(tenant: Int64 = 1, user: Int64 = 10, token: Int64? = 7, client: String? = nil, tool: String = "resolve_ticket",
                   digest: String = "d1") -> ApprovalBinding {
            ApprovalBinding(tenantID: tenant, userID: user, tokenID: token, clientID: client, tool: tool, argumentsDigest: digest)
        }
        let refused: [(String, String, ApprovalBinding, Int64)] = [
            ("another tenant", sealed, other(tenant: 2), 1_500),
            ("another user", sealed, other(user: 11), 1_500),
            ("another token", sealed, other(token: 8), 1_500),
            ("an app instead of the token", sealed, other(token: nil, client: "app"), 1_500),
            ("another tool", sealed, other(tool: "assign_ticket"), 1_500),
            ("other arguments", sealed, other(digest: "d2"), 1_500),
            ("expired", sealed, Self.binding, 2_000),
            ("another key's", ApprovalRequestState(key: [UInt8](repeating: 2, count: 32))
                .seal(approvalID: "a1", binding: Self.binding, expiresAt: 2_000), Self.binding, 1_500),
            ("no tag", String(sealed.split(separator: ".")[0]), Self.binding, 1_500),
            ("garbage", "not.a-state", Self.binding, 1_500),
            ("empty", "", Self.binding, 1_500),
            ("too long", String(repeating: "A", count: 5_000), Self.binding, 1_500),
        ]
        for (label, state, binding, now) in refused {
            #expect(states.open(state, binding: binding, now: now) == nil, "\(label)")
        }
    }
}

@Suite struct ApprovalServiceTests {
    static func request(_ f: HelpDeskFixture, _ service: ApprovalService, user: User, tool: String = "add_ticket_tags",
                        arguments: String = #"{"ticket": 1, "tags": ["approved"]}"#, now: Int64) throws -> (Approval, ApprovalBinding) {
        let args = ApprovedArguments(try JSONParser.parse(arguments).objectValue!)
        let binding = ApprovalBinding(tenantID: f.scope.tenantID, userID: user.id, tokenID: 7, clientID: nil, tool: tool,
                                      argumentsDigest: args.digest)
        let tenant = try #require(try f.read { try TenantDirectory().bySlug("acme", on: $0) })
        let approval = try service.request(binding, arguments: args, ticketNumber: 1, ticketID: nil,
                                           preview: JSONObject([("summary", "Would add tag approved to ticket #1")]),
                                           tenant: tenant, now: now)
        return (approval, binding)
    }

    @Test func onlyItsOwnUserDecidesOnceAndTheWriteSpendsItOnce() throws {
        let f = try HelpDeskFixture()
        let service = ApprovalService(storage: Storage(f.database))
        let tenant = try #require(try f.read { try TenantDirectory().bySlug("acme", on: $0) })
        let now = WallClock.milliseconds()
        let (approval, _) = try Self.request(f, service, user: f.sam, now: now)
        #expect(approval.status(at: now) == .pending && approval.ticketID == f.t1.id)

        // Another user of the tenant: as if it did not exist.
        #expect(throws: DeskError.notFound("approval")) {
            try service.decide(approval.id, approve: true, userID: f.admin.id, tenant: tenant, now: now)
        }
        let decided = try service.decide(approval.id, approve: true, userID: f.sam.id, tenant: tenant, now: now + 1)
        #expect(decided.approval.status(at: now + 2) == .approved && decided.credential == "a personal access token")
        #expect(throws: DeskError.self) { try service.decide(approval.id, approve: false, userID: f.sam.id, tenant: tenant, now: now + 3) }

        // The write uses it in its own transaction; a second write with it is refused and writes nothing.
        let actor = try f.actor(f.sam, tokenID: 7).using(approval: approval.id)
        _ = try f.service.addTags(.number(1), ["approved"], actor: actor, dryRun: false)
        let before = try f.snapshot()
        #expect(throws: DeskError.self) { _ = try f.service.addTags(.number(1), ["again"], actor: actor, dryRun: false) }
        #expect(try f.snapshot() == before, "the refused replay rolled its write back")

        let history = try f.read { try f.service.activity(.number(1), actor: actor, on: $0) }.entries
        #expect(history.map(\.action) == ["approval.granted", "ticket.add_tags"])
        #expect(history[0].via == .web && history[0].actor?.name == "Sam Support")
        #expect(history[1].after["approved_by"]?.hasPrefix("Sam Support") == true)
    }

    @Test func thePolicyOfACallIsTheTenantsTightenedByItsTokenOrApp() throws {
        let f = try HelpDeskFixture()
        let service = ApprovalService(storage: Storage(f.database))
        let (token, strictToken) = try f.database.write { tx in
            func token(_ hash: UInt8, approval: String = "") throws -> PersonalAccessToken {
                var new = NewPersonalAccessToken(
                    userID: f.sam.id, name: "t\(hash)", tokenHash: [UInt8](repeating: hash, count: 32), masked: "dgpat_…\(hash)",
                    scopes: ["tickets:write"], expiresAt: 9_999_999_999_999, createdAt: 1)
                new.approval = approval
                return try f.scope.personalAccessTokens.create(new, in: tx)
            }
            let plain = try token(1), strict = try token(2, approval: "destructive")
            _ = try f.scope.oauthClients.create(NewOAuthClient(
                clientID: "careful-app", kind: .dcr, name: "Careful", redirectURIs: ["http://127.0.0.1:9/cb"],
                grantTypes: ["authorization_code"], tokenEndpointAuthMethod: "none", secretHash: nil,
                applicationType: .native, metadataJSON: "{}"), in: tx)
            let grant = try f.scope.oauthGrants.create(userID: f.sam.id, clientID: "careful-app", scopes: ["tickets:write"],
                                                       resource: "r", at: 1, in: tx)
            try f.scope.approvals.setGrantPolicy("writes", grantID: grant.id, in: tx)
            return (plain, strict)
        }
        let table: [(String, ApprovalPolicy, Int64?, String?, ApprovalPolicy)] = [
            ("plain token", .never, token.id, nil, .never),
            ("strict token", .never, strictToken.id, nil, .destructive),
            ("careful app", .destructive, nil, "careful-app", .writes),
            ("another user's app grant does not count", .never, nil, "unknown-app", .never),
            ("the tenant's rule stays", .writes, token.id, nil, .writes),
        ]
        for (label, tenant, tokenID, clientID, expected) in table {
            let policy = try f.read { db in
                try service.policy(tenant: tenant, tenantScope: f.scope, userID: f.sam.id, tokenID: tokenID, clientID: clientID, on: db)
            }
            #expect(policy == expected, "\(label)")
        }
    }

    @Test func anExpiredApprovalCannotBeDecidedNorUsed() throws {
        let f = try HelpDeskFixture()
        let service = ApprovalService(storage: Storage(f.database))
        let tenant = try #require(try f.read { try TenantDirectory().bySlug("acme", on: $0) })
        let past = WallClock.milliseconds() - Approval.lifetimeMilliseconds - 1_000
        let (approval, binding) = try Self.request(f, service, user: f.sam, now: past)
        #expect(throws: DeskError.self) { try service.decide(approval.id, approve: true, userID: f.sam.id, tenant: tenant, now: WallClock.milliseconds()) }
        let found = try f.database.withReader { db in
            try service.find(approval.id, binding: binding, tenant: tenant, now: WallClock.milliseconds(), on: ReadHandle(db))
        }
        #expect(found == .expired)
        let actor = try f.actor(f.sam, tokenID: 7).using(approval: approval.id)
        #expect(throws: DeskError.self) { _ = try f.service.addTags(.number(1), ["late"], actor: actor, dryRun: false) }
    }

    @Test func aDeclinedApprovalIsRecordedAndNeverServes() throws {
        let f = try HelpDeskFixture()
        let service = ApprovalService(storage: Storage(f.database))
        let tenant = try #require(try f.read { try TenantDirectory().bySlug("acme", on: $0) })
        let now = WallClock.milliseconds()
        let (approval, binding) = try Self.request(f, service, user: f.sam, now: now)
        _ = try service.decide(approval.id, approve: false, userID: f.sam.id, tenant: tenant, now: now + 1)
        let pending = try f.database.withReader { db in
            try service.pending(userID: f.sam.id, tenant: tenant, now: now + 2, on: ReadHandle(db))
        }
        #expect(pending.isEmpty)
        let found = try f.database.withReader { db in
            try service.find(nil, binding: binding, tenant: tenant, now: now + 2, on: ReadHandle(db))
        }
        #expect(found == .unknown, "a retry without a reference asks anew rather than finding the declined one")
        let actor = try f.actor(f.sam, tokenID: 7).using(approval: approval.id)
        #expect(throws: DeskError.self) { _ = try f.service.addTags(.number(1), ["declined"], actor: actor, dryRun: false) }
    }
}
