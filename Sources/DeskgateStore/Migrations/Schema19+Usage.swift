/// Migration 19: MCP use per credential and clock hour (issue 19), the shared counts behind rate
/// limits, write quotas and the usage columns of the pages. Each server process adds what it
/// counted every second (`UsageRepository.add`), so a row is the deployment's total for that
/// subject and hour. `subject` is `tenant`, `pat:TOKEN` or `app:USER:CLIENT`
/// (`UsageSubject.text`); `hour` is hours since the Unix epoch (UTC).
enum Schema19 {
    static let usage = """
        CREATE TABLE mcp_usage (
            tenant_id INTEGER NOT NULL REFERENCES tenants(id),
            subject TEXT NOT NULL,
            hour INTEGER NOT NULL,
            user_id INTEGER,
            token_id INTEGER,
            client_id TEXT,
            calls INTEGER NOT NULL DEFAULT 0,
            writes INTEGER NOT NULL DEFAULT 0,
            refused INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (tenant_id, subject, hour)
        ) STRICT;
        CREATE INDEX mcp_usage_by_hour ON mcp_usage (tenant_id, hour);

        """

    /// The same wall as every tenant-owned table (migration 11).
    static let postgresRowSecurity = """
        ALTER TABLE mcp_usage ENABLE ROW LEVEL SECURITY;
        CREATE POLICY tenant_wall ON mcp_usage USING (deskgate_row_visible(tenant_id))
            WITH CHECK (deskgate_row_visible(tenant_id));

        """
}
