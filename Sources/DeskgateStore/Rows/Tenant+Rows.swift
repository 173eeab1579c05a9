public import DeskgateSQL
public import DeskgateModel

/// Row decoding and column bindings for the model's Tenant types.
extension TenantStatus: SQLBindable {}

extension Tenant {
    static let columns = "id, slug, name, status, settings_json, created_at"

    /// The handle through which this tenant's rows are reached.
    public var scope: TenantScope { TenantScope(tenantID: id, slug: slug) }

    init(row: any SQLRow) throws {
        self.init(id: row.int64(0), slug: row.string(1), name: row.string(2),
                  status: try row.value(TenantStatus.self, 3), settingsJSON: row.string(4), createdAt: row.int64(5))
    }
}
