/// A client's registration as published in its client ID metadata document, after validation.
/// The authorization server treats it as a public client (`none`): a document anyone can read
/// cannot hold a shared secret.
public struct ClientMetadataDocument: Sendable, Equatable {
    /// The document URL, which is the client_id.
    public let clientID: String
    public let clientName: String?
    public let redirectURIs: [String]
    /// At least `authorization_code`; defaults to `["authorization_code"]`.
    public let grantTypes: [String]
    /// Exactly `["code"]` today (defaulted when absent).
    public let responseTypes: [String]
    /// Always `"none"` for now.
    public let tokenEndpointAuthMethod: String
    public let scope: String?
    public let clientURI: String?
    public let logoURI: String?
    /// How long this document may be reused before fetching again, in [60, 86400].
    public let maxAgeSeconds: Int

    public init(clientID: String, clientName: String?, redirectURIs: [String], grantTypes: [String],
                responseTypes: [String], tokenEndpointAuthMethod: String, scope: String?, clientURI: String?,
                logoURI: String?, maxAgeSeconds: Int) {
        self.clientID = clientID
        self.clientName = clientName
        self.redirectURIs = redirectURIs
        self.grantTypes = grantTypes
        self.responseTypes = responseTypes
        self.tokenEndpointAuthMethod = tokenEndpointAuthMethod
        self.scope = scope
        self.clientURI = clientURI
        self.logoURI = logoURI
        self.maxAgeSeconds = maxAgeSeconds
    }
}
