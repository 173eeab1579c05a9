import DeskgateSQL
import DeskgateModel
/// Migration 2: indexes behind ticket search and the help-desk service.
///
/// Search lists tickets newest-updated first with a keyset cursor on (updated_at, id), so
/// every index a search can be driven by has (updated_at, id) right after its equality column:
/// rows then come out in result order and LIMIT stops the scan early. The trailing columns are
/// the other filters: SQLite evaluates them from the index entry and only then reads the row
/// (deferred seek), so a sparse combination such as "closed and unassigned" costs an index
/// walk, not a table lookup per rejected ticket. Agents also see tickets they created, hence
/// the creator index. `tickets_by_created` of migration 1 is rebuilt with the same name and
/// more columns, so a created_at range can be sorted by update time from the index alone.
/// Open tickets per department (`list_departments`) count a small partial
/// index instead of the whole table.
enum Schema2 {
    static let ticketSearch = """
        CREATE INDEX tickets_by_updated ON tickets
            (tenant_id, updated_at, id, status, priority, department_id, assignee_id, creator_id, created_at);
        CREATE INDEX tickets_by_status_updated ON tickets
            (tenant_id, status, updated_at, id, priority, department_id, assignee_id, creator_id);
        CREATE INDEX tickets_by_assignee_updated ON tickets
            (tenant_id, assignee_id, updated_at, id, status, priority, department_id);
        CREATE INDEX tickets_by_department_updated ON tickets
            (tenant_id, department_id, updated_at, id, status, priority, assignee_id, creator_id);
        DROP INDEX tickets_by_created;
        CREATE INDEX tickets_by_created ON tickets
            (tenant_id, created_at, updated_at, id, status, priority, department_id, assignee_id);
        CREATE INDEX tickets_by_creator_updated ON tickets (tenant_id, creator_id, updated_at, id)
            WHERE creator_id IS NOT NULL;
        CREATE INDEX tickets_open_by_department ON tickets (tenant_id, department_id)
            WHERE status IN ('new', 'open', 'pending');

        """
}
