public import DeskgateIdentity
public import DeskgateModel
public import DeskgateJSON
import DeskgateCrypto
import DeskgateSQL
import DeskgateStore
import DeskgateSystem

/// Writes that wait for a person (issue 18): which policy applies to a call, asking for an
/// approval, the person's decision on the approval page, and what a retry finds. The write
/// itself uses the approval inside its own transaction (`DeskActor.approvalID`).
public struct ApprovalService: Sendable {
    let database: Database

    public init(storage: Storage) { database = storage.database }

    /// The policy for a call: the tenant's, tightened by the personal access token's or by
    /// the app's grant of this user.
    func policy(tenant: ApprovalPolicy, tenantScope scope: TenantScope, userID: Int64, tokenID: Int64?,
                       clientID: String?, on db: any SQLConnection) throws -> ApprovalPolicy {
        if tenant == .writes { return tenant }
        let stored: String
        if let tokenID {
            stored = try scope.personalAccessTokens.byID(tokenID, on: db)?.approval ?? ""
        } else if let clientID {
            stored = try scope.approvals.grantPolicy(userID: userID, clientID: clientID, on: db)
        } else {
            stored = ""
        }
        return tenant.tightened(by: ApprovalPolicy(stored: stored))
    }

    public func policy(tenant: ApprovalPolicy, of caller: Tenant, userID: Int64, tokenID: Int64?, clientID: String?,
                       on reader: ReadHandle) throws -> ApprovalPolicy {
        try policy(tenant: tenant, tenantScope: caller.scope, userID: userID, tokenID: tokenID, clientID: clientID,
                   on: reader.connection)
    }

    /// What a retry finds: the approval `id` names (from `approval_id` or a request state), or
    /// else the newest open one for exactly this call.
    public func find(_ id: String?, binding: ApprovalBinding, tenant: Tenant, now: Int64, on reader: ReadHandle) throws -> ApprovalCheck {
        let scope = tenant.scope, db = reader.connection
        if let id {
            guard id.utf8.count <= 64, let approval = try scope.approvals.byID(id, on: db) else { return .unknown }
            return binding.check(approval, now: now)
        }
        guard let approval = try scope.approvals.latestOpen(
            userID: binding.userID, tokenID: binding.tokenID, clientID: binding.clientID, tool: binding.tool,
            argumentsDigest: binding.argumentsDigest, now: now, on: db) else { return .unknown }
        return binding.check(approval, now: now)
    }

    /// Records a request for approval of this call, with the dry run the person will see.
    /// The ticket is named by number (help-desk results) or internal id (workflow results).
    public func request(_ binding: ApprovalBinding, arguments: ApprovedArguments, ticketNumber: Int64?, ticketID internalID: Int64?,
                        preview: JSONObject, tenant: Tenant, now: Int64) throws -> Approval {
        let scope = tenant.scope
        return try database.write { tx in
            let ticketID = try ticketNumber.flatMap { try scope.tickets.byNumber($0, on: tx.connection)?.id }
                ?? internalID.flatMap { try scope.tickets.byID($0, on: tx.connection)?.id }
            let approval = Approval(
                id: SecureRandom.base64URL(byteCount: 18), tenantID: binding.tenantID, userID: binding.userID,
                tokenID: binding.tokenID, clientID: binding.clientID, tool: binding.tool, argumentsJSON: arguments.json,
                argumentsDigest: arguments.digest, ticketID: ticketID, previewJSON: JSONValue.object(preview).text,
                createdAt: now, expiresAt: now + Approval.lifetimeMilliseconds, decision: nil, decidedAt: nil, usedAt: nil)
            try scope.approvals.add(approval, in: tx)
            return approval
        }
    }

    /// An approval as its own user sees it on the approval page; nil when it is not theirs
    /// (another user's id is as unknown as a made-up one).
    public func approval(_ id: String, userID: Int64, tenant: Tenant, on reader: ReadHandle) throws -> ApprovalView? {
        let scope = tenant.scope, db = reader.connection
        guard id.utf8.count <= 64, let approval = try scope.approvals.byID(id, on: db), approval.userID == userID else { return nil }
        return try ApprovalView(approval, credential: credentialName(approval, scope: scope, on: db))
    }

    /// The user's approvals still waiting for them, newest first (the MCP Integration page).
    public func pending(userID: Int64, tenant: Tenant, now: Int64, on reader: ReadHandle) throws -> [ApprovalView] {
        let scope = tenant.scope, db = reader.connection
        return try scope.approvals.list(forUser: userID, pendingOnly: true, now: now, on: db).map {
            try ApprovalView($0, credential: credentialName($0, scope: scope, on: db))
        }
    }

    /// The person's decision. Only the approval's own user, while it is undecided and in time;
    /// the ticket's history records it under their name, via the web.
    /// `via` is `.web` for the approval page, `.mcp` when the person declined in their client
    /// (a handshake-era `elicitation/create` answered with decline or cancel).
    public func decide(_ id: String, approve: Bool, userID: Int64, tenant: Tenant, now: Int64,
                       via: ActivityVia = .web) throws -> ApprovalView {
        let scope = tenant.scope
        return try database.write { tx in
            let db = tx.connection
            guard let approval = try scope.approvals.byID(id, on: db), approval.userID == userID else {
                throw DeskError.notFound("approval")
            }
            guard try scope.approvals.decide(id, userID: userID, approve: approve, at: now, in: tx) else {
                switch approval.status(at: now) {
                case .expired: throw DeskError.conflict("This approval expired; ask the assistant to try again.")
                default: throw DeskError.conflict("This approval was already decided.")
                }
            }
            let credential = try credentialName(approval, scope: scope, on: db)
            if let ticketID = approval.ticketID {
                _ = try scope.activity.append(NewActivity(
                    ticketID: ticketID, actorUserID: userID, via: via, action: approve ? "approval.granted" : "approval.declined",
                    afterJSON: JSONValue.object(JSONObject([("tool", .string(approval.tool)), ("for", .string(credential))])).text,
                    createdAt: now), in: tx)
            }
            guard let decided = try scope.approvals.byID(id, on: db) else { throw DeskError.notFound("approval") }
            return ApprovalView(decided, credential: credential)
        }
    }

    /// The app's name, or the masked token, that asked.
    func credentialName(_ approval: Approval, scope: TenantScope, on db: any SQLConnection) throws -> String {
        if let clientID = approval.clientID {
            return try scope.oauthClients.byClientID(clientID, on: db).map { $0.name.isEmpty ? $0.clientID : $0.name } ?? clientID
        }
        if let tokenID = approval.tokenID {
            return try scope.personalAccessTokens.byID(tokenID, on: db)?.masked ?? "a personal access token"
        }
        return "an MCP client"
    }
}

/// An approval as pages show it.
public struct ApprovalView: Sendable, Equatable {
    public let approval: Approval
    /// Who asked: the app's name or the masked personal access token.
    public let credential: String
    /// The dry run shown to the person: one line, and the fields before and after.
    public let summary: String
    public let before: [(String, String)]
    public let after: [(String, String)]
    /// The arguments as the model sent them, for people (pretty JSON).
    public let arguments: String

    init(_ approval: Approval, credential: String) {
        self.approval = approval
        self.credential = credential
        let preview = (try? JSONParser.parse(approval.previewJSON)) ?? .null
        summary = preview["summary"]?.stringValue ?? ""
        func fields(_ key: String) -> [(String, String)] {
            (preview[key]?.objectValue.map { Array($0) } ?? []).map { ($0.key, $0.value.stringValue ?? $0.value.text) }
        }
        before = fields("before")
        after = fields("after")
        arguments = ((try? JSONParser.parse(approval.argumentsJSON)) ?? JSONValue.null).prettyText()
    }

    public static func == (a: ApprovalView, b: ApprovalView) -> Bool {
        a.approval == b.approval && a.credential == b.credential
    }
}
