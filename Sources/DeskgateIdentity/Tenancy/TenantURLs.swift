/// The URLs a tenant is known by, built from the two public base URLs (`DESKGATE_AUTH_PUBLIC_URL`,
/// `DESKGATE_MCP_PUBLIC_URL`). Both servers build them here: the issuer and the resource must be
/// byte-identical in metadata, in minted tokens and in the checks that verify them.
public struct TenantURLs: Sendable, Equatable {
    public let authBase: String
    public let mcpBase: String

    public init(authBase: String, mcpBase: String) {
        self.authBase = authBase
        self.mcpBase = mcpBase
    }

    /// The tenant's OAuth issuer (`iss` of its tokens, RFC 8414 `issuer`).
    public func issuer(_ slug: String) -> String { "\(authBase)/t/\(slug)" }

    /// The tenant's MCP endpoint: the RFC 8707 resource and the audience of its access tokens.
    public func resource(_ slug: String) -> String { "\(mcpBase)/t/\(slug)/mcp" }

    /// RFC 9728 protected resource metadata, at the path-inserted location for `resource`.
    public func resourceMetadata(_ slug: String) -> String {
        "\(mcpBase)/.well-known/oauth-protected-resource/t/\(slug)/mcp"
    }
}
