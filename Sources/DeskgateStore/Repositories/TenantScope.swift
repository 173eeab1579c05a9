public import DeskgateSQL
import DeskgateModel
/// The only door to tenant-owned rows. Every repository reached through it binds this
/// tenant's id into every query, so code holding a scope cannot read or write another
/// tenant's rows, and a row id from another tenant simply is not found.
///
/// Obtained from `TenantDirectory` (or a `Tenant` row), never built from a bare number by
/// callers outside the store.
public struct TenantScope: Sendable, Hashable, CustomStringConvertible {
    public let tenantID: Int64
    public let slug: String

    init(tenantID: Int64, slug: String) {
        self.tenantID = tenantID
        self.slug = slug
    }

    public var description: String { "tenant \(slug) (#\(tenantID))" }

    /// The tenant id as every statement of the scope's repositories binds it: on PostgreSQL it
    /// also names the tenant to row-level security (`RowTenant`), the second wall behind the
    /// `WHERE tenant_id = ?` each statement spells.
    public var tenantKey: RowTenant { RowTenant(tenantID) }

    public var users: UserRepository { UserRepository(scope: self) }
    public var departments: DepartmentRepository { DepartmentRepository(scope: self) }
    public var contacts: ContactRepository { ContactRepository(scope: self) }
    public var tickets: TicketRepository { TicketRepository(scope: self) }
    public var messages: MessageRepository { MessageRepository(scope: self) }
    public var tags: TagRepository { TagRepository(scope: self) }
    public var activity: ActivityRepository { ActivityRepository(scope: self) }
}
