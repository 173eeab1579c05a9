import DeskgateSQL
import DeskgateModel

/// Row decoding for the model's Contact.
extension Contact {
    static let columns = "id, tenant_id, email, name, created_at"

    init(row: any SQLRow) {
        self.init(id: row.int64(0), tenantID: row.int64(1), email: row.optionalString(2), name: row.string(3),
                  createdAt: row.int64(4))
    }
}
