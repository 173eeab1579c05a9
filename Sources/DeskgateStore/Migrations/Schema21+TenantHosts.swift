/// Migration 21: custom domains (issue 20). A host name maps to one tenant, so requests to
/// `help.acme.example` reach tenant `acme` without the `/t/acme` prefix. The host is the key:
/// unique across the deployment, stored lowercase and validated by `TenantHostName` first.
/// Every change bumps the revocation counter, like a tenant's status or settings: the servers
/// cache host → tenant under the counter (`TenantHostMap`), so a removal holds on the next request.
enum Schema21 {
    static let hosts = """
        CREATE TABLE tenant_hosts (
            host TEXT PRIMARY KEY,
            tenant_id INTEGER NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
            created_at INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX tenant_hosts_by_tenant ON tenant_hosts (tenant_id, host);

        """

    static let sqliteTriggers = """
        CREATE TRIGGER tenant_host_added AFTER INSERT ON tenant_hosts
            BEGIN UPDATE revocation_counter SET value = value + 1 WHERE id = 1; END;
        CREATE TRIGGER tenant_host_removed AFTER DELETE ON tenant_hosts
            BEGIN UPDATE revocation_counter SET value = value + 1 WHERE id = 1; END;
        CREATE TRIGGER tenant_host_changed AFTER UPDATE ON tenant_hosts
            BEGIN UPDATE revocation_counter SET value = value + 1 WHERE id = 1; END;

        """

    static let postgresTriggers = """
        CREATE TRIGGER tenant_host_added AFTER INSERT ON tenant_hosts FOR EACH ROW
            EXECUTE FUNCTION deskgate_bump_revocation();
        CREATE TRIGGER tenant_host_removed AFTER DELETE ON tenant_hosts FOR EACH ROW
            EXECUTE FUNCTION deskgate_bump_revocation();
        CREATE TRIGGER tenant_host_changed AFTER UPDATE ON tenant_hosts FOR EACH ROW
            EXECUTE FUNCTION deskgate_bump_revocation();

        """

    /// The same wall as every tenant-owned table (migration 11). The lookup by host happens
    /// before a tenant is known, so `TenantHostDirectory` reads across tenants, as the
    /// personal-access-token lookup by hash does.
    static let postgresRowSecurity = """
        ALTER TABLE tenant_hosts ENABLE ROW LEVEL SECURITY;
        CREATE POLICY tenant_wall ON tenant_hosts USING (deskgate_row_visible(tenant_id))
            WITH CHECK (deskgate_row_visible(tenant_id));

        """
}
