/// Migration 16: writes that wait for a person (issue 18). `approvals` holds each request a
/// model made under an approval policy, bound to user, credential, tool and arguments, with
/// the dry run the person is shown; the approval page decides it, the retry uses it once.
/// A personal access token and an app's grant may each tighten the tenant's policy
/// (`approval`: '' means the tenant's).
enum Schema16 {
    static let approvals = """
        CREATE TABLE approvals (
            id TEXT PRIMARY KEY,
            tenant_id INTEGER NOT NULL REFERENCES tenants(id),
            user_id INTEGER NOT NULL,
            token_id INTEGER,
            client_id TEXT,
            tool TEXT NOT NULL,
            arguments_json TEXT NOT NULL,
            arguments_digest TEXT NOT NULL,
            ticket_id INTEGER,
            preview_json TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            expires_at INTEGER NOT NULL,
            decision TEXT CHECK (decision IN ('approved', 'declined')),
            decided_at INTEGER,
            used_at INTEGER,
            FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id)
        ) STRICT;
        CREATE INDEX approvals_by_user ON approvals (tenant_id, user_id, created_at);
        ALTER TABLE personal_access_tokens ADD COLUMN approval TEXT NOT NULL DEFAULT '';
        ALTER TABLE oauth_grants ADD COLUMN approval TEXT NOT NULL DEFAULT '';

        """

    /// The same wall as every tenant-owned table (migration 11).
    static let postgresRowSecurity = """
        ALTER TABLE approvals ENABLE ROW LEVEL SECURITY;
        CREATE POLICY tenant_wall ON approvals USING (deskgate_row_visible(tenant_id))
            WITH CHECK (deskgate_row_visible(tenant_id));

        """
}
