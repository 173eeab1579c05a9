import DeskgateDesk
import DeskgateIdentity
import DeskgateJSON
import DeskgateModel
import DeskgateSystem
import Synchronization

/// What the audit log will say of one tools/call (docs/audit.md), gathered while the call is
/// handled: who (once the caller is known), the arguments the tool saw, and why it was refused
/// when a refusal is decided outside the result's shape. `finish` records the row into the
/// process's `AuditTrail` when the call's outcome is known (on the worker, for work that runs
/// there); a write tool's row is written to the database then, before the answer leaves.
final class CallAudit: Sendable {
    private let trail: AuditTrail
    private let storage: Storage
    private let process: String
    private let tenantID: Int64
    private let tool: String
    private let at: Int64
    private let started: UInt64
    private let state: Mutex<State>

    struct State {
        var userID: Int64?
        var tokenID: Int64?
        var clientID: String?
        var arguments: JSONObject
        var reason: String?
        var isWrite = false
    }

    /// Longest tool name kept as sent (an unknown name is the client's text).
    static let maximumToolName = 64

    init(service: MCPService, tenant: Tenant, tool: String, arguments: JSONObject, caller: Caller?) {
        trail = service.audit
        storage = service.storage
        process = service.processName
        tenantID = tenant.id
        self.tool = tool.utf8.count <= Self.maximumToolName ? tool : String(tool.prefix(Self.maximumToolName))
        at = WallClock.milliseconds()
        started = MonotonicClock.nanoseconds()
        var initial = State(arguments: arguments)
        if let caller { initial.userID = caller.user.id; initial.tokenID = caller.tokenID; initial.clientID = caller.clientID }
        state = Mutex(initial)
    }

    /// The caller the call runs as (a token passed as an argument replaces the header's).
    func identify(_ caller: Caller) {
        state.withLock { $0.userID = caller.user.id; $0.tokenID = caller.tokenID; $0.clientID = caller.clientID }
    }

    /// The arguments as the tool sees them (after `access_token` was taken out).
    func arguments(_ arguments: JSONObject) { state.withLock { $0.arguments = arguments } }

    func markWrite() { state.withLock { $0.isWrite = true } }

    /// The call is refused for `reason` (a short code, docs/audit.md), whatever answer says so.
    func refuse(_ reason: String) { state.withLock { $0.reason = reason } }

    /// Records the call once `outcome` is final: work still to run on a worker is wrapped, so
    /// the row is recorded (and, for a write, flushed) when it has run.
    func finish(_ outcome: DispatchOutcome) -> DispatchOutcome {
        switch outcome {
        case .onWorker(let kind, let work):
            return .onWorker(kind) { reader in self.finish(work(reader)) }
        case .onWorkerMayAsk(let work):
            return .onWorkerMayAsk { reader in self.finish(work(reader)) }
        case .awaitingApproval(let wait):
            // The call waits on its event stream for a person: recorded now as asking (nothing
            // was written), and again with the outcome once the person decided.
            record(.refused, reason: "approval_required", result: nil)
            let poll = wait.poll
            return .awaitingApproval(ApprovalWait(approvalID: wait.approvalID, url: wait.url, message: wait.message,
                                                  expiresAt: wait.expiresAt) { reader in
                guard let decided = poll(reader) else { return nil }
                self.state.withLock { $0.reason = nil }
                return self.finish(decided)
            })
        case .result(let value):
            let (classified, reason) = Self.classify(value)
            let refusal = state.withLock { $0.reason }
            record(refusal == nil ? classified : .refused, reason: refusal ?? reason, result: value["structuredContent"]?.objectValue)
        case .encodedResult:
            record(.ok, reason: nil, result: nil)
        case .error(let error):
            let refusal = state.withLock { $0.reason }
            record(refusal == nil ? .error : .refused, reason: refusal ?? Self.code(error), result: nil)
        case .scopeRequired:
            record(.refused, reason: "insufficient_scope", result: nil)
        case .accepted:
            break
        }
        return outcome
    }

    /// Records the call as refused for `reason`, with nothing run.
    func recordRefused(_ reason: String) { record(.refused, reason: reason, result: nil) }

    private func record(_ outcome: AuditOutcome, reason: String?, result: JSONObject?) {
        let elapsed = Int((MonotonicClock.nanoseconds() &- started) / 1_000_000)
        let now = state.withLock { $0 }
        // Only the members that name a ticket are kept until the flush, not the whole result.
        var tickets: JSONObject?
        if let result {
            var kept = JSONObject()
            if let number = result["ticket_number"] { kept["ticket_number"] = number }
            if let number = result["ticket"]?["number"] { kept["ticket"] = .object(JSONObject([("number", number)])) }
            tickets = kept
        }
        let row = AuditRecord(tenantID: tenantID, at: at, userID: now.userID, tokenID: now.tokenID, clientID: now.clientID,
                              tool: tool, argsDigest: "", tickets: "", outcome: outcome, reason: reason,
                              durationMilliseconds: elapsed, process: process)
        guard now.isWrite else {
            trail.record(row, arguments: now.arguments, result: tickets)
            return
        }
        // An acknowledged write is in the log before its answer leaves (docs/audit.md).
        do { try trail.write(row, arguments: now.arguments, result: tickets, storage: storage) } catch {
            Log.error("audit_write_failed", ["tool": .string(tool), "error": .string(String(describing: error))])
        }
    }

    /// How a tools/call result ended: ok (a retry answered from its idempotency key says so),
    /// a tool error, or a refusal the result itself names (an approval asked for, a write quota).
    static func classify(_ value: JSONValue) -> (AuditOutcome, reason: String?) {
        if value["resultType"]?.stringValue == "input_required" { return (.refused, "approval_required") }
        if value["_meta"]?["io.deskgate/approval"] != nil { return (.refused, "approval_required") }
        guard value["isError"]?.boolValue == true else {
            return (.ok, value["_meta"]?["io.deskgate/idempotent_replay"] != nil ? "idempotent_replay" : nil)
        }
        if let data = value["structuredContent"], data["error"]?.stringValue == "write_quota_exceeded" {
            return (.refused, "write_quota_" + (data["scope"]?.stringValue ?? "token"))
        }
        return (.toolError, nil)
    }

    /// A JSON-RPC error as a reason code.
    static func code(_ error: RPCError) -> String {
        switch error.kind {
        case .unavailable: return "unavailable"
        case .rateLimited: return "rate_limited"
        case .tenantRefused: return "tenant_refused"
        default: break
        }
        switch error.code {
        case -32602: return "invalid_params"
        case -32601: return "method_not_found"
        case -32600: return "invalid_request"
        case -32603: return "internal_error"
        case -32800: return "cancelled"
        default: return "rpc_\(error.code)"
        }
    }
}

extension CallAudit {
    /// Records the tools/calls of a request refused before it was read further (the request
    /// rate, `MCPHTTPEndpoint` and `LegacySSEEndpoint`): each call in the body (one message or
    /// a batch) as `refused` with `rate_limited_token` or `rate_limited_tenant`.
    static func recordRateLimited(_ body: JSONValue, refusal: LimitRefusal, service: MCPService, party: RequestParty) {
        let messages: [JSONValue] = if case .array(let items) = body { items } else { [body] }
        for message in messages {
            guard message["method"]?.stringValue == "tools/call", let params = message["params"]?.objectValue,
                  case .string(let name)? = params["name"] else { continue }
            let audit = CallAudit(service: service, tenant: party.tenant, tool: name,
                                  arguments: params["arguments"]?.objectValue ?? JSONObject(), caller: party.verifiedCaller)
            audit.recordRefused("rate_limited_" + refusal.scope.rawValue)
        }
    }
}
