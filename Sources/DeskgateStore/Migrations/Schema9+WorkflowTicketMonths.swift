import DeskgateSQL
import DeskgateModel
/// Migration 9: how many workflow tickets each tenant created in each 30-day bucket, kept by
/// triggers.
///
/// `ticket_list` returns the total with every page. For an admin's `all` (and the same set
/// under `view` / `intervene`) over the default three-year window that total was a count of
/// every workflow ticket in the window, ~10–15 ms per 200,000 tickets and most of the call.
/// With these rows the total is a sum over the buckets wholly inside the window plus two range
/// counts, at most one bucket each, at its edges: exact, and independent of the tenant's size.
///
/// A bucket is `created_at / 2592000000` (30 days of milliseconds, from the Unix epoch). Triggers,
/// not application code, keep the rows, so no write path (the engine, the demo import,
/// deletions) can forget to. A ticket's creation time and workflow never change in practice;
/// the update trigger still moves the count if they do. Its `AFTER UPDATE OF` columns are not
/// among those any action sets, so handling a ticket pays nothing for this.
enum Schema9 {
    /// Milliseconds per bucket: 30 days.
    static let bucketMilliseconds: Int64 = 2_592_000_000

    private static func counted(_ row: String, _ delta: String) -> String {
        let bucket = "\(row).created_at / \(bucketMilliseconds)"
        return """
            INSERT OR IGNORE INTO workflow_ticket_months (tenant_id, month, tickets) VALUES (\(row).tenant_id, \(bucket), 0);
            UPDATE workflow_ticket_months SET tickets = tickets \(delta) 1 WHERE tenant_id = \(row).tenant_id AND month = \(bucket);
        """
    }

    static let workflowTicketMonths = table + triggers

    /// The table and its first counts (both engines).
    static let table = """
        CREATE TABLE workflow_ticket_months (
            tenant_id INTEGER NOT NULL REFERENCES tenants(id),
            month INTEGER NOT NULL,
            tickets INTEGER NOT NULL CHECK (tickets >= 0),
            PRIMARY KEY (tenant_id, month)
        ) STRICT, WITHOUT ROWID;
        INSERT INTO workflow_ticket_months (tenant_id, month, tickets)
            SELECT tenant_id, created_at / \(bucketMilliseconds), count(*) FROM tickets
            WHERE workflow_version_id IS NOT NULL GROUP BY 1, 2;

        """

    static let triggers = """
        CREATE TRIGGER workflow_ticket_counted AFTER INSERT ON tickets WHEN new.workflow_version_id IS NOT NULL BEGIN
        \(counted("new", "+"))
        END;
        CREATE TRIGGER workflow_ticket_uncounted AFTER DELETE ON tickets WHEN old.workflow_version_id IS NOT NULL BEGIN
        \(counted("old", "-"))
        END;
        CREATE TRIGGER workflow_ticket_moved_out AFTER UPDATE OF tenant_id, created_at, workflow_version_id ON tickets
            WHEN old.workflow_version_id IS NOT NULL BEGIN
        \(counted("old", "-"))
        END;
        CREATE TRIGGER workflow_ticket_moved_in AFTER UPDATE OF tenant_id, created_at, workflow_version_id ON tickets
            WHEN new.workflow_version_id IS NOT NULL BEGIN
        \(counted("new", "+"))
        END;

        """
}
