import DeskgateModel

/// Row decoding and column bindings for the model's Department types.
extension Department {
    static let columns = "id, tenant_id, name, created_at"

    init(row: Statement) {
        self.init(
                  id: row.int64(0),
                  tenantID: row.int64(1),
                  name: row.string(2),
                  createdAt: row.int64(3))
    }
}

extension Contact {
    static let columns = "id, tenant_id, email, name, created_at"

    init(row: Statement) {
        self.init(
                  id: row.int64(0),
                  tenantID: row.int64(1),
                  email: row.optionalString(2),
                  name: row.string(3),
                  createdAt: row.int64(4))
    }
}

extension Tag {
    static let columns = "id, tenant_id, name, created_at"

    init(row: Statement) {
        self.init(
                  id: row.int64(0),
                  tenantID: row.int64(1),
                  name: row.string(2),
                  createdAt: row.int64(3))
    }
}
