public import DeskgateSQL
import DeskgateModel

/// Row decoding and column bindings for the model's OAuthClient types.
extension OAuthApplicationType: SQLBindable {}

extension OAuthClientKind: SQLBindable {}

extension OAuthClient {
    static let columns = """
        id, tenant_id, client_id, kind, name, redirect_uris_json, grant_types, token_endpoint_auth_method,
        application_type, metadata_json, metadata_expires_at, created_at, last_used_at
        """

    init(row: any SQLRow) throws {
        self.init(id: row.int64(0), tenantID: row.int64(1), clientID: row.string(2),
                  kind: try row.value(OAuthClientKind.self, 3), name: row.string(4),
                  redirectURIs: Self.strings(inJSONArray: row.string(5)),
                  grantTypes: row.string(6).split(separator: " ").map(String.init),
                  tokenEndpointAuthMethod: row.string(7), applicationType: try row.value(OAuthApplicationType.self, 8),
                  metadataJSON: row.string(9), scope: Self.scope(inMetadata: row.string(9)),
                  metadataExpiresAt: row.optionalInt64(10), createdAt: row.int64(11), lastUsedAt: row.optionalInt64(12))
    }
}
