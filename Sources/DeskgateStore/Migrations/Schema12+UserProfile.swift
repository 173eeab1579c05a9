/// Migration 12: the rest of the user record the workflow product documents (`user_list`
/// with `simple=false`): who created the user, when the record last changed, a label, a
/// language and a phone. `users` already carries tenant_id, so PostgreSQL's row-level
/// security (migration 11, a policy per table) covers the new columns as it is. `creator_id`
/// has no foreign key: SQLite cannot add the (tenant_id, creator_id) key to an existing
/// table, and the directory only ever sets it to the acting user of the same tenant.
enum Schema12 {
    static let userProfile = """
        ALTER TABLE users ADD COLUMN creator_id INTEGER;
        ALTER TABLE users ADD COLUMN updated_at INTEGER;
        ALTER TABLE users ADD COLUMN label TEXT;
        ALTER TABLE users ADD COLUMN lang TEXT;
        ALTER TABLE users ADD COLUMN phone TEXT;
        UPDATE users SET updated_at = created_at;

        """
}
