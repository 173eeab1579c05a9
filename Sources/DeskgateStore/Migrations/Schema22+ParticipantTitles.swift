/// Migration 22: a workflow ticket's title in its relation rows, inside the three relation
/// indexes of migration 4 (issue 16). A title search in a relation category (duty, worked,
/// relation) then reads the caller's rows of one index and tests each title there: no ticket
/// is read per row. Before, a search that many titles hold but the caller's listing does not
/// read every match once (66,684 for a 15-character phrase at a million tickets, ~40 ms on
/// SQLite) or looked up each of the listing's tickets (PostgreSQL), and text of one or two
/// characters read 5,000 tickets.
/// The two ticket indexes the other categories walk (migration 4) carry the title too, for the
/// same reason: a title walk, and the window that text of one or two characters is matched in,
/// read 5,000 tickets' rows there (0.3 ms covered against 5-30 ms).
/// Only rows of workflow tickets (`in_workflow = 1`, the rows those indexes hold) carry it;
/// the writers set it with the row, and a changed subject is copied here by trigger.
/// PostgreSQL keeps it out of the key (`INCLUDE`): it is read, never sought.
enum Schema22 {
    private static let fill = """
        DROP INDEX workflow_participants_as_assignee;
        DROP INDEX workflow_participants_as_processor;
        DROP INDEX workflow_participants;
        DROP INDEX workflow_tickets_by_created;
        DROP INDEX workflow_tickets_by_creator;
        ALTER TABLE ticket_participants ADD COLUMN ticket_title TEXT NOT NULL DEFAULT '';

        """

    static let sqlite = fill + """
        UPDATE ticket_participants SET ticket_title = (
            SELECT t.subject FROM tickets t WHERE t.tenant_id = ticket_participants.tenant_id AND t.id = ticket_participants.ticket_id)
            WHERE in_workflow = 1;
        CREATE INDEX workflow_participants_as_assignee
            ON ticket_participants (tenant_id, user_id, ticket_created_at, ticket_id, as_assignee, in_workflow, ticket_title)
            WHERE as_assignee = 1 AND in_workflow = 1;
        CREATE INDEX workflow_participants_as_processor
            ON ticket_participants (tenant_id, user_id, ticket_created_at, ticket_id, as_processor, in_workflow, ticket_title)
            WHERE as_processor = 1 AND in_workflow = 1;
        CREATE INDEX workflow_participants
            ON ticket_participants (tenant_id, user_id, ticket_created_at, ticket_id, in_workflow, ticket_title)
            WHERE in_workflow = 1;
        CREATE INDEX workflow_tickets_by_created ON tickets
            (tenant_id, created_at, id, act_state, workflow_version_id, creator_id, subject)
            WHERE workflow_version_id IS NOT NULL;
        CREATE INDEX workflow_tickets_by_creator ON tickets
            (tenant_id, creator_id, created_at, id, act_state, workflow_version_id, subject)
            WHERE workflow_version_id IS NOT NULL;
        CREATE TRIGGER workflow_participant_titles AFTER UPDATE OF subject ON tickets WHEN new.subject IS NOT old.subject BEGIN
            UPDATE ticket_participants SET ticket_title = new.subject
                WHERE tenant_id = new.tenant_id AND ticket_id = new.id AND in_workflow = 1;
        END;

        """

    static let postgres = fill + """
        UPDATE ticket_participants p SET ticket_title = t.subject FROM tickets t
            WHERE t.tenant_id = p.tenant_id AND t.id = p.ticket_id AND p.in_workflow = 1;
        CREATE INDEX workflow_participants_as_assignee
            ON ticket_participants (tenant_id, user_id, ticket_created_at, ticket_id, as_assignee, in_workflow)
            INCLUDE (ticket_title) WHERE as_assignee = 1 AND in_workflow = 1;
        CREATE INDEX workflow_participants_as_processor
            ON ticket_participants (tenant_id, user_id, ticket_created_at, ticket_id, as_processor, in_workflow)
            INCLUDE (ticket_title) WHERE as_processor = 1 AND in_workflow = 1;
        CREATE INDEX workflow_participants
            ON ticket_participants (tenant_id, user_id, ticket_created_at, ticket_id, in_workflow)
            INCLUDE (ticket_title) WHERE in_workflow = 1;
        CREATE INDEX workflow_tickets_by_created ON tickets (tenant_id, created_at, id, act_state, workflow_version_id, creator_id)
            INCLUDE (subject) WHERE workflow_version_id IS NOT NULL;
        CREATE INDEX workflow_tickets_by_creator ON tickets (tenant_id, creator_id, created_at)
            INCLUDE (subject) WHERE workflow_version_id IS NOT NULL;
        CREATE FUNCTION deskgate_copy_participant_titles() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE ticket_participants SET ticket_title = NEW.subject
                WHERE tenant_id = NEW.tenant_id AND ticket_id = NEW.id AND in_workflow = 1;
            RETURN NULL;
        END $$;
        CREATE TRIGGER workflow_participant_titles AFTER UPDATE OF subject ON tickets FOR EACH ROW
            WHEN (NEW.subject IS DISTINCT FROM OLD.subject) EXECUTE FUNCTION deskgate_copy_participant_titles();

        """
}
