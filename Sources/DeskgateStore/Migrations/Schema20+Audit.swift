/// Migration 20: the MCP audit log (issue 19, docs/audit.md): one row per tools/call, written in
/// batches by the MCP processes (`AuditTrail`), read by the admin page and `deskgate audit
/// export`, trimmed by the daily retention sweep. No foreign key but the tenant's: a row must
/// outlive the token or grant it names, and the sweep must never wait on another table. Two
/// indexes only, as every MCP call adds a row: pages and exports walk (tenant, id), time filters
/// and the sweep (tenant, at); the other filters narrow those walks.
enum Schema20 {
    static let audit = """
        CREATE TABLE mcp_audit (
            id INTEGER PRIMARY KEY,
            tenant_id INTEGER NOT NULL REFERENCES tenants(id),
            at INTEGER NOT NULL,
            user_id INTEGER,
            token_id INTEGER,
            client_id TEXT,
            tool TEXT NOT NULL,
            args_digest TEXT NOT NULL,
            tickets TEXT NOT NULL DEFAULT '',
            outcome TEXT NOT NULL,
            reason TEXT,
            duration_ms INTEGER NOT NULL,
            process TEXT NOT NULL
        ) STRICT;
        CREATE INDEX mcp_audit_by_id ON mcp_audit (tenant_id, id);
        CREATE INDEX mcp_audit_by_time ON mcp_audit (tenant_id, at);

        """

    /// The same wall as every tenant-owned table (migration 11).
    static let postgresRowSecurity = """
        ALTER TABLE mcp_audit ENABLE ROW LEVEL SECURITY;
        CREATE POLICY tenant_wall ON mcp_audit USING (deskgate_row_visible(tenant_id))
            WITH CHECK (deskgate_row_visible(tenant_id));

        """
}
