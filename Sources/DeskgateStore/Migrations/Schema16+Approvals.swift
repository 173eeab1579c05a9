/// Migration 16: writes that wait for a person (issue 18), and writes that are safe to retry
/// (issue 19: `idempotency_keys`, one row per key a user's write call named, written in the
/// write's own transaction, its result kept for the replay). `approvals` holds each request a
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

        CREATE TABLE idempotency_keys (
            tenant_id INTEGER NOT NULL REFERENCES tenants(id),
            user_id INTEGER NOT NULL,
            key TEXT NOT NULL,
            tool TEXT NOT NULL,
            arguments_digest TEXT NOT NULL,
            result_json TEXT NOT NULL DEFAULT '',
            created_at INTEGER NOT NULL,
            PRIMARY KEY (tenant_id, user_id, key)
        ) STRICT;
        CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at);

        """

    /// The same wall as every tenant-owned table (migration 11).
    static let postgresRowSecurity = """
        ALTER TABLE approvals ENABLE ROW LEVEL SECURITY;
        CREATE POLICY tenant_wall ON approvals USING (deskgate_row_visible(tenant_id))
            WITH CHECK (deskgate_row_visible(tenant_id));
        ALTER TABLE idempotency_keys ENABLE ROW LEVEL SECURITY;
        CREATE POLICY tenant_wall ON idempotency_keys USING (deskgate_row_visible(tenant_id))
            WITH CHECK (deskgate_row_visible(tenant_id));

        """
}
