import DeskgateJSON

/// How a client came to be known: registered over RFC 7591, fetched as a Client ID Metadata
/// Document (`client_id` is the document's URL), or created by an operator.
public enum OAuthClientKind: String, Sendable, CaseIterable, SQLBindable {
    case dcr, cimd, preregistered
}

/// OIDC `application_type`: native apps may use private-use URI schemes.
public enum OAuthApplicationType: String, Sendable, CaseIterable, SQLBindable {
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

    static let columns = """
        id, tenant_id, client_id, kind, name, redirect_uris_json, grant_types, token_endpoint_auth_method,
        application_type, metadata_json, metadata_expires_at, created_at, last_used_at
        """

    init(row: Statement) throws {
        id = row.int64(0)
        tenantID = row.int64(1)
        clientID = row.string(2)
        kind = try row.value(OAuthClientKind.self, 3)
        name = row.string(4)
        redirectURIs = Self.strings(inJSONArray: row.string(5))
        grantTypes = row.string(6).split(separator: " ").map(String.init)
        tokenEndpointAuthMethod = row.string(7)
        applicationType = try row.value(OAuthApplicationType.self, 8)
        metadataJSON = row.string(9)
        metadataExpiresAt = row.optionalInt64(10)
        createdAt = row.int64(11)
        lastUsedAt = row.optionalInt64(12)
        scope = Self.scope(inMetadata: metadataJSON)
    }

    /// The registered `scope`, kept inside the metadata (the table has no column of its own).
    static func scope(inMetadata json: String) -> String {
        (try? JSONParser.parse(json))?["scope"]?.stringValue ?? ""
    }

    /// A JSON array of strings; anything else reads as empty.
    static func strings(inJSONArray json: String) -> [String] {
        guard let items = (try? JSONParser.parse(json))?.arrayValue else { return [] }
        let strings = items.compactMap(\.stringValue)
        return strings.count == items.count ? strings : []
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

    var redirectURIsJSON: String {
        JSONValue.array(redirectURIs.map { .string($0) }).text
    }
}
