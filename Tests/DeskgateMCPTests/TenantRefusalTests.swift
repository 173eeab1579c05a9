import DeskgateJSON
import Testing
@testable import DeskgateMCP

/// The MCP edges' one answer for an unknown or suspended tenant, over HTTP and JSON-RPC.
struct TenantRefusalTests {
    @Test(arguments: [
        (TenantRefusal.unknown(slug: "nobody"), 404, "not_found", "there is no help desk 'nobody' here"),
        (.suspended(slug: "initech"), 403, "tenant_suspended",
         "the help desk 'initech' is suspended; its MCP server refuses every call until it is resumed"),
    ])
    func answers(refusal: TenantRefusal, status: Int, code: String, description: String) throws {
        let response = refusal.httpResponse
        #expect(response.status.code == status)
        let body = try JSONParser.parse(String(decoding: response.body, as: UTF8.self)).objectValue
        #expect(body?["error"]?.stringValue == code)
        #expect(body?["error_description"]?.stringValue == description)

        // stdio and the token argument: the same code and words as a JSON-RPC error.
        let rpc = refusal.rpcError
        #expect(rpc.code == -32001 && rpc.message == description && rpc.kind == .tenantRefused(refusal))
        #expect(StreamableHTTPStatus.of(rpc.kind).code == status)
        #expect(rpc.data?.objectValue?["error"]?.stringValue == code)
    }
}
