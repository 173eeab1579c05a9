public import DeskgateSQL
public import DeskgateModel
import DeskgateSystem

extension TenantScope {
    public var oauthClients: OAuthClientRepository { OAuthClientRepository(scope: self) }
}

/// A tenant's OAuth clients (registered, metadata documents, pre-registered).
public struct OAuthClientRepository: Sendable {
    public let scope: TenantScope

    public func create(_ client: NewOAuthClient, at time: Int64? = nil, in tx: WriteTransaction) throws -> OAuthClient {
        try tx.connection.queryOne("""
            INSERT INTO oauth_clients (tenant_id, client_id, kind, name, redirect_uris_json, grant_types,
                token_endpoint_auth_method, secret_hash, application_type, metadata_json, metadata_expires_at, created_at)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) RETURNING \(OAuthClient.columns)
            """, scope.tenantKey, client.clientID, client.kind, client.name, client.redirectURIsJSON,
            client.grantTypes.joined(separator: " "), client.tokenEndpointAuthMethod, client.secretHash,
            client.applicationType, client.metadataJSON, client.metadataExpiresAt,
            time ?? WallClock.milliseconds()) { try OAuthClient(row: $0) }!
    }

    /// Stores a freshly fetched metadata document: inserts it, or refreshes the cached copy.
    public func upsertDocument(_ client: NewOAuthClient, at time: Int64, in tx: WriteTransaction) throws -> OAuthClient {
        try tx.connection.queryOne("""
            INSERT INTO oauth_clients (tenant_id, client_id, kind, name, redirect_uris_json, grant_types,
                token_endpoint_auth_method, application_type, metadata_json, metadata_expires_at, created_at)
            VALUES (?1, ?2, 'cimd', ?3, ?4, ?5, 'none', ?6, ?7, ?8, ?9)
            ON CONFLICT (tenant_id, client_id) DO UPDATE SET name = excluded.name,
                redirect_uris_json = excluded.redirect_uris_json, grant_types = excluded.grant_types,
                application_type = excluded.application_type, metadata_json = excluded.metadata_json,
                metadata_expires_at = excluded.metadata_expires_at
            WHERE oauth_clients.kind = 'cimd'
            RETURNING \(OAuthClient.columns)
            """, scope.tenantKey, client.clientID, client.name, client.redirectURIsJSON,
            client.grantTypes.joined(separator: " "), client.applicationType, client.metadataJSON,
            client.metadataExpiresAt, time) { try OAuthClient(row: $0) }!
    }

    public func byClientID(_ clientID: String, on db: any SQLConnection) throws -> OAuthClient? {
        try db.queryOne("SELECT \(OAuthClient.columns) FROM oauth_clients WHERE tenant_id = ?1 AND client_id = ?2",
                        scope.tenantKey, clientID) { try OAuthClient(row: $0) }
    }

    /// The stored SHA-256 of the client's secret, for the constant-time check at the token endpoint.
    public func secretHash(clientID: String, on db: any SQLConnection) throws -> [UInt8]? {
        try db.queryOne("SELECT secret_hash FROM oauth_clients WHERE tenant_id = ?1 AND client_id = ?2",
                        scope.tenantKey, clientID) { $0.optionalBlob(0) } ?? nil
    }

    /// A public registration with exactly this normalized metadata, so a client that registers
    /// again on every start reuses its first registration instead of piling up new ones.
    public func publicRegistration(metadataJSON: String, on db: any SQLConnection) throws -> OAuthClient? {
        try db.queryOne("""
            SELECT \(OAuthClient.columns) FROM oauth_clients
            WHERE tenant_id = ?1 AND kind = 'dcr' AND token_endpoint_auth_method = 'none' AND metadata_json = ?2
            ORDER BY id LIMIT 1
            """, scope.tenantKey, metadataJSON) { try OAuthClient(row: $0) }
    }

    public func list(on db: any SQLConnection) throws -> [OAuthClient] {
        try db.queryAll("SELECT \(OAuthClient.columns) FROM oauth_clients WHERE tenant_id = ?1 ORDER BY id",
                        scope.tenantKey) { try OAuthClient(row: $0) }
    }

    /// Only moves forward, so concurrent token requests can record in any order.
    public func recordUse(clientID: String, at time: Int64, in tx: WriteTransaction) throws {
        try tx.connection.run("""
            UPDATE oauth_clients SET last_used_at = ?3
            WHERE tenant_id = ?1 AND client_id = ?2 AND (last_used_at IS NULL OR last_used_at < ?3)
            """, scope.tenantKey, clientID, time)
    }

    /// Deletes the client with its grants (their codes and refresh tokens cascade). The
    /// grant-deleted trigger bumps the revocation counter, so their access tokens stop at once.
    @discardableResult
    public func delete(clientID: String, in tx: WriteTransaction) throws -> Bool {
        try tx.connection.run("DELETE FROM oauth_grants WHERE tenant_id = ?1 AND client_id = ?2", scope.tenantKey, clientID)
        return try tx.connection.run("DELETE FROM oauth_clients WHERE tenant_id = ?1 AND client_id = ?2",
                                     scope.tenantKey, clientID) > 0
    }

    /// Registered and document clients whose last use (or creation, if never used) is before `cutoff`.
    public func idle(before cutoff: Int64, on db: any SQLConnection) throws -> [OAuthClient] {
        try db.queryAll("""
            SELECT \(OAuthClient.columns) FROM oauth_clients
            WHERE tenant_id = ?1 AND kind IN ('dcr', 'cimd') AND COALESCE(last_used_at, created_at) < ?2 ORDER BY id
            """, scope.tenantKey, cutoff) { try OAuthClient(row: $0) }
    }
}
