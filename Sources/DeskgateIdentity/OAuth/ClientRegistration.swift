import DeskgateJSON
import DeskgateStore
public import DeskgateModel
import DeskgateSystem

/// A client's registration request as RFC 7591 describes it, already decoded from JSON.
/// Nil fields were absent (the RFC defaults apply).
public struct ClientRegistration: Sendable, Equatable {
    public var redirectURIs: [String]
    public var tokenEndpointAuthMethod: String?
    public var grantTypes: [String]?
    public var responseTypes: [String]?
    public var clientName: String?
    public var clientURI: String?
    public var logoURI: String?
    public var scope: String?
    public var applicationType: String?
    public var softwareID: String?
    public var softwareVersion: String?

    public init(redirectURIs: [String], tokenEndpointAuthMethod: String? = nil, grantTypes: [String]? = nil,
                responseTypes: [String]? = nil, clientName: String? = nil, clientURI: String? = nil, logoURI: String? = nil,
                scope: String? = nil, applicationType: String? = nil, softwareID: String? = nil, softwareVersion: String? = nil) {
        self.redirectURIs = redirectURIs
        self.tokenEndpointAuthMethod = tokenEndpointAuthMethod
        self.grantTypes = grantTypes
        self.responseTypes = responseTypes
        self.clientName = clientName
        self.clientURI = clientURI
        self.logoURI = logoURI
        self.scope = scope
        self.applicationType = applicationType
        self.softwareID = softwareID
        self.softwareVersion = softwareVersion
    }

    public static let authMethods = ["none", "client_secret_basic", "client_secret_post"]
    public static let supportedGrantTypes = ["authorization_code", "refresh_token"]

    /// The registration after defaults and checks: what is stored and echoed.
    public struct Validated: Sendable, Equatable {
        public let redirectURIs: [String]
        public let tokenEndpointAuthMethod: String
        public let grantTypes: [String]
        public let applicationType: OAuthApplicationType
        public let name: String
        /// Canonical JSON of everything registered (member order fixed), so equal requests store equal text.
        public let metadataJSON: String
    }

    /// RFC 7591 §2 defaults (`client_secret_basic`, `["authorization_code"]`, `["code"]`) and our rules.
    public func validated() -> Result<Validated, OAuthFailure> {
        let method = tokenEndpointAuthMethod ?? "client_secret_basic"
        guard Self.authMethods.contains(method) else {
            return .failure(.invalidClientMetadata(
                "token_endpoint_auth_method '\(method)' is not supported; use none, client_secret_basic or client_secret_post"))
        }
        let grants = grantTypes ?? ["authorization_code"]
        for grant in grants where !Self.supportedGrantTypes.contains(grant) {
            return .failure(.invalidClientMetadata("grant type '\(grant)' is not supported; use authorization_code and refresh_token"))
        }
        guard grants.contains("authorization_code") else {
            return .failure(.invalidClientMetadata("grant_types must include authorization_code"))
        }
        let responses = responseTypes ?? ["code"]
        guard !responses.isEmpty, responses.allSatisfy({ $0 == "code" }) else {
            return .failure(.invalidClientMetadata("only the response type 'code' is supported"))
        }
        let type: OAuthApplicationType
        switch applicationType ?? "web" {
        case "web": type = .web
        case "native": type = .native
        case let other: return .failure(.invalidClientMetadata("application_type must be web or native, got '\(other)'"))
        }
        guard !redirectURIs.isEmpty else {
            return .failure(.invalidRedirectURI("redirect_uris is required and must list at least one URI"))
        }
        guard redirectURIs.count <= 20 else { return .failure(.invalidRedirectURI("at most 20 redirect URIs may be registered")) }
        for uri in redirectURIs {
            if let problem = RedirectURIPolicy.registrationProblem(uri, native: type == .native) {
                return .failure(.invalidRedirectURI(problem))
            }
        }
        for (field, value) in [("client_uri", clientURI), ("logo_uri", logoURI)] {
            if let value, !(value.lowercased().hasPrefix("https://") && value.count <= 2000) {
                return .failure(.invalidClientMetadata("\(field) must be an https URL"))
            }
        }
        let name = (clientName ?? "").trimmed
        guard name.count <= 200 else { return .failure(.invalidClientMetadata("client_name is longer than 200 characters")) }
        if let scope, scope.count > 1000 { return .failure(.invalidClientMetadata("scope is too long")) }
        // Unknown scope names are dropped; what remains bounds every authorization of this client.
        let scopes = scope.map { Scopes(known: $0).text }
        var members: JSONObject = [
            "redirect_uris": .array(redirectURIs.map { .string($0) }),
            "token_endpoint_auth_method": .string(method),
            "grant_types": .array(grants.map { .string($0) }),
            "response_types": ["code"],
            "application_type": .string(type.rawValue),
        ]
        if !name.isEmpty { members["client_name"] = .string(name) }
        if let clientURI { members["client_uri"] = .string(clientURI) }
        if let logoURI { members["logo_uri"] = .string(logoURI) }
        if let scopes, !scopes.isEmpty { members["scope"] = .string(scopes) }
        if let softwareID { members["software_id"] = .string(String(softwareID.prefix(200))) }
        if let softwareVersion { members["software_version"] = .string(String(softwareVersion.prefix(100))) }
        let json = JSONValue.object(members).text
        return .success(Validated(redirectURIs: redirectURIs, tokenEndpointAuthMethod: method, grantTypes: grants,
                                  applicationType: type, name: name, metadataJSON: json))
    }
}
