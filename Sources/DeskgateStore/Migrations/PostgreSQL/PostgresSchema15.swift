/// Migration 15 (PostgreSQL only): the search indexes of migration 13 reachable behind
/// row-level security. For the servers' role, the planner may use an index for a condition only
/// if its operator is leakproof (else it could see rows the policy hides); `LIKE` and the text
/// search `@@` are not, so the trigram and `ticket_words` indexes went unused and every search
/// filtered the tenant's rows one by one (0.2–0.8 s at a million tickets).
///
/// These functions run the index lookups as the tables' owner (`SECURITY DEFINER`, whom the
/// policies do not bind) and keep the wall themselves: they return only rows that
/// `deskgate_row_visible` admits, the same test the `tenant_wall` policy makes. `cap` (NULL: no
/// cap) stops the lookup early, as the function's rows are read whole before an outer LIMIT.
/// `ROWS 100`: callers use them where matches are few; many matches take other plans.
enum PostgresSchema15 {
    static let searchFunctions = """
        CREATE FUNCTION deskgate_title_matches(pattern text, cap bigint) RETURNS SETOF bigint
            LANGUAGE sql STABLE SECURITY DEFINER PARALLEL SAFE ROWS 100 SET search_path FROM CURRENT
            AS $$ SELECT s.id FROM tickets s WHERE s.workflow_version_id IS NOT NULL AND deskgate_row_visible(s.tenant_id)
                  AND lower(s.subject COLLATE "und-x-icu") LIKE lower(pattern COLLATE "und-x-icu") ESCAPE '\\' LIMIT cap $$;
        CREATE FUNCTION deskgate_word_matches(tenant bigint, query tsquery, cap bigint) RETURNS SETOF bigint
            LANGUAGE sql STABLE SECURITY DEFINER PARALLEL SAFE ROWS 100 SET search_path FROM CURRENT
            AS $$ SELECT w.ticket_id FROM ticket_words w WHERE w.tenant_id = tenant AND deskgate_row_visible(w.tenant_id)
                  AND w.words @@ query LIMIT cap $$;

        """
}
