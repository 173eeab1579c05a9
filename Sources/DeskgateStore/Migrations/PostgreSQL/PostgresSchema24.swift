/// Migration 24 (PostgreSQL only): migration 11's tenant wall names its tenant once per
/// statement instead of once per row. `deskgate_row_visible(tenant_id)` read the
/// `deskgate.tenant` setting twice for every row a statement looked at, about 0.3 µs a row:
/// two thirds of a 20,000-title walk behind the wall (9.8 ms, 3.4 ms as the owner). The
/// policies now read the setting in uncorrelated subqueries, which PostgreSQL evaluates once
/// per execution (InitPlans); each row then costs one integer comparison.
///
/// The rule is unchanged: the named tenant's rows, every row under `'all'`, none when no tenant
/// or `''` is named. The policy stays a CASE, as before, because the planner estimates any CASE
/// as admitting half the rows: an `OR` of comparisons (tried first) changed the estimates and
/// turned `search_tickets`' probe of a phrase into a hash of all of `ticket_words` (0.35–2.8 s
/// at a million tickets). (`deskgate_row_visible` stays: earlier migrations name it. Migration
/// 25 moves the search functions off it.)
enum PostgresSchema24 {
    /// The policy expression, for this migration and any later table with a `tenant_id`.
    static let wall = "CASE WHEN (SELECT deskgate_wall_open()) THEN true ELSE tenant_id = (SELECT deskgate_wall_tenant()) END"

    static let tenantWall = """
        CREATE FUNCTION deskgate_wall_tenant() RETURNS bigint
            LANGUAGE sql STABLE PARALLEL SAFE
            RETURN CASE current_setting('deskgate.tenant', true)
                WHEN 'all' THEN NULL
                WHEN '' THEN NULL
                ELSE CAST(current_setting('deskgate.tenant', true) AS bigint)
            END;
        CREATE FUNCTION deskgate_wall_open() RETURNS boolean
            LANGUAGE sql STABLE PARALLEL SAFE
            RETURN coalesce(current_setting('deskgate.tenant', true) = 'all', false);
        DO $$
        DECLARE walled text;
        BEGIN
            FOR walled IN
                SELECT c.relname FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid
                JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE p.polname = 'tenant_wall' AND n.nspname = current_schema()
            LOOP
                EXECUTE format('ALTER POLICY tenant_wall ON %I USING (\(wall)) WITH CHECK (\(wall))', walled);
            END LOOP;
        END $$;

        """
}
