import DeskgateSQL
import DeskgateModel

/// Row decoding for the model's Tag.
extension Tag {
    static let columns = "id, tenant_id, name, created_at"

    init(row: any SQLRow) {
        self.init(id: row.int64(0), tenantID: row.int64(1), name: row.string(2), createdAt: row.int64(3))
    }
}
