/// Migration 11 (PostgreSQL only): row-level security as a second wall behind the `WHERE
/// tenant_id = ?` of every statement. Each table with a `tenant_id` column admits only the
/// rows of the tenant the session names in `deskgate.tenant`: the engine names it before a
/// statement that binds a `RowTenant` (every statement of a `TenantScope` repository), so a
/// statement that forgot its tenant filter sees its own tenant's rows, or none before any
/// tenant is named, never another tenant's. `'all'` opens the wall for the few deployment-wide
/// statements (`SQLConnection.acrossTenants`). `mcp_session_ends` is deployment state keyed by
/// an unguessable digest, so it stays open.
///
/// Policies bind roles that do not own the tables: servers connect as such a role
/// (`deskgate store grant-server-role`); the owner (migrations, `deskgate store copy`, the
/// operator's CLI) is not subject to them.
enum PostgresSchema11 {
    static let rowSecurity = """
        CREATE FUNCTION deskgate_row_visible(bigint) RETURNS boolean
            LANGUAGE sql STABLE PARALLEL SAFE
            RETURN CASE current_setting('deskgate.tenant', true)
                WHEN 'all' THEN true
                WHEN '' THEN false
                ELSE $1 = CAST(current_setting('deskgate.tenant', true) AS bigint)
            END;
        DO $$
        DECLARE owned text;
        BEGIN
            FOR owned IN
                SELECT c.table_name FROM information_schema.columns c
                JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
                WHERE c.table_schema = current_schema() AND c.column_name = 'tenant_id'
                  AND t.table_type = 'BASE TABLE' AND c.table_name <> 'mcp_session_ends'
            LOOP
                EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', owned);
                EXECUTE format('CREATE POLICY tenant_wall ON %I USING (deskgate_row_visible(tenant_id)) '
                               'WITH CHECK (deskgate_row_visible(tenant_id))', owned);
            END LOOP;
        END $$;

        """
}
