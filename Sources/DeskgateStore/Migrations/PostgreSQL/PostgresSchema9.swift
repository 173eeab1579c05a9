/// Migration 9 on PostgreSQL: workflow tickets counted per 30-day bucket by triggers (see
/// `Schema9`; the table and its first counts come from `Schema9.table`).
enum PostgresSchema9 {
    static let counting = """
        CREATE FUNCTION deskgate_count_workflow_tickets() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP <> 'INSERT' AND OLD.workflow_version_id IS NOT NULL THEN
                INSERT INTO workflow_ticket_months (tenant_id, month, tickets)
                    VALUES (OLD.tenant_id, OLD.created_at / \(Schema9.bucketMilliseconds), 0) ON CONFLICT DO NOTHING;
                UPDATE workflow_ticket_months SET tickets = tickets - 1
                    WHERE tenant_id = OLD.tenant_id AND month = OLD.created_at / \(Schema9.bucketMilliseconds);
            END IF;
            IF TG_OP <> 'DELETE' AND NEW.workflow_version_id IS NOT NULL THEN
                INSERT INTO workflow_ticket_months (tenant_id, month, tickets)
                    VALUES (NEW.tenant_id, NEW.created_at / \(Schema9.bucketMilliseconds), 0) ON CONFLICT DO NOTHING;
                UPDATE workflow_ticket_months SET tickets = tickets + 1
                    WHERE tenant_id = NEW.tenant_id AND month = NEW.created_at / \(Schema9.bucketMilliseconds);
            END IF;
            RETURN NULL;
        END $$;
        CREATE TRIGGER workflow_ticket_counted AFTER INSERT ON tickets FOR EACH ROW
            WHEN (NEW.workflow_version_id IS NOT NULL) EXECUTE FUNCTION deskgate_count_workflow_tickets();
        CREATE TRIGGER workflow_ticket_uncounted AFTER DELETE ON tickets FOR EACH ROW
            WHEN (OLD.workflow_version_id IS NOT NULL) EXECUTE FUNCTION deskgate_count_workflow_tickets();
        CREATE TRIGGER workflow_ticket_moved AFTER UPDATE OF tenant_id, created_at, workflow_version_id ON tickets
            FOR EACH ROW EXECUTE FUNCTION deskgate_count_workflow_tickets();

        """
}
