import DeskgateCrypto
import DeskgateDesk
import DeskgateIdentity
import DeskgateHTTP
import DeskgateJSON
import DeskgateModel

/// `/t/{tenant}/oauth/token`, `/oauth/revoke` (RFC 7009) and `/oauth/introspect` (RFC 7662):
/// form-encoded POSTs with client authentication. They run on the worker pool: signing,
/// and a write that waits for the single writer.
struct TokenEndpoint {
    let service: AuthService

    func install(on router: Router) {
        TokenMetrics.install()
        // The token grants run as tasks: they await the writer's group commit without holding a
        // thread, so concurrent requests share commits (signing is tens of microseconds).
        router.post("/t/{tenant}/oauth/token") { request, context in
            context.run {
                switch try Call.prepare(request, service: service) {
                case .failure(let refusal):
                    TokenMetrics.count(refusal.response, grantType: nil)
                    return refusal.response
                case .success(let call):
                    let response = try await self.token(call)
                    TokenMetrics.count(response, grantType: call.fields["grant_type"])
                    return response
                }
            }
        }
        for (path, handler) in [("/t/{tenant}/oauth/revoke", revoke), ("/t/{tenant}/oauth/introspect", introspect)]
            as [(String, @Sendable (Call) throws -> Response)] {
            router.post(path) { request, context in
                context.offload {
                    switch try Call.prepare(request, service: service) {
                    case .failure(let refusal): return refusal.response
                    case .success(let call): return try handler(call)
                    }
                }
            }
        }
        for path in ["/t/{tenant}/oauth/token", "/t/{tenant}/oauth/revoke", "/t/{tenant}/oauth/introspect"] {
            router.add(["OPTIONS"], path) { _, _ in .response(OAuthResponses.preflight()) }
        }
    }

    /// A parsed request of one of the three endpoints, with its client authenticated.
    struct Call {
        let fields: FormFields
        let client: OAuthClient
        let context: IssuerContext
        let usedBasic: Bool
        let settingsJSON: String

        /// The tenant admin's allowed apps admit this client (`MCPSettings.allowedApps`): read
        /// for new tokens only; revoking and introspecting stay open to every client.
        var appAllowed: Bool { MCPSettings(settingsJSON: settingsJSON).allowsApp(clientID: client.clientID) }

        static func prepare(_ request: Request, service: AuthService) throws -> Result<Call, Refusal> {
            let slug = request.parameter("tenant")
            guard let fields = FormFields.body(of: request) else {
                return .failure(Refusal(OAuthResponses.error(.invalidRequest("the body must be application/x-www-form-urlencoded"))))
            }
            if let name = fields.repeated {
                return .failure(Refusal(OAuthResponses.error(.invalidRequest("the parameter \(name) was sent more than once"))))
            }
            let credentials: ClientRegistry.Credentials
            switch Self.credentials(request, fields) {
            case .failure(let failure): return .failure(Refusal(OAuthResponses.error(failure, basicChallenge: true)))
            case .success(let found): credentials = found
            }
            return try service.storage.withReader { db -> Result<Call, Refusal> in
                let tenant: Tenant
                switch OAuthResponses.open(try TenantGate().decide(slug, on: db)) {
                case .failure(let refusal): return .failure(refusal)
                case .success(let open): tenant = open
                }
                switch try ClientRegistry.authenticate(credentials, tenant: tenant, on: db) {
                case .failure(let failure):
                    return .failure(Refusal(OAuthResponses.error(failure, basicChallenge: credentials.usedBasic)))
                case .success(let client):
                    return .success(Call(fields: fields, client: client, context: service.context(tenant, host: request.routedHost),
                                         usedBasic: credentials.usedBasic, settingsJSON: tenant.settingsJSON))
                }
            }
        }

        /// RFC 6749 §2.3.1: Basic (form-encoded id and secret) or both in the body; a body
        /// `client_id` next to Basic must name the same client.
        static func credentials(_ request: Request, _ fields: FormFields) -> Result<ClientRegistry.Credentials, OAuthFailure> {
            if let header = request.headers["authorization"], header.lowercased().hasPrefix("basic ") {
                let encoded = String(header.dropFirst(6)).trimmed
                var urlSafe = String(encoded.map { $0 == "+" ? "-" : ($0 == "/" ? "_" : $0) })
                while urlSafe.hasSuffix("=") { urlSafe.removeLast() }
                guard let bytes = Base64URL.decode(urlSafe), let text = String(validating: bytes, as: UTF8.self),
                      let colon = text.firstIndex(of: ":"),
                      let id = PercentDecoding.decode(text[..<colon], plusAsSpace: true),
                      let secret = PercentDecoding.decode(text[text.index(after: colon)...], plusAsSpace: true), !id.isEmpty
                else { return .failure(.invalidClient("malformed Basic credentials")) }
                if let bodyID = fields["client_id"], bodyID != id {
                    return .failure(.invalidClient("client_id in the body differs from the Basic credentials"))
                }
                if fields["client_secret"] != nil { return .failure(.invalidRequest("use one client authentication method")) }
                return .success(.init(clientID: id, secret: secret, usedBasic: true))
            }
            guard let id = fields["client_id"] else { return .failure(.invalidClient("client authentication is required")) }
            return .success(.init(clientID: id, secret: fields["client_secret"], usedBasic: false))
        }
    }

    // MARK: token

    private func token(_ call: Call) async throws -> Response {
        let fields = call.fields
        // An app the admin took off the allowed list gets no new tokens, however it was authorized.
        guard call.appAllowed else {
            return OAuthResponses.error(OAuthFailure("unauthorized_client", "this help desk's admin has not allowed this app"))
        }
        let outcome: Result<IssuedTokens, OAuthFailure>
        switch fields["grant_type"] {
        case "authorization_code":
            guard let code = fields["code"] else { return OAuthResponses.error(.invalidRequest("code is required")) }
            outcome = try await service.tokens.redeemCode(code, redirectURI: fields["redirect_uri"], verifier: fields["code_verifier"],
                                                    resource: fields["resource"], client: call.client, context: call.context)
        case "refresh_token":
            guard let token = fields["refresh_token"] else {
                return OAuthResponses.error(.invalidRequest("refresh_token is required"))
            }
            outcome = try await service.tokens.refresh(token, scope: fields["scope"], resource: fields["resource"],
                                                 client: call.client, context: call.context)
        case nil:
            return OAuthResponses.error(.invalidRequest("grant_type is required"))
        case let other?:
            return OAuthResponses.error(OAuthFailure("unsupported_grant_type", "grant_type '\(other)' is not supported"))
        }
        switch outcome {
        case .failure(let failure):
            return OAuthResponses.error(failure)
        case .success(let issued):
            var members: [(String, JSONValue)] = [("access_token", .string(issued.accessToken)), ("token_type", "Bearer"),
                                                  ("expires_in", .number(JSONNumber(issued.expiresIn)))]
            if let refresh = issued.refreshToken { members.append(("refresh_token", .string(refresh))) }
            members.append(("scope", .string(issued.scope)))
            return OAuthResponses.json(members)
        }
    }

    // MARK: revocation, introspection

    private func revoke(_ call: Call) throws -> Response {
        guard let token = call.fields["token"] else { return OAuthResponses.error(.invalidRequest("token is required")) }
        try service.tokens.revoke(token, client: call.client, context: call.context)
        return Response(status: .ok, headers: HTTPHeaders(OAuthResponses.headers))
    }

    private func introspect(_ call: Call) throws -> Response {
        guard call.client.isConfidential else {
            return OAuthResponses.error(.invalidClient("introspection is for confidential clients"), basicChallenge: true)
        }
        guard let token = call.fields["token"] else { return OAuthResponses.error(.invalidRequest("token is required")) }
        guard let members = try service.tokens.introspect(token, context: call.context) else {
            return OAuthResponses.json([("active", false)])
        }
        return OAuthResponses.json(members.map { name, value in
            switch value {
            case .string(let text): return (name, .string(text))
            case .int(let number): return (name, .number(JSONNumber(Int(number))))
            case .bool(let flag): return (name, .bool(flag))
            }
        })
    }
}
