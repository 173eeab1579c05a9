/// Migration 3 on PostgreSQL: membership changes bump the revocation counter (see `Schema3`).
enum PostgresSchema3 {
    static let membershipRevocation = """
        CREATE TRIGGER department_member_added AFTER INSERT ON department_members FOR EACH ROW
            EXECUTE FUNCTION deskgate_bump_revocation();
        CREATE TRIGGER department_member_removed AFTER DELETE ON department_members FOR EACH ROW
            EXECUTE FUNCTION deskgate_bump_revocation();
        CREATE TRIGGER department_member_changed AFTER UPDATE ON department_members FOR EACH ROW
            EXECUTE FUNCTION deskgate_bump_revocation();

        """
}

/// Migration 5 on PostgreSQL: a tenant's settings change bumps the revocation counter (see
/// `Schema5`).
enum PostgresSchema5 {
    static let tenantSettings = """
        CREATE TRIGGER tenant_settings_changed AFTER UPDATE OF settings_json ON tenants FOR EACH ROW
            WHEN (NEW.settings_json <> OLD.settings_json) EXECUTE FUNCTION deskgate_bump_revocation();

        """
}
