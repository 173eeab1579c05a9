import DeskgateDesk
import DeskgateIdentity
import DeskgateHTTP
import DeskgateJSON
import DeskgateModel

/// `POST /t/{tenant}/oauth/register`: RFC 7591 dynamic registration, open (no initial access
/// token: MCP clients have none), so rate-limited per address and per tenant.
struct RegistrationEndpoint {
    let service: AuthService

    func install(on router: Router) {
        let path = "/t/{tenant}/oauth/register"
        router.post(path) { request, context in
            let slug = request.parameter("tenant")
            // The counters are shared by every process (a write each): counted on a worker.
            return context.offload {
                let limits = service.configuration.oauth
                guard try service.registrations.admit("address|\(slug)|\(request.remoteAddress)",
                                                      limit: limits.registrationsPerAddressPerHour),
                      try service.registrations.admit("tenant|\(slug)", limit: limits.registrationsPerTenantPerHour) else {
                    var response = OAuthResponses.json([("error", "temporarily_unavailable"),
                                                        ("error_description", "too many client registrations; try again later")],
                                                       status: .tooManyRequests)
                    response.headers.add("Retry-After", "3600")
                    return response
                }
                return try self.register(request, slug: slug)
            }
        }
        router.add(["OPTIONS"], path) { _, _ in .response(OAuthResponses.preflight()) }
    }

    private func register(_ request: Request, slug: String) throws -> Response {
        let tenant: Tenant
        switch OAuthResponses.open(try service.storage.withReader { try TenantGate().decide(slug, on: $0) }) {
        case .failure(let refusal): return refusal.response
        case .success(let open): tenant = open
        }
        let registration: ClientRegistration
        switch Self.decode(request) {
        case .failure(let failure): return OAuthResponses.error(failure)
        case .success(let decoded): registration = decoded
        }
        switch try service.registry.register(registration, tenant: tenant) {
        case .failure(let failure):
            return OAuthResponses.error(failure)
        case .success(let registered):
            return OAuthResponses.json(Self.members(registered), status: .created)
        }
    }

    /// JSON body → registration; wrong types are `invalid_client_metadata` naming the field.
    static func decode(_ request: Request) -> Result<ClientRegistration, OAuthFailure> {
        guard let type = request.headers["content-type"]?.lowercased(), type.hasPrefix("application/json") else {
            return .failure(.invalidClientMetadata("the registration must be a JSON object (Content-Type: application/json)"))
        }
        guard let value = try? JSONParser.parse(request.body), let object = value.objectValue else {
            return .failure(.invalidClientMetadata("the registration must be a JSON object"))
        }
        func string(_ name: String) -> Result<String?, OAuthFailure> {
            guard let member = object[name], !member.isNull else { return .success(nil) }
            guard let text = member.stringValue else { return .failure(.invalidClientMetadata("\(name) must be a string")) }
            return .success(text)
        }
        func strings(_ name: String, failure: (String) -> OAuthFailure) -> Result<[String]?, OAuthFailure> {
            guard let member = object[name], !member.isNull else { return .success(nil) }
            guard let array = member.arrayValue else { return .failure(failure("\(name) must be an array of strings")) }
            var out: [String] = []
            for item in array {
                guard let text = item.stringValue else { return .failure(failure("\(name) must be an array of strings")) }
                out.append(text)
            }
            return .success(out)
        }
        do {
            let redirects = try strings("redirect_uris", failure: OAuthFailure.invalidRedirectURI).get()
            return .success(ClientRegistration(
                redirectURIs: redirects ?? [],
                tokenEndpointAuthMethod: try string("token_endpoint_auth_method").get(),
                grantTypes: try strings("grant_types", failure: OAuthFailure.invalidClientMetadata).get(),
                responseTypes: try strings("response_types", failure: OAuthFailure.invalidClientMetadata).get(),
                clientName: try string("client_name").get(), clientURI: try string("client_uri").get(),
                logoURI: try string("logo_uri").get(), scope: try string("scope").get(),
                applicationType: try string("application_type").get(), softwareID: try string("software_id").get(),
                softwareVersion: try string("software_version").get()))
        } catch {
            return .failure(error)
        }
    }

    /// RFC 7591 §3.2.1: the registered metadata plus the issued id (and secret, once).
    static func members(_ registered: RegisteredClient) -> [(String, JSONValue)] {
        let client = registered.client
        var members: [(String, JSONValue)] = [("client_id", .string(client.clientID)),
                                              ("client_id_issued_at", .number(JSONNumber(Int(client.createdAt / 1000))))]
        if let secret = registered.secret {
            members.append(("client_secret", .string(secret)))
            members.append(("client_secret_expires_at", 0))
        }
        if let stored = try? JSONParser.parse(client.metadataJSON), let object = stored.objectValue {
            for (key, value) in object { members.append((key, value)) }
        }
        return members
    }
}
