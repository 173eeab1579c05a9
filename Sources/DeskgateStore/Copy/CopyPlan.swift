/// What `DatabaseCopy` copies, in which order, and what it must do about the schema's triggers.
///
/// The list is written out rather than derived, so that a reader can check it against the
/// migrations; it cannot silently fall behind them: the copy refuses a database with a table
/// or a trigger this file does not name (`CopyCatalog`), and `CopyPlanTests` checks the order
/// against the foreign keys, and the seeded tables and triggers against a freshly migrated
/// database on both engines.
enum CopyPlan {
    /// Every data table, parents before children (foreign keys are checked row by row on both
    /// engines, so a child inserted before its parent fails).
    static let tables: [CopiedTable] = [
        CopiedTable("tenants"),
        CopiedTable("tenant_sequences", key: ["tenant_id", "name"]),
        CopiedTable("tenant_hosts", key: ["host"]),
        CopiedTable("users"),
        CopiedTable("departments"),
        CopiedTable("department_members", key: ["tenant_id", "department_id", "user_id"]),
        CopiedTable("contacts"),
        CopiedTable("workflows"),
        CopiedTable("workflow_versions"),
        CopiedTable("workflow_nodes"),
        CopiedTable("workflow_transitions"),
        CopiedTable("workflow_fields"),
        CopiedTable("workflow_field_permissions", key: ["tenant_id", "node_id", "field_id"]),
        CopiedTable("workflow_permissions"),
        // parent_ticket_id may name a later ticket; message_count and tag_names are rewritten
        // by the triggers on messages and ticket_tags (migration 8) as those rows arrive.
        CopiedTable("tickets", selfReferences: ["parent_ticket_id"],
                    derivedColumns: ["message_count", "tag_names"]),
        CopiedTable("ticket_field_values", key: ["tenant_id", "ticket_id", "field_id"]),
        CopiedTable("ticket_participants", key: ["tenant_id", "ticket_id", "user_id"]),
        CopiedTable("ticket_positions"),
        CopiedTable("messages"),
        CopiedTable("tags"),
        CopiedTable("ticket_tags", key: ["tenant_id", "ticket_id", "tag_id"]),
        CopiedTable("activity"),
        CopiedTable("personal_access_tokens"),
        CopiedTable("signing_keys", key: ["kid"]),
        CopiedTable("oauth_clients"),
        CopiedTable("oauth_grants"),
        CopiedTable("approvals", key: ["id"]),
        CopiedTable("idempotency_keys", key: ["tenant_id", "user_id", "key"]),
        CopiedTable("mcp_usage", key: ["tenant_id", "subject", "hour"]),
        CopiedTable("mcp_audit"),
        CopiedTable("oauth_codes"),
        // A rotated token's parent is usually older, but nothing in the schema promises it.
        CopiedTable("oauth_refresh_tokens", selfReferences: ["parent_id"]),
        CopiedTable("login_sessions"),
        CopiedTable("security_events"),
        CopiedTable("durability_probe", key: ["sequence"]),
        // What the processes share (migration 10): copied too, so sessions, pending consent
        // and limits carry over to the new database.
        CopiedTable("deployment_secrets", key: ["name"]),
        CopiedTable("mcp_session_ends", key: ["session_digest"]),
        CopiedTable("pending_authorizations", key: ["id_digest"]),
        CopiedTable("page_flashes", key: ["id_digest"]),
        CopiedTable("rate_windows", key: ["window_key"]),
        // Written by triggers while tickets are inserted (migration 9): replaced by the source's.
        CopiedTable("workflow_ticket_months", key: ["tenant_id", "month"], target: .writtenByTriggers),
        // Migration 1 inserts its one row, and inserting department_members bumps it
        // (migration 3): replaced by the source's, after everything else.
        CopiedTable("revocation_counter", target: .seededByMigrations),
    ]

    /// Tables that are not data: the migration ledger (the target writes its own while it is
    /// migrated to the same version) and the engines' own bookkeeping.
    static func isBookkeeping(_ table: String) -> Bool {
        table == "schema_migrations" || table.hasPrefix("sqlite_") || derivedTables.contains(table)
            || table == "ticket_words_paused"   // SQLite's bulk-write switch (migration 14): empty when committed
    }

    /// Tables made of other tables' rows by triggers, never copied: PostgreSQL's per-ticket
    /// search documents (migration 13; on SQLite an FTS5 table, which is no data table anyway).
    static let derivedTables: Set<String> = ["ticket_words"]

    /// Every trigger the migrations create, on either engine, and why the copy is right in
    /// spite of it. The copy only inserts rows, and afterwards updates `lateColumns` and
    /// deletes the rows of replaced tables (neither has triggers on it). Into PostgreSQL they are
    /// all off during the load (`PostgresTriggerPause`); what they keep is made right the same way.
    static let reviewedTriggers: Set<String> = [
        // Fire on UPDATE or DELETE only, which the copy never runs on their tables.
        "pat_revoked", "pat_deleted", "grant_revoked", "grant_deleted", "session_revoked",
        "user_deactivated", "tenant_status_changed", "signing_key_retired", "tenant_settings_changed",
        "department_member_removed", "department_member_changed", "tenant_host_removed", "tenant_host_changed",
        "ticket_message_removed", "ticket_message_moved", "ticket_tag_removed", "ticket_tag_changed", "tag_renamed",
        "workflow_ticket_uncounted", "workflow_ticket_moved", "workflow_ticket_moved_out", "workflow_ticket_moved_in",
        "workflow_participant_titles",
        // Bump revocation_counter: replaced last.
        "department_member_added", "tenant_host_added",
        // Rewrite tickets.message_count and tag_names: restored afterwards (derivedColumns).
        "ticket_message_added", "ticket_tag_added",
        // Count workflow tickets in workflow_ticket_months: replaced afterwards.
        "workflow_ticket_counted",
        // Feed SQLite's FTS5 indexes: rebuilt afterwards (`CopyCatalog.searchIndexes`).
        "tickets_search_insert", "tickets_search_delete", "tickets_search_update",
        "messages_search_insert", "messages_search_delete", "messages_search_update",
        "workflow_subjects_insert", "workflow_subjects_delete", "workflow_subjects_update",
        // Keep the per-ticket search documents (migration 13): rebuilt afterwards on SQLite,
        // built once after the load on PostgreSQL (`postgresDerivedBuilds`).
        "ticket_words_insert", "ticket_words_attributes", "ticket_words_subject", "ticket_words_delete",
        "ticket_words_message_insert", "ticket_words_message_delete", "ticket_words_message_update",
    ]
}

/// One table as the copy treats it.
struct CopiedTable: Sendable {
    /// Which rows of it the target may hold before its turn.
    enum TargetRows: Sendable {
        /// None: a row there means the target is not empty.
        case none
        /// The migrations insert some (the revocation counter's row): they do not make the
        /// target "not empty", and the source's rows replace them.
        case seededByMigrations
        /// Triggers on earlier tables write them during the copy: the source's rows replace them.
        case writtenByTriggers
    }

    let name: String
    /// The primary key: rows are read in its order, a page at a time (`WHERE key > last`).
    let key: [String]
    /// Columns that reference this table itself: inserted as NULL (the row they name may come
    /// later) and set once every row is in.
    let selfReferences: [String]
    /// Columns that triggers on later tables rewrite: inserted as they are, and set to the
    /// source's values again once every table is in.
    let derivedColumns: [String]
    let target: TargetRows

    init(_ name: String, key: [String] = ["id"], selfReferences: [String] = [], derivedColumns: [String] = [],
         target: TargetRows = .none) {
        self.name = name
        self.key = key
        self.selfReferences = selfReferences
        self.derivedColumns = derivedColumns
        self.target = target
    }

    /// Columns written after every table is copied.
    var lateColumns: [String] { selfReferences + derivedColumns }

    /// Its target rows are deleted and the source's inserted, after the other tables.
    var isReplaced: Bool { target != .none }
}
