/// Migration 3: where workflow tickets stand. A ticket waits at one node, or at several at
/// once between a parallel split and its join; each such position is a row here, with the
/// people asked to act and the state of a pick-up (voluntary distribution), a consultation
/// or an all-must-act node. `tickets.node_id` keeps the first position for filters and indexes.
enum Schema3 {
    static let ticketFlow = """
        CREATE TABLE ticket_positions (
            id INTEGER PRIMARY KEY,
            tenant_id INTEGER NOT NULL REFERENCES tenants(id),
            ticket_id INTEGER NOT NULL,
            node_id INTEGER NOT NULL,
            assignee_ids TEXT NOT NULL DEFAULT '',          -- comma-separated user ids
            awaiting_pickup INTEGER NOT NULL DEFAULT 0 CHECK (awaiting_pickup IN (0, 1)),
            consultant_id INTEGER,                          -- asked for an opinion; the node waits for it
            consulted_by_id INTEGER,
            acted_ids TEXT NOT NULL DEFAULT '',             -- 'whole' distribution: who has acted so far
            entered_at INTEGER NOT NULL,
            UNIQUE (tenant_id, ticket_id, node_id),
            FOREIGN KEY (tenant_id, ticket_id) REFERENCES tickets (tenant_id, id) ON DELETE CASCADE,
            FOREIGN KEY (tenant_id, node_id) REFERENCES workflow_nodes (tenant_id, id),
            FOREIGN KEY (tenant_id, consultant_id) REFERENCES users (tenant_id, id),
            FOREIGN KEY (tenant_id, consulted_by_id) REFERENCES users (tenant_id, id)
        ) STRICT;
        CREATE INDEX ticket_positions_by_ticket ON ticket_positions (tenant_id, ticket_id);
        CREATE INDEX tickets_by_act_state ON tickets (tenant_id, act_state, created_at, id)
            WHERE workflow_version_id IS NOT NULL;

        """
}
