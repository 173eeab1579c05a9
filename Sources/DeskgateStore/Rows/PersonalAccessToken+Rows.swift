import DeskgateSQL
import DeskgateModel

/// Row decoding and column bindings for the model's PersonalAccessToken types.
extension PersonalAccessToken {
    static let columns = """
        id, tenant_id, user_id, name, masked, scopes, created_at, last_used_at, expires_at, revoked_at, revoked_by, approval
        """

    init(row: any SQLRow) {
        self.init(id: row.int64(0), tenantID: row.int64(1), userID: row.int64(2), name: row.string(3),
                  masked: row.string(4), scopes: row.string(5).split(separator: " ").map(String.init),
                  createdAt: row.int64(6), lastUsedAt: row.optionalInt64(7), expiresAt: row.int64(8),
                  revokedAt: row.optionalInt64(9), revokedBy: row.optionalInt64(10))
        approval = row.string(11)
    }
}
