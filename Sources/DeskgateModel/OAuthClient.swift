import DeskgateJSON

/// How a client came to be known: registered over RFC 7591, fetched as a Client ID Metadata
/// Document (`client_id` is the document's URL), or created by an operator.
public enum OAuthClientKind: String, Sendable, CaseIterable {
    case dcr, cimd, preregistered
}

/// OIDC `application_type`: native apps may use private-use URI schemes.
public enum OAuthApplicationType: String, Sendable, CaseIterable {
    case web, native
}

/// An OAuth client of one tenant. The secret is never read back: only whether one exists.
public struct OAuthClient: Sendable, Equatable, Identifiable {
    public let id: Int64
    public let tenantID: Int64
    public let clientID: String
    public let kind: OAuthClientKind
    public let name: String
    public let redirectURIs: [String]
    public let grantTypes: [String]
    /// `none`, `client_secret_basic` or `client_secret_post`.
    public let tokenEndpointAuthMethod: String
    public let applicationType: OAuthApplicationType
    /// The registration as the client sent it (normalized), echoed by registration responses.
    public let metadataJSON: String
    /// Space-separated scopes the client registered; empty = no restriction of its own.
    public let scope: String
    public let metadataExpiresAt: Int64?
    public let createdAt: Int64
    public let lastUsedAt: Int64?

    public var isConfidential: Bool { tokenEndpointAuthMethod != "none" }

    /// The registered `scope`, kept inside the metadata (the table has no column of its own).
    package static func scope(inMetadata json: String) -> String {
        (try? JSONParser.parse(json))?["scope"]?.stringValue ?? ""
    }

    /// A JSON array of strings; anything else reads as empty.
    package static func strings(inJSONArray json: String) -> [String] {
        guard let items = (try? JSONParser.parse(json))?.arrayValue else { return [] }
        let strings = items.compactMap(\.stringValue)
        return strings.count == items.count ? strings : []
    }

    public init(id: Int64, tenantID: Int64, clientID: String, kind: OAuthClientKind, name: String,
                redirectURIs: [String], grantTypes: [String], tokenEndpointAuthMethod: String,
                applicationType: OAuthApplicationType, metadataJSON: String, scope: String, metadataExpiresAt: Int64?,
                createdAt: Int64, lastUsedAt: Int64?) {
        self.id = id
        self.tenantID = tenantID
        self.clientID = clientID
        self.kind = kind
        self.name = name
        self.redirectURIs = redirectURIs
        self.grantTypes = grantTypes
        self.tokenEndpointAuthMethod = tokenEndpointAuthMethod
        self.applicationType = applicationType
        self.metadataJSON = metadataJSON
        self.scope = scope
        self.metadataExpiresAt = metadataExpiresAt
        self.createdAt = createdAt
        self.lastUsedAt = lastUsedAt
    }
}

/// What registering a client stores. The caller hashes the secret; the store never sees it.
public struct NewOAuthClient: Sendable {
    public var clientID: String
    public var kind: OAuthClientKind
    public var name: String
    public var redirectURIs: [String]
    public var grantTypes: [String]
    public var tokenEndpointAuthMethod: String
    /// Raw SHA-256 of the secret (secrets are 256 random bits: a fast hash suffices).
    public var secretHash: [UInt8]?
    public var applicationType: OAuthApplicationType
    public var metadataJSON: String
    public var metadataExpiresAt: Int64?

    public init(clientID: String, kind: OAuthClientKind, name: String, redirectURIs: [String], grantTypes: [String],
                tokenEndpointAuthMethod: String, secretHash: [UInt8]?, applicationType: OAuthApplicationType,
                metadataJSON: String, metadataExpiresAt: Int64? = nil) {
        self.clientID = clientID
        self.kind = kind
        self.name = name
        self.redirectURIs = redirectURIs
        self.grantTypes = grantTypes
        self.tokenEndpointAuthMethod = tokenEndpointAuthMethod
        self.secretHash = secretHash
        self.applicationType = applicationType
        self.metadataJSON = metadataJSON
        self.metadataExpiresAt = metadataExpiresAt
    }

    package var redirectURIsJSON: String {
        JSONValue.array(redirectURIs.map { .string($0) }).text
    }
}
