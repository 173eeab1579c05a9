/// A tenant id as a statement binds it (`TenantScope.tenantKey`). It binds as the integer it
/// is; binding it also tells an engine with row-level security which tenant the statement is
/// for: PostgreSQL's policies admit only rows of the tenant its session names
/// (`deskgate.tenant`), and the engine sets that before a statement that binds another
/// tenant. A statement that forgets `WHERE tenant_id = …` then sees its own tenant's rows
/// (or none, before any tenant is named), never another's. SQLite has no such wall.
public struct RowTenant: SQLBindable, Sendable, Equatable {
    public let id: Int64

    public init(_ id: Int64) { self.id = id }

    public var sqlValue: SQLValue { .integer(id) }
}
