import DeskgateSQL
import DeskgateModel
/// Migration 3: department membership changes bump the revocation counter.
///
/// The resource server caches a verified token's principal, and with it the user's department
/// memberships (reading them was ~20k instructions of every MCP call, callgrind), for as long as
/// the counter stands still. Memberships decide which tickets an agent or viewer sees, so adding
/// or removing one (directly, or by deleting a department or user: foreign-key cascades fire
/// these triggers too) must drop that cache on the very next request, like a revocation does.
enum Schema3 {
    static let membershipRevocation = """
        CREATE TRIGGER department_member_added AFTER INSERT ON department_members
            BEGIN UPDATE revocation_counter SET value = value + 1 WHERE id = 1; END;
        CREATE TRIGGER department_member_removed AFTER DELETE ON department_members
            BEGIN UPDATE revocation_counter SET value = value + 1 WHERE id = 1; END;
        CREATE TRIGGER department_member_changed AFTER UPDATE ON department_members
            BEGIN UPDATE revocation_counter SET value = value + 1 WHERE id = 1; END;
        """
}
