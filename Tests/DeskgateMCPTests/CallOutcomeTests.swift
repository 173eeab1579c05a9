import DeskgateJSON
import DeskgateMetrics
import Testing
@testable import DeskgateMCP

/// How a dispatch outcome is counted in `deskgate_mcp_tool_calls_total`, and which series an index names.
@Suite("MCP call metrics")
struct CallOutcomeTests {
    @Test(arguments: [
        (DispatchOutcome.result(.object(JSONObject([("isError", false)]))), MCPMetrics.CallOutcome.ok),
        (.result(.object(JSONObject([("isError", true)]))), .toolError),
        (.result(.object(JSONObject())), .ok),
        (.encodedResult(EncodedJSON(Array("{}".utf8))), .ok),
        (.error(.invalidParams("Unknown tool: x")), .rpcError),
        (.error(.cancelled), .rpcError),
        (.scopeRequired(scope: "tickets:write", description: "d"), .scopeRequired),
    ])
    func outcomes(outcome: DispatchOutcome, expected: MCPMetrics.CallOutcome) {
        #expect(MCPDispatcher.callOutcome(outcome) == expected)
    }

    @Test func eachSlotNamesItsToolEraAndOutcome() {
        let registry = MetricsRegistry()
        let metrics = MCPMetrics(toolNames: ["a", "b"], registry: registry)
        metrics.countCall(tool: 1, modernEra: true, outcome: .toolError)
        metrics.countCall(tool: metrics.unknownTool, modernEra: false, outcome: .rpcError)
        metrics.countTokenCheck(.oauthAccessToken, .tenantSuspended)
        let text = String(decoding: registry.exposition(), as: UTF8.self)
        #expect(text.contains("deskgate_mcp_tool_calls_total{tool=\"b\",era=\"modern\",outcome=\"tool_error\"} 1\n"))
        #expect(text.contains("deskgate_mcp_tool_calls_total{tool=\"unknown\",era=\"handshake\",outcome=\"rpc_error\"} 1\n"))
        #expect(text.components(separatedBy: "deskgate_mcp_tool_calls_total{").count == 3)   // zeros left out
        #expect(text.contains("deskgate_mcp_token_checks_total{kind=\"oauth_access_token\",result=\"tenant_suspended\"} 1\n"))
        #expect(text.contains("deskgate_mcp_token_checks_total{kind=\"pat\",result=\"accepted\"} 0\n"))
    }
}
