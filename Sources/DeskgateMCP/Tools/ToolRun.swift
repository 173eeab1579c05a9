import DeskgateDesk
import DeskgateJSON
import DeskgateIdentity
import DeskgateModel
import DeskgateSystem

/// One tools/call: load the actor, run the handler, shape the CallToolResult.
struct ToolRun: Sendable {
    let service: MCPService
    let caller: Caller
    let era: Era
    let tool: ToolDefinition
    var arguments: JSONObject
    /// The tenant's MCP data limit (from the call's `ToolExposure`), applied by the domain.
    var dataLimit: MCPDataLimit? = nil
    /// The approval this write uses (`ApprovalGate`): spent in the write's own transaction.
    var approvalID: String? = nil
    /// The call's audit row in the making: refusals decided here name their reason on it.
    var audit: CallAudit? = nil
    /// The call's idempotency key (`ApprovalGate` reads it): claimed in the write's transaction;
    /// the result is kept for replays.
    var idempotency: IdempotentCall? = nil

    func execute(reader: ReadHandle) -> DispatchOutcome {
        do {
            let actor = if let departments = caller.departmentIDs {
                DeskActor(tenant: caller.tenant, user: caller.user, departmentIDs: departments, via: .mcp,
                          tokenID: caller.tokenID, clientID: caller.clientID)
            } else {
                try DeskActor.load(tenant: caller.tenant, user: caller.user, via: .mcp,
                                   tokenID: caller.tokenID, clientID: caller.clientID, on: reader)
            }
            let parsed = try ToolArguments(arguments, inputSchema: tool.inputSchema)
            var acting = dataLimit == nil ? actor : actor.limited(by: dataLimit)
            // Reads carry neither: they leave the actor as it is (no copy on the hot path).
            if let approvalID { acting = acting.using(approval: approvalID) }
            if let idempotency { acting.idempotency = idempotency }
            let output = try tool.handler(ToolCall(arguments: parsed, actor: acting,
                                                   reader: reader,
                                                   storage: service.storage))
            switch output.body {
            case .values(let structured, let text):
                let value = result(structured: structured, text: text, isError: false)
                if let idempotency, structured["dry_run"]?.boolValue != true { keep(idempotency, value) }
                return .result(value)
            case .written(let write):
                var w = JSONWriter(capacity: 1024)
                w.beginObject()
                write(&w)
                w.key(literal: "isError"); w.bool(false)
                if era.isModern { w.key(literal: "resultType"); w.string(literal: "complete") }
                w.endObject()
                return .encodedResult(EncodedJSON(w.bytes))
            }
        } catch let replay as IdempotentReplay {
            return .result(replayed(replay))
        } catch let error as ToolArgumentError {
            return .result(result(structured: nil, text: "Invalid arguments: \(error)", isError: true))
        } catch let error as DeskError {
            // Not allowed (a role, the tenant's data limit): a refusal in the audit log, not a mistake.
            if case .forbidden = error { audit?.refuse("not_permitted") }
            return .result(result(structured: nil, text: error.description, isError: true))
        } catch let failure as any OverBudgetFailure where failure.overBudgetReason != nil {
            // A runaway read was stopped at its budget (the connection is fine): the model can
            // narrow the call, so it is a tool error, not a protocol one.
            Log.info("tool_over_budget", ["tool": .string(tool.name), "budget_ms": .int(failure.exceededBudgetMilliseconds ?? 0)])
            return .result(result(structured: nil, text: failure.overBudgetReason!, isError: true))
        } catch let failure as any TransientFailure where failure.isTransient {
            Log.error("tool_unavailable", ["tool": .string(tool.name), "error": .string(String(describing: failure))])
            return .error(.unavailable)
        } catch {
            Log.error("tool_failed", ["tool": .string(tool.name), "error": .string(String(describing: error))])
            return .error(.internalError("the tool \(tool.name) failed; the server log has the details"))
        }
    }

    /// Keeps a keyed call's result for its replays. A failure to keep it loses only the replay's
    /// copy (the write and the key committed together), so it is logged, not returned.
    private func keep(_ call: IdempotentCall, _ value: JSONValue) {
        do {
            try IdempotencyKeeper(storage: service.storage).keep(call, resultJSON: value.text, tenant: caller.tenant,
                                                                 userID: caller.user.id)
        } catch {
            Log.error("idempotency_keep_failed", ["tool": .string(tool.name), "error": .string(String(describing: error))])
        }
    }

    /// The first call's result again, marked as a replay; nothing was written this time.
    func replayed(_ replay: IdempotentReplay) -> JSONValue {
        let first = Timestamp.iso8601(milliseconds: replay.firstCalledAt)
        guard case .object(var object)? = try? JSONParser.parse(Array(replay.resultJSON.utf8)) else {
            // The first call committed and has not kept its result (yet, or its process stopped
            // in between): say what is known, as an error so the model does not repeat the change.
            return result(structured: nil, text: "Already done: a call with this idempotency_key and these arguments was "
                          + "applied at \(first); its result is not available yet (call again in a moment to get it, or "
                          + "read the ticket). Nothing was changed now.", isError: true)
        }
        object["_meta"] = .object(JSONObject([("io.deskgate/idempotent_replay", .object(JSONObject([("first_called_at", .string(first))])))]))
        object["resultType"] = era.isModern ? "complete" : nil
        return .object(object)
    }

    private func result(structured: JSONObject?, text: String, isError: Bool) -> JSONValue {
        Self.result(structured: structured, text: text, isError: isError, era: era)
    }

    /// A tool error the model can act on, for refusals decided before a tool runs.
    static func refusal(_ text: String, era: Era) -> DispatchOutcome {
        .result(result(structured: nil, text: text, isError: true, era: era))
    }

    private static func result(structured: JSONObject?, text: String, isError: Bool, era: Era) -> JSONValue {
        var result = JSONObject([("content", .array([.object(JSONObject([("type", "text"), ("text", .string(text))]))]))])
        if let structured { result["structuredContent"] = .object(structured) }
        result["isError"] = .bool(isError)
        if era.isModern { result["resultType"] = "complete" }
        return .object(result)
    }
}
