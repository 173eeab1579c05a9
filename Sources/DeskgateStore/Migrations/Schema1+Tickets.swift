import DeskgateSQL
import DeskgateModel
extension Schema1 {
    static let tickets = """
        CREATE TABLE tickets (
            id INTEGER PRIMARY KEY,
            tenant_id INTEGER NOT NULL REFERENCES tenants(id),
            number INTEGER NOT NULL CHECK (number > 0),   -- per tenant, from tenant_sequences
            subject TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'open', 'pending', 'resolved', 'closed')),
            priority TEXT NOT NULL DEFAULT 'normal' CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
            department_id INTEGER,
            assignee_id INTEGER,
            creator_id INTEGER,
            requester_contact_id INTEGER,
            parent_ticket_id INTEGER,
            workflow_version_id INTEGER,
            node_id INTEGER,
            act_state TEXT NOT NULL DEFAULT 'on_going'
                CHECK (act_state IN ('in_draft', 'on_going', 'rejected', 'withdrawn', 'finished', 'closed')),
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            resolved_at INTEGER,
            UNIQUE (tenant_id, number),
            UNIQUE (tenant_id, id),
            FOREIGN KEY (tenant_id, department_id) REFERENCES departments (tenant_id, id),
            FOREIGN KEY (tenant_id, assignee_id) REFERENCES users (tenant_id, id),
            FOREIGN KEY (tenant_id, creator_id) REFERENCES users (tenant_id, id),
            FOREIGN KEY (tenant_id, requester_contact_id) REFERENCES contacts (tenant_id, id),
            FOREIGN KEY (tenant_id, parent_ticket_id) REFERENCES tickets (tenant_id, id),
            FOREIGN KEY (tenant_id, workflow_version_id) REFERENCES workflow_versions (tenant_id, id),
            FOREIGN KEY (tenant_id, node_id) REFERENCES workflow_nodes (tenant_id, id)
        ) STRICT;
        CREATE INDEX tickets_by_status ON tickets (tenant_id, status, id);
        CREATE INDEX tickets_by_assignee ON tickets (tenant_id, assignee_id, id);
        CREATE INDEX tickets_by_department ON tickets (tenant_id, department_id, id);
        CREATE INDEX tickets_by_created ON tickets (tenant_id, created_at);
        CREATE INDEX tickets_by_parent ON tickets (tenant_id, parent_ticket_id) WHERE parent_ticket_id IS NOT NULL;
        CREATE INDEX tickets_by_workflow ON tickets (tenant_id, workflow_version_id, node_id)
            WHERE workflow_version_id IS NOT NULL;

        CREATE TABLE ticket_field_values (
            tenant_id INTEGER NOT NULL REFERENCES tenants(id),
            ticket_id INTEGER NOT NULL,
            field_id INTEGER NOT NULL,
            value_json TEXT NOT NULL,
            PRIMARY KEY (tenant_id, ticket_id, field_id),
            FOREIGN KEY (tenant_id, ticket_id) REFERENCES tickets (tenant_id, id) ON DELETE CASCADE,
            FOREIGN KEY (tenant_id, field_id) REFERENCES workflow_fields (tenant_id, id)
        ) STRICT, WITHOUT ROWID;

        -- The relation index behind the list categories: duty (as_assignee), owner (as_creator),
        -- relation (any flag), worked (as_processor).
        CREATE TABLE ticket_participants (
            tenant_id INTEGER NOT NULL REFERENCES tenants(id),
            ticket_id INTEGER NOT NULL,
            user_id INTEGER NOT NULL,
            as_creator INTEGER NOT NULL DEFAULT 0 CHECK (as_creator IN (0, 1)),
            as_assignee INTEGER NOT NULL DEFAULT 0 CHECK (as_assignee IN (0, 1)),
            as_processor INTEGER NOT NULL DEFAULT 0 CHECK (as_processor IN (0, 1)),
            as_consultant INTEGER NOT NULL DEFAULT 0 CHECK (as_consultant IN (0, 1)),
            as_cc INTEGER NOT NULL DEFAULT 0 CHECK (as_cc IN (0, 1)),
            PRIMARY KEY (tenant_id, ticket_id, user_id),
            FOREIGN KEY (tenant_id, ticket_id) REFERENCES tickets (tenant_id, id) ON DELETE CASCADE,
            FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id)
        ) STRICT, WITHOUT ROWID;
        CREATE INDEX ticket_participants_by_user ON ticket_participants (tenant_id, user_id, ticket_id);

        CREATE TABLE messages (
            id INTEGER PRIMARY KEY,
            tenant_id INTEGER NOT NULL REFERENCES tenants(id),
            ticket_id INTEGER NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('reply', 'note')),
            author_type TEXT NOT NULL CHECK (author_type IN ('agent', 'contact', 'system')),
            author_user_id INTEGER,
            author_contact_id INTEGER,
            body TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            CHECK (author_type <> 'agent' OR author_user_id IS NOT NULL),
            CHECK (author_type <> 'contact' OR author_contact_id IS NOT NULL),
            FOREIGN KEY (tenant_id, ticket_id) REFERENCES tickets (tenant_id, id) ON DELETE CASCADE,
            FOREIGN KEY (tenant_id, author_user_id) REFERENCES users (tenant_id, id),
            FOREIGN KEY (tenant_id, author_contact_id) REFERENCES contacts (tenant_id, id)
        ) STRICT;
        CREATE INDEX messages_by_ticket ON messages (tenant_id, ticket_id, id);

        CREATE TABLE tags (
            id INTEGER PRIMARY KEY,
            tenant_id INTEGER NOT NULL REFERENCES tenants(id),
            name TEXT NOT NULL COLLATE NOCASE,
            created_at INTEGER NOT NULL,
            UNIQUE (tenant_id, name),
            UNIQUE (tenant_id, id)
        ) STRICT;

        CREATE TABLE ticket_tags (
            tenant_id INTEGER NOT NULL REFERENCES tenants(id),
            ticket_id INTEGER NOT NULL,
            tag_id INTEGER NOT NULL,
            created_at INTEGER NOT NULL,
            PRIMARY KEY (tenant_id, ticket_id, tag_id),
            FOREIGN KEY (tenant_id, ticket_id) REFERENCES tickets (tenant_id, id) ON DELETE CASCADE,
            FOREIGN KEY (tenant_id, tag_id) REFERENCES tags (tenant_id, id) ON DELETE CASCADE
        ) STRICT, WITHOUT ROWID;
        CREATE INDEX ticket_tags_by_tag ON ticket_tags (tenant_id, tag_id, ticket_id);

        -- token_id / client_id are the credential that made the change (PAT id or JWT jti, OAuth
        -- client id): text, no FK, so history survives the credential's deletion.
        CREATE TABLE activity (
            id INTEGER PRIMARY KEY,
            tenant_id INTEGER NOT NULL REFERENCES tenants(id),
            ticket_id INTEGER,
            actor_user_id INTEGER,
            via TEXT NOT NULL CHECK (via IN ('mcp', 'web', 'cli', 'system')),
            token_id TEXT,
            client_id TEXT,
            action TEXT NOT NULL,
            before_json TEXT,
            after_json TEXT,
            created_at INTEGER NOT NULL,
            FOREIGN KEY (tenant_id, ticket_id) REFERENCES tickets (tenant_id, id) ON DELETE CASCADE,
            FOREIGN KEY (tenant_id, actor_user_id) REFERENCES users (tenant_id, id)
        ) STRICT;
        CREATE INDEX activity_by_ticket ON activity (tenant_id, ticket_id, id);
        CREATE INDEX activity_by_actor ON activity (tenant_id, actor_user_id, id);

        """

    /// Full-text search: two external-content FTS5 indexes, one row per ticket subject
    /// (rowid = ticket id) and one per message body (rowid = message id), kept in sync by
    /// triggers in the writing transaction. Per-message rows mean appending a message indexes
    /// only that message instead of rewriting a whole ticket document. FTS5 holds no tenant:
    /// queries join back to `tickets`/`messages` on `tenant_id` (see TicketRepository.search).
    static let search = """
        CREATE VIRTUAL TABLE ticket_subject_search USING fts5(
            subject, content='tickets', content_rowid='id', tokenize='unicode61 remove_diacritics 2');
        CREATE TRIGGER tickets_search_insert AFTER INSERT ON tickets BEGIN
            INSERT INTO ticket_subject_search (rowid, subject) VALUES (new.id, new.subject);
        END;
        CREATE TRIGGER tickets_search_delete AFTER DELETE ON tickets BEGIN
            INSERT INTO ticket_subject_search (ticket_subject_search, rowid, subject)
                VALUES ('delete', old.id, old.subject);
        END;
        CREATE TRIGGER tickets_search_update AFTER UPDATE OF subject ON tickets BEGIN
            INSERT INTO ticket_subject_search (ticket_subject_search, rowid, subject)
                VALUES ('delete', old.id, old.subject);
            INSERT INTO ticket_subject_search (rowid, subject) VALUES (new.id, new.subject);
        END;

        CREATE VIRTUAL TABLE message_body_search USING fts5(
            body, content='messages', content_rowid='id', tokenize='unicode61 remove_diacritics 2');
        CREATE TRIGGER messages_search_insert AFTER INSERT ON messages BEGIN
            INSERT INTO message_body_search (rowid, body) VALUES (new.id, new.body);
        END;
        CREATE TRIGGER messages_search_delete AFTER DELETE ON messages BEGIN
            INSERT INTO message_body_search (message_body_search, rowid, body) VALUES ('delete', old.id, old.body);
        END;
        CREATE TRIGGER messages_search_update AFTER UPDATE OF body ON messages BEGIN
            INSERT INTO message_body_search (message_body_search, rowid, body) VALUES ('delete', old.id, old.body);
            INSERT INTO message_body_search (rowid, body) VALUES (new.id, new.body);
        END;

        """
}
