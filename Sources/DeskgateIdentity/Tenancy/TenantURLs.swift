/// The URLs a tenant is known by, built from the two public base URLs (`DESKGATE_AUTH_PUBLIC_URL`,
/// `DESKGATE_MCP_PUBLIC_URL`). Both servers build them here: the issuer and the resource must be
/// byte-identical in metadata, in minted tokens and in the checks that verify them.
///
/// `host`: the tenant's own host name a request arrived at (custom domains, issue 20), nil for
/// the path URLs. On a host the issuer is `{scheme}://{host}{:port}` and the resource
/// `{scheme}://{host}{:port}/mcp`, scheme and port taken from the server's public URL (the port
/// only when it is not the scheme's default).
public struct TenantURLs: Sendable, Equatable {
    public let authBase: String
    public let mcpBase: String
    private let authOrigin: HostOrigin
    private let mcpOrigin: HostOrigin

    public init(authBase: String, mcpBase: String) {
        self.authBase = authBase
        self.mcpBase = mcpBase
        authOrigin = HostOrigin(publicURL: authBase)
        mcpOrigin = HostOrigin(publicURL: mcpBase)
    }

    /// The tenant's OAuth issuer (`iss` of its tokens, RFC 8414 `issuer`).
    public func issuer(_ slug: String, host: String? = nil) -> String {
        guard let host else { return "\(authBase)/t/\(slug)" }
        return authOrigin.url(host)
    }

    /// The tenant's MCP endpoint: the RFC 8707 resource and the audience of its access tokens.
    public func resource(_ slug: String, host: String? = nil) -> String {
        guard let host else { return "\(mcpBase)/t/\(slug)/mcp" }
        return mcpOrigin.url(host) + "/mcp"
    }

    /// RFC 9728 protected resource metadata, at the path-inserted location for `resource`.
    public func resourceMetadata(_ slug: String, host: String? = nil) -> String {
        guard let host else { return "\(mcpBase)/.well-known/oauth-protected-resource/t/\(slug)/mcp" }
        return mcpOrigin.url(host) + "/.well-known/oauth-protected-resource/mcp"
    }

    /// The MCP server's base for other paths of the tenant (`/sse`): `{mcpBase}/t/{slug}` or the host's origin.
    public func mcpTenantBase(_ slug: String, host: String? = nil) -> String {
        guard let host else { return "\(mcpBase)/t/\(slug)" }
        return mcpOrigin.url(host)
    }

    /// Where the tenant's pages and endpoints live on the server: `/t/{slug}`, or "" at its own host.
    public static func pathPrefix(_ slug: String, host: String?) -> String { host == nil ? "/t/\(slug)" : "" }
}

/// The scheme and explicit port of a public base URL, to put a tenant's host name between.
struct HostOrigin: Sendable, Equatable {
    let scheme: String
    /// ":8443", or "" for the scheme's default port.
    let portSuffix: String

    init(publicURL: String) {
        let parts = publicURL.split(separator: "://", maxSplits: 1)
        let scheme = parts.count == 2 ? parts[0].lowercased() : "https"
        let authority = parts.count == 2 ? parts[1].prefix { $0 != "/" && $0 != "?" && $0 != "#" } : ""
        var port = ""
        // The port follows the last ':' unless that ':' is inside a bracketed IPv6 address.
        if let colon = authority.lastIndex(of: ":"), !authority[colon...].contains("]") {
            port = String(authority[authority.index(after: colon)...])
        }
        let isDefault = port.isEmpty || (scheme == "http" && port == "80") || (scheme == "https" && port == "443")
        self.scheme = scheme
        portSuffix = isDefault ? "" : ":" + port
    }

    func url(_ host: String) -> String { "\(scheme)://\(host)\(portSuffix)" }
}
