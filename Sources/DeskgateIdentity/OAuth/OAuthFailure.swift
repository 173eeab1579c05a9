/// A refusal in the words of the OAuth RFCs: `code` is the registered error code
/// (RFC 6749 §4.1.2.1 / §5.2, RFC 7591 §3.2.2, RFC 8707), `description` a sentence fit
/// for `error_description` (never a secret). The HTTP edge picks the status.
public struct OAuthFailure: Error, Equatable, Sendable, CustomStringConvertible {
    public let code: String
    public let description: String

    public init(_ code: String, _ description: String) {
        self.code = code
        self.description = description
    }

    public static func invalidRequest(_ why: String) -> OAuthFailure { OAuthFailure("invalid_request", why) }
    public static func invalidClient(_ why: String) -> OAuthFailure { OAuthFailure("invalid_client", why) }
    public static func invalidGrant(_ why: String) -> OAuthFailure { OAuthFailure("invalid_grant", why) }
    public static func invalidScope(_ why: String) -> OAuthFailure { OAuthFailure("invalid_scope", why) }
    public static func invalidTarget(_ why: String) -> OAuthFailure { OAuthFailure("invalid_target", why) }
    public static func unauthorizedClient(_ why: String) -> OAuthFailure { OAuthFailure("unauthorized_client", why) }
    public static func accessDenied(_ why: String) -> OAuthFailure { OAuthFailure("access_denied", why) }
    public static func invalidRedirectURI(_ why: String) -> OAuthFailure { OAuthFailure("invalid_redirect_uri", why) }
    public static func invalidClientMetadata(_ why: String) -> OAuthFailure { OAuthFailure("invalid_client_metadata", why) }
}
