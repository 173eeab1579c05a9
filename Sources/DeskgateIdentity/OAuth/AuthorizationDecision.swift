/// What the authorization endpoint does with a request, decided by `AuthorizationRequest` and
/// `AuthorizationProgress` without any I/O; the HTTP edge turns it into a page or a redirect.
public enum AuthorizationDecision: Sendable, Equatable {
    /// The redirect URI cannot be trusted (RFC 6749 §4.1.2.1): the person gets a page and the
    /// client gets nothing, so the endpoint is never an open redirector.
    case errorPage(AuthorizationErrorPage)
    /// Back to the client's verified redirect URI, with `state` and `iss`.
    case redirect(AuthorizationReturn, AuthorizationOutcome)
    /// Nobody is signed in: the browser goes to the login page and comes back with the same request.
    case needsLogin
    /// The person must approve the app on the consent page.
    case needsConsent(ApprovedRequest)
    /// Mint a code: under the grant the person approved before (which may have been revoked
    /// meanwhile, so the issuer checks again), or the one they just gave.
    case issueCode(ApprovedRequest, AuthorizationConsent)
}

public enum AuthorizationConsent: Sendable, Equatable {
    /// A live grant may already cover the request (checked and used in one transaction).
    case remembered
    /// The person approved on the consent page: record or widen the grant.
    case given
}

public enum AuthorizationOutcome: Sendable, Equatable {
    case code(String)
    case error(OAuthFailure)
}

/// Where the answer goes once the redirect URI is verified, and what it always carries:
/// the client's `state` and, per RFC 9207, the issuer.
public struct AuthorizationReturn: Sendable, Equatable {
    public let redirectURI: String
    public let state: String?
    public let issuer: String

    public init(redirectURI: String, state: String?, issuer: String) {
        self.redirectURI = redirectURI
        self.state = state
        self.issuer = issuer
    }

    /// The response parameters in the order clients have always seen them.
    public func parameters(_ outcome: AuthorizationOutcome) -> [(String, String)] {
        var parameters: [(String, String)]
        switch outcome {
        case .code(let code): parameters = [("code", code)]
        case .error(let failure): parameters = [("error", failure.code), ("error_description", failure.description)]
        }
        if let state { parameters.append(("state", state)) }
        parameters.append(("iss", issuer))
        return parameters
    }
}

/// The pages shown instead of a redirect, one case per reason, each with its words.
public enum AuthorizationErrorPage: Error, Sendable, Equatable {
    case repeatedParameter(String)
    case missingClientID
    case unknownClient
    /// The tenant's admin keeps a list of allowed apps (`MCPSettings.allowedApps`) without this one.
    case appNotAllowed(appName: String)
    /// The Client ID Metadata Document could not be fetched or is not valid.
    case clientMetadataUnavailable(String)
    case missingRedirectURI
    case unregisteredRedirectURI

    public var title: String {
        switch self {
        case .repeatedParameter, .missingClientID, .missingRedirectURI: return "Invalid request"
        case .unknownClient: return "Unknown app"
        case .appNotAllowed: return "App not allowed"
        case .clientMetadataUnavailable: return "App metadata unavailable"
        case .unregisteredRedirectURI: return "Redirect not allowed"
        }
    }

    public func message(tenantName: String) -> String {
        switch self {
        case .repeatedParameter(let name): return "The parameter \(name) was sent more than once."
        case .missingClientID: return "The app did not say who it is (client_id is missing)."
        case .unknownClient: return "This app is not registered with \(tenantName)."
        case .appNotAllowed(let name):
            return "The admin of \(tenantName) has not allowed \(name) to connect. Ask them to add it to the allowed apps, "
                + "or connect with an app they allow."
        case .clientMetadataUnavailable(let reason): return "The app's metadata document could not be used: \(reason)"
        case .missingRedirectURI: return "The app did not send a redirect_uri."
        case .unregisteredRedirectURI:
            return "The app asked to send you to an address it did not register. Nothing was sent."
        }
    }
}
