/// Migration 21: custom domains (issue 20). A host name maps to one tenant, so requests to
/// `help.acme.example` reach tenant `acme` without the `/t/acme` prefix. The host is the key:
/// unique across the deployment, stored lowercase and validated by `TenantHostName` first.
enum Schema21 {
    static let hosts = """
        CREATE TABLE tenant_hosts (
            host TEXT PRIMARY KEY,
            tenant_id INTEGER NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
            created_at INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX tenant_hosts_by_tenant ON tenant_hosts (tenant_id, host);

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
