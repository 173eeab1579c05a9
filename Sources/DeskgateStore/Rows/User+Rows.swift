public import DeskgateSQL
import DeskgateModel

/// Row decoding and column bindings for the model's User types.
extension UserRole: SQLBindable {}

extension User {
    static let columns = """
        id, tenant_id, email, name, alias, role, password_hash, is_active, created_at, last_login_at, creator_id, updated_at, \
        label, lang, phone
        """

    init(row: any SQLRow) throws {
        self.init(id: row.int64(0), tenantID: row.int64(1), email: row.string(2), name: row.string(3),
                  alias: row.optionalString(4), role: try row.value(UserRole.self, 5),
                  passwordHash: row.optionalString(6), isActive: row.bool(7), createdAt: row.int64(8),
                  lastLoginAt: row.optionalInt64(9), creatorID: row.optionalInt64(10), updatedAt: row.optionalInt64(11),
                  label: row.optionalString(12), lang: row.optionalString(13), phone: row.optionalString(14))
    }
}
