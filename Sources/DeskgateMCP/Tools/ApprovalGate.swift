import DeskgateDesk
import DeskgateIdentity
import DeskgateJSON
import DeskgateModel
import DeskgateSystem

/// Writes that wait for a person (issue 18, docs/agent-safety.md). A write tool call under an
/// approval policy does not write: it records an approval request with the dry run of its
/// arguments and sends the person to the approval page on deskgate-auth. How it asks depends
/// on what the client can do:
/// - 2026-07-28 with URL elicitation: an `input_required` result whose URL-mode elicitation
///   names the page, and a sealed `requestState` the retry echoes;
/// - handshake sessions whose client declared URL elicitation: an event stream that carries an
///   `elicitation/create` request (URL mode) and then, once the person decided, the call's answer
///   (`ApprovalWait`, `ApprovalStream`);
/// - anything else: a tool error telling the model to show the link and to call again with
///   `approval_id`.
/// A retry with exactly the approved arguments, by the same user through the same token or
/// app, commits once; everything else is refused with the reason.
struct ApprovalGate: Sendable {
    let service: MCPService
    let run: ToolRun
    let party: RequestParty
    let params: JSONObject
    /// The policy `ToolExposure` carries for the tenant.
    let tenantPolicy: ApprovalPolicy

    static let elicitationKey = "deskgate_approval"

    var era: Era { run.era }
    var caller: Caller { run.caller }
    var tool: ToolDefinition { run.tool }

    func execute(reader: ReadHandle) -> DispatchOutcome {
        let reference = run.arguments["approval_id"]
        let plain: ToolRun
        switch plainRun() {
        case .success(let prepared): plain = prepared
        case .failure(let refusal): return refusal.outcome
        }
        let arguments = plain.arguments
        if case .bool(true)? = arguments["dry_run"] { return plain.execute(reader: reader) }
        do {
            // A retry of a call that already committed under its key replays it, approved or not.
            if let call = plain.idempotency,
               let replay = try IdempotencyKeeper(storage: service.storage).replay(call, tenant: caller.tenant,
                                                                                  userID: caller.user.id, on: reader) {
                return .result(plain.replayed(replay))
            }
            // The write quota (issue 19): checked before an approval is asked for, so nobody
            // approves a change that could not be made.
            if let refusal = service.usage.writeRefusal(tenant: caller.tenant, credential: caller.usageCredential) {
                return Self.quotaRefusal(refusal, era: era)
            }
            let policy = try service.approvals.policy(tenant: tenantPolicy, of: caller.tenant, userID: caller.user.id,
                                                      tokenID: caller.tokenID, clientID: caller.clientID, on: reader)
            guard policy.requiresApproval(readOnly: tool.readOnly, destructive: tool.destructive) else {
                return counted(plain.execute(reader: reader))
            }
            let approved = ApprovedArguments(arguments)
            let binding = ApprovalBinding(tenantID: caller.tenant.id, userID: caller.user.id, tokenID: caller.tokenID,
                                          clientID: caller.clientID, tool: tool.name, argumentsDigest: approved.digest)
            let now = WallClock.milliseconds()
            var named: String?
            switch reference {
            case nil, .null?: named = nil
            case .string(let id)? where !id.isEmpty: named = id
            default: return refusal("approval_id must be the string a previous call of \(tool.name) returned.", reason: "approval_invalid")
            }
            if era.isModern, let state = params["requestState"] {
                guard case .string(let text) = state, let id = service.approvalStates.open(text, binding: binding, now: now) else {
                    return refusal("This retry's requestState is not valid for this call (it expired, or was issued for other "
                                   + "arguments, another user or another help desk); nothing was changed. Call \(tool.name) again "
                                   + "to ask for a new approval.", reason: "approval_invalid")
                }
                if let declined = declinedInClient() { return declined }
                named = id
            }
            switch try service.approvals.find(named, binding: binding, tenant: caller.tenant, now: now, on: reader) {
            case .approved(let approval):
                var approvedRun = plain
                approvedRun.approvalID = approval.id
                return counted(approvedRun.execute(reader: reader))
            case .pending(let approval):
                return ask(approval, binding: binding)
            case .declined(let approval):
                return declined(approval)
            case .used where named != nil:
                return refusal("That approval was already used for one change; nothing was changed. Call \(tool.name) again "
                               + "without approval_id to ask for a new approval.", reason: "approval_used")
            case .expired where named != nil:
                return refusal("That approval expired before it was used; nothing was changed. Call \(tool.name) again "
                               + "without approval_id to ask for a new approval.", reason: "approval_expired")
            case .unknown where named != nil:
                return refusal("approval_id is not an approval of yours for this help desk; nothing was changed.",
                               reason: "approval_invalid")
            case .mismatch(let reason):
                return refusal("approval_id does not match this call: \(reason). Nothing was changed.", reason: "approval_mismatch")
            case .used, .expired, .unknown:
                return try request(plain, arguments: approved, binding: binding, now: now, reader: reader)
            }
        } catch let failure as any TransientFailure where failure.isTransient {
            return .error(.unavailable)
        } catch {
            Log.error("approval_failed", ["tool": .string(tool.name), "error": .string(String(describing: error))])
            return .error(.internalError("the approval of \(tool.name) failed; the server log has the details"))
        }
    }

    /// A new approval request: the dry run of these arguments first (a call that would fail
    /// fails now, with nothing to approve), then the record, then the question to the person.
    private func request(_ plain: ToolRun, arguments: ApprovedArguments, binding: ApprovalBinding, now: Int64,
                         reader: ReadHandle) throws -> DispatchOutcome {
        var dry = plain
        dry.arguments["dry_run"] = .bool(true)
        let outcome = dry.execute(reader: reader)
        guard case .result(let result) = outcome, result["isError"]?.boolValue == false else { return outcome }
        let structured = result["structuredContent"]?.objectValue ?? JSONObject()
        let text = result["content"]?.arrayValue?.first?["text"]?.stringValue ?? ""
        var preview = JSONObject([("summary", .string(structured["summary"]?.stringValue ?? text))])
        if let before = structured["before"] { preview["before"] = before }
        if let after = structured["after"] { preview["after"] = after }
        let number = structured["ticket_number"]?.intValue.map(Int64.init)
        let approval = try service.approvals.request(binding, arguments: arguments, ticketNumber: number,
                                                     ticketID: structured["ticket_id"]?.intValue.map(Int64.init), preview: preview,
                                                     tenant: caller.tenant, now: now)
        Log.info("approval_requested", ["tool": .string(tool.name), "user_id": .int(Int(caller.user.id))])
        return ask(approval, binding: binding)
    }

    /// Sends the person to the approval page, in the client's way (see the type's comment).
    private func ask(_ approval: Approval, binding: ApprovalBinding) -> DispatchOutcome {
        // On the host the caller's token is bound to, when it is (custom domains).
        let url = service.urls.issuer(caller.tenant.slug, host: caller.host) + "/approvals/" + approval.id
        let preview = (try? JSONParser.parse(approval.previewJSON))?["summary"]?.stringValue ?? tool.name
        let message = "Deskgate needs your approval before \(tool.name) changes anything: \(preview). "
            + "Open the page to approve or decline (it expires in 10 minutes)."
        switch era {
        case .modern(let version) where ClientCapabilities.elicitsURL(modernParams: params, version: version):
            let request = JSONObject([
                ("method", "elicitation/create"),
                ("params", .object(JSONObject([("mode", "url"), ("message", .string(message)), ("url", .string(url)),
                                               ("elicitationId", .string(approval.id))]))),
            ])
            return .result(.object(JSONObject([
                ("resultType", "input_required"),
                ("inputRequests", .object(JSONObject([(Self.elicitationKey, .object(request))]))),
                ("requestState", .string(service.approvalStates.seal(approvalID: approval.id, binding: binding,
                                                                     expiresAt: approval.expiresAt))),
            ])))
        case .handshake(_, _, true):
            let gate = self, id = approval.id
            return .awaitingApproval(ApprovalWait(approvalID: id, url: url, message: message, expiresAt: approval.expiresAt) { reader in
                gate.decided(id, binding: binding, reader: reader)
            })
        default:
            let text = "Not done yet: this change needs the approval of \(caller.user.name). Show them this link and ask "
                + "them to approve it: \(url) . When they have, call \(tool.name) again with exactly the same arguments "
                + "plus \"approval_id\": \"\(approval.id)\". The approval expires at \(Timestamp.iso8601(milliseconds: approval.expiresAt)). "
                + "Would do: \(preview)"
            var result = JSONObject([("content", .array([.object(JSONObject([("type", "text"), ("text", .string(text))]))])),
                                     ("isError", true)])
            result["_meta"] = .object(JSONObject([("io.deskgate/approval", .object(JSONObject([
                ("approval_id", .string(approval.id)), ("approval_url", .string(url)),
                ("expires_at", .string(Timestamp.iso8601(milliseconds: approval.expiresAt))), ("status", "pending"),
            ])))]))
            if era.isModern { result["resultType"] = "complete" }
            return .result(.object(result))
        }
    }

    struct Refusal: Error { let outcome: DispatchOutcome }

    /// Counts a write that was made against the quota; errors and replays are not writes.
    private func counted(_ outcome: DispatchOutcome) -> DispatchOutcome {
        let made: Bool
        switch outcome {
        case .encodedResult: made = true
        case .result(let value): made = value["isError"]?.boolValue == false && value["_meta"]?["io.deskgate/idempotent_replay"] == nil
        default: made = false
        }
        if made { service.usage.noteWrite(tenant: caller.tenant, credential: caller.usageCredential) }
        return outcome
    }

    /// A tool error a model can plan around: which limit, what is left, when it renews.
    static func quotaRefusal(_ refusal: LimitRefusal, era: Era) -> DispatchOutcome {
        var result = JSONObject([("content", .array([.object(JSONObject([("type", "text"), ("text", .string(refusal.text))]))])),
                                 ("structuredContent", .object(RateLimitFields.data(refusal))),
                                 ("isError", .bool(true))])
        if era.isModern { result["resultType"] = "complete" }
        return .result(.object(result))
    }

    /// The call as the tool runs it: without the members that steer it (`approval_id`, read by
    /// the gate; `idempotency_key`, which becomes the run's `IdempotentCall`).
    func plainRun() -> Result<ToolRun, Refusal> {
        var plain = run
        let key = plain.arguments["idempotency_key"]
        plain.arguments["approval_id"] = nil
        plain.arguments["idempotency_key"] = nil
        switch key {
        case nil, .null?: break
        case .string(let text)? where (1...IdempotentCall.maximumKeyLength).contains(text.utf8.count):
            plain.idempotency = IdempotentCall(key: text, tool: tool.name, argumentsDigest: ApprovedArguments(plain.arguments).digest)
        default:
            return .failure(Refusal(outcome: ToolRun.refusal(
                "Invalid arguments: idempotency_key must be a string of 1 to \(IdempotentCall.maximumKeyLength) characters.", era: era)))
        }
        return .success(plain)
    }

    /// How a call waiting on its event stream ends (`ApprovalWait.poll`): nil while nobody has
    /// decided; the write once approved; a refusal once declined (on the page or in the client),
    /// expired or otherwise spent.
    func decided(_ id: String, binding: ApprovalBinding, reader: ReadHandle) -> DispatchOutcome? {
        guard case .success(var plain) = plainRun() else { return ToolRun.refusal("Invalid arguments.", era: era) }
        let now = WallClock.milliseconds()
        guard let check = try? service.approvals.find(id, binding: binding, tenant: caller.tenant, now: now, on: reader) else {
            return nil
        }
        switch check {
        case .pending: return nil
        case .approved(let approval):
            plain.approvalID = approval.id
            return counted(plain.execute(reader: reader))
        case .declined(let approval):
            return declined(approval)
        case .expired:
            return refusal("Nobody approved this change within 10 minutes; nothing was changed.", reason: "approval_expired")
        case .used, .unknown, .mismatch:
            return refusal("This approval is no longer valid; nothing was changed.", reason: "approval_invalid")
        }
    }

    /// A 2026-07-28 retry whose client says the person declined or dismissed the approval page.
    private func declinedInClient() -> DispatchOutcome? {
        guard case .string(let action)? = params["inputResponses"]?[Self.elicitationKey]?["action"], action != "accept" else {
            return nil
        }
        return refusal("The approval was \(action == "decline" ? "declined" : "dismissed") in the client; nothing was changed.",
                       reason: "approval_declined")
    }

    /// A refusal the model reads, and its reason code in the audit log.
    private func refusal(_ text: String, reason: String) -> DispatchOutcome {
        run.audit?.refuse(reason)
        return ToolRun.refusal(text, era: era)
    }

    private func declined(_ approval: Approval) -> DispatchOutcome {
        refusal("\(caller.user.name) declined this change\(Self.at(approval.decidedAt)); nothing was changed. "
                + "Do not retry it unless they ask you to.", reason: "approval_declined")
    }

    private static func at(_ time: Int64?) -> String { time.map { " at \(Timestamp.iso8601(milliseconds: $0))" } ?? "" }
}
