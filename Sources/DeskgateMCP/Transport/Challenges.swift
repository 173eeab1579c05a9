import DeskgateHTTP
import DeskgateJSON
import DeskgateSystem

/// The `WWW-Authenticate` answers of a protected resource (RFC 6750 §3, RFC 9728 §5.1).
struct Challenges {
    let resourceMetadataURL: String
    let allScopes: String

    /// No usable token. `error` only when one was presented (RFC 6750 §3.1).
    func unauthorized(presented: Bool, description: String) -> Response {
        var value = "Bearer resource_metadata=\"\(resourceMetadataURL)\", scope=\"\(allScopes)\""
        if presented { value += ", error=\"invalid_token\", error_description=\"\(Self.quoted(description))\"" }
        var headers = HTTPHeaders([("WWW-Authenticate", value)])
        headers.add("Cache-Control", "no-store")
        let body: JSONValue = presented
            ? ["error": "invalid_token", "error_description": .string(description)]
            : ["error": "unauthorized", "error_description": "an access token is required"]
        return .json(body, status: .unauthorized, headers: headers)
    }

    /// A valid token that lacks the scope this call needs: step-up, before anything runs.
    /// The body is a JSON-RPC error for the call, so clients without step-up still show why.
    func insufficientScope(needed: String, description: String, rpcBody: [UInt8]) -> Response {
        let value = "Bearer error=\"insufficient_scope\", scope=\"\(needed)\", "
            + "resource_metadata=\"\(resourceMetadataURL)\", error_description=\"\(Self.quoted(description))\""
        return .json(rpcBody, status: .forbidden, headers: HTTPHeaders([("WWW-Authenticate", value)]))
    }

    private static func quoted(_ text: String) -> String {
        String(text.filter { $0 != "\"" && $0 != "\\" && !$0.isNewline })
    }
}
