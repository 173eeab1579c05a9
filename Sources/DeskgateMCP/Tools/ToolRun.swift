import DeskgateDesk
import DeskgateJSON
import DeskgateStore
import DeskgateSystem

/// One tools/call: load the actor, run the handler, shape the CallToolResult.
struct ToolRun: Sendable {
    let service: MCPService
    let caller: Caller
    let era: Era
    let tool: ToolDefinition
    let arguments: JSONObject

    func execute(reader: SQLiteConnection) -> DispatchOutcome {
        do {
            let actor = try DeskActor.load(tenant: caller.tenant.scope, user: caller.user, via: .mcp,
                                       tokenID: caller.tokenID, clientID: caller.clientID, on: reader)
            let parsed = try ToolArguments(arguments, allowed: ToolRegistry.parameterNames(of: tool.inputSchema))
            let output = try tool.handler(ToolCall(arguments: parsed, actor: actor, reader: reader,
                                                   database: service.database))
            return .result(result(structured: output.structured, text: output.text, isError: false))
        } catch let error as ToolArgumentError {
            return .result(result(structured: nil, text: "Invalid arguments: \(error)", isError: true))
        } catch let error as DeskError {
            return .result(result(structured: nil, text: error.description, isError: true))
        } catch {
            Log.error("tool_failed", ["tool": .string(tool.name), "error": .string(String(describing: error))])
            return .error(.internalError("the tool \(tool.name) failed; the server log has the details"))
        }
    }

    private func result(structured: JSONObject?, text: String, isError: Bool) -> JSONValue {
        var result = JSONObject([("content", .array([.object(JSONObject([("type", "text"), ("text", .string(text))]))]))])
        if let structured { result["structuredContent"] = .object(structured) }
        result["isError"] = .bool(isError)
        if era.isModern { result["resultType"] = "complete" }
        return .object(result)
    }
}
