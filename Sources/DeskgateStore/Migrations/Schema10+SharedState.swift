/// Migration 10: what every process of a deployment must agree on, moved out of process memory
/// so that several deskgate-auth and deskgate-mcp processes can serve one deployment behind a
/// load balancer (`docs/scale-out.md`). Each table is short-lived state, swept by age.
enum Schema10 {
    static let sharedState = """
        -- Random keys the processes share (e.g. the MCP session-id MAC key), made once by
        -- whichever process needs one first.
        CREATE TABLE deployment_secrets (
            name TEXT PRIMARY KEY,
            secret BLOB NOT NULL,
            created_at INTEGER NOT NULL
        ) STRICT;

        -- Handshake-era MCP sessions ended by DELETE before their lifetime ran out. A session
        -- id is a MAC any process can check; this list is what makes an ended one unknown at
        -- every process (the insert bumps the revocation counter, which drops their caches).
        CREATE TABLE mcp_session_ends (
            session_digest TEXT PRIMARY KEY,
            tenant_id INTEGER NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
            ended_at INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX mcp_session_ends_by_age ON mcp_session_ends (ended_at);

        -- Authorization requests waiting on the consent page (login → consent → code), bound
        -- to the browser session that saw the page. The id's digest is the key; the id itself
        -- is only in the form.
        CREATE TABLE pending_authorizations (
            id_digest TEXT PRIMARY KEY,
            tenant_id INTEGER NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
            login_session_id INTEGER NOT NULL,
            request_json TEXT NOT NULL,
            created_at INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX pending_authorizations_by_age ON pending_authorizations (created_at);

        -- One-shot banners of the pages (POST → redirect → GET), sealed with a key that only
        -- the browser's cookie holds: a revealed token is never readable from the database.
        CREATE TABLE page_flashes (
            id_digest TEXT PRIMARY KEY,
            tenant_id INTEGER NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
            login_session_id INTEGER NOT NULL,
            sealed BLOB NOT NULL,
            created_at INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX page_flashes_by_age ON page_flashes (created_at);

        -- Fixed-window counters for limits every process must share (failed logins per
        -- account and per address, client registrations per address).
        CREATE TABLE rate_windows (
            window_key TEXT PRIMARY KEY,
            window_start INTEGER NOT NULL,
            count INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX rate_windows_by_age ON rate_windows (window_start);

        """
}
