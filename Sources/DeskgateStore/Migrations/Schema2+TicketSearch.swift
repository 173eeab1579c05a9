/// Migration 2: indexes behind ticket search and the help-desk service.
///
/// Search lists tickets newest-updated first with a keyset cursor on (updated_at, id), so
/// every index a search can be driven by ends in (updated_at, id): an equality filter on the
/// leading column then yields rows already in result order and LIMIT stops the scan early.
/// Agents see their departments' tickets plus the ones assigned to or created by them, hence
/// the creator index. Open tickets per department (`list_departments`) count a small partial
/// index instead of the whole table.
enum Schema2 {
    static let ticketSearch = """
        CREATE INDEX tickets_by_updated ON tickets (tenant_id, updated_at, id);
        CREATE INDEX tickets_by_status_updated ON tickets (tenant_id, status, updated_at, id);
        CREATE INDEX tickets_by_assignee_updated ON tickets (tenant_id, assignee_id, updated_at, id);
        CREATE INDEX tickets_by_department_updated ON tickets (tenant_id, department_id, updated_at, id);
        CREATE INDEX tickets_by_creator_updated ON tickets (tenant_id, creator_id, updated_at, id)
            WHERE creator_id IS NOT NULL;
        CREATE INDEX tickets_open_by_department ON tickets (tenant_id, department_id)
            WHERE status IN ('new', 'open', 'pending');

        """
}
