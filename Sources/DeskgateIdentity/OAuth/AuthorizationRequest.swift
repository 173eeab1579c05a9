public import DeskgateModel

/// The parameters of an authorization request as the browser sent them (query or form):
/// each name's value (the last one when repeated) and the first name that came twice.
public struct AuthorizationParameters: Sendable, Equatable {
    public let values: [String: String]
    public let repeated: String?

    public init(values: [String: String], repeated: String?) {
        self.values = values
        self.repeated = repeated
    }

    /// Empty values count as absent (RFC 6749 §3.1).
    public subscript(name: String) -> String? {
        guard let value = values[name], !value.isEmpty else { return nil }
        return value
    }
}

/// `GET/POST /oauth/authorize` as a value (OAuth 2.1 §4.1.1 with PKCE S256, RFC 8707, RFC 9207):
/// built only when every rule that needs no person passed, so holding one means the redirect
/// URI is trusted and the request is well formed.
///
/// The rules run in a fixed order that clients observe (which error wins when several apply):
/// `clientID(in:)` before the client is looked up, `validate` once it is known, `decide` once
/// the browser's session is.
public struct AuthorizationRequest: Sendable, Equatable {
    public let client: OAuthClient
    public let returnAddress: AuthorizationReturn
    public let codeChallenge: String
    /// The tenant's resource as configured (not as the client spelled it): `aud` is compared byte for byte.
    public let resource: String
    public let requestedScope: String?
    public let prompt: String?

    /// What the consent page calls the app.
    public var appName: String { client.name.isEmpty ? client.clientID : client.name }

    /// Which client is asking. Nothing is redirected yet: the redirect URI is not verified.
    public static func clientID(in parameters: AuthorizationParameters) -> Result<String, AuthorizationErrorPage> {
        if let name = parameters.repeated, name == "client_id" || name == "redirect_uri" {
            return .failure(.repeatedParameter(name))
        }
        guard let clientID = parameters["client_id"] else { return .failure(.missingClientID) }
        return .success(clientID)
    }

    public enum Validation: Sendable, Equatable {
        case valid(AuthorizationRequest)
        /// An error page or an error redirect.
        case refused(AuthorizationDecision)
    }

    /// The rules once the client is known. Until its redirect URI matches a registered one the
    /// answer is a page; after that every refusal goes back to the client.
    public static func validate(_ parameters: AuthorizationParameters, client: OAuthClient, issuer: String,
                                resource: String) -> Validation {
        guard let redirectURI = parameters["redirect_uri"] else { return .refused(.errorPage(.missingRedirectURI)) }
        guard RedirectURIPolicy.matches(redirectURI, registered: client.redirectURIs) else {
            return .refused(.errorPage(.unregisteredRedirectURI))
        }
        let back = AuthorizationReturn(redirectURI: redirectURI, state: parameters["state"], issuer: issuer)
        func refuse(_ failure: OAuthFailure) -> Validation {
            .refused(.redirect(back, .error(failure)))
        }
        if let name = parameters.repeated { return refuse(.invalidRequest("the parameter \(name) was sent more than once")) }
        guard parameters["response_type"] == "code" else {
            return refuse(OAuthFailure("unsupported_response_type", "only response_type=code is supported"))
        }
        guard let challenge = parameters["code_challenge"] else {
            return refuse(.invalidRequest("PKCE is required: send code_challenge with code_challenge_method=S256"))
        }
        guard parameters["code_challenge_method"] == "S256" else {
            return refuse(.invalidRequest("code_challenge_method must be S256 (plain is not allowed)"))
        }
        guard challenge.utf8.count == 43, challenge.utf8.allSatisfy(isBase64URL) else {
            return refuse(.invalidRequest("code_challenge must be the base64url SHA-256 of the verifier (43 characters)"))
        }
        guard client.grantTypes.contains("authorization_code") else {
            return refuse(.unauthorizedClient("this client may not use the authorization code grant"))
        }
        // Compared canonically: clients vary in case and trailing slashes.
        if let asked = parameters["resource"] {
            if let problem = ResourceIndicator.problem(asked) { return refuse(.invalidTarget(problem)) }
            guard ResourceIndicator.canonical(asked) == ResourceIndicator.canonical(resource) else {
                return refuse(.invalidTarget("this authorization server issues tokens only for \(resource)"))
            }
        }
        return .valid(AuthorizationRequest(client: client, returnAddress: back, codeChallenge: challenge,
                                             resource: resource, requestedScope: parameters["scope"],
                                             prompt: parameters["prompt"]))
    }

    /// The rules that need the person at the browser (`role` nil: nobody signed in).
    public func decide(signedIn role: UserRole?) -> AuthorizationDecision {
        guard let role else {
            if prompt == "none" { return .redirect(returnAddress, .error(OAuthFailure("login_required", "the user is not signed in"))) }
            return .needsLogin
        }
        let scopes: Scopes
        switch ScopePolicy.narrow(requested: requestedScope, clientRegistered: client.scope, role: role) {
        case .failure(let failure): return .redirect(returnAddress, .error(failure))
        case .success(let granted): scopes = granted
        }
        let approved = ApprovedRequest(clientID: client.clientID, redirectURI: returnAddress.redirectURI,
                                       codeChallenge: codeChallenge, resource: resource, scopes: scopes)
        // prompt=consent and prompt=login ask again even when an earlier approval covers the request.
        if prompt == "consent" || prompt == "login" { return .needsConsent(approved) }
        return .issueCode(approved, .remembered)
    }

    /// When no remembered grant covered the request: ask, unless the client said not to.
    func withoutRememberedConsent(_ approved: ApprovedRequest) -> AuthorizationDecision {
        if prompt == "none" {
            return .redirect(returnAddress, .error(OAuthFailure("consent_required", "the user has not approved this app")))
        }
        return .needsConsent(approved)
    }

    static func isBase64URL(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "-"), UInt8(ascii: "_"): return true
        default: return false
        }
    }
}
