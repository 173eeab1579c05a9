import DeskgateSQL

/// The PostgreSQL role the servers connect as: not the tables' owner, so the row-level
/// security of migration 11 binds it (an owner bypasses its own policies). Granted what the
/// servers do, rows in and out, and nothing else: no DDL, no TRUNCATE, no policy changes. Default
/// privileges extend the grant to tables later migrations create.
public enum ServerRole {
    /// Grants `role` the servers' privileges on the database at `location`, migrated first
    /// (the caller is the owner). Refuses SQLite (no roles) and a name that is not a plain
    /// identifier (it is spliced into the statements, quoted).
    public static func grant(_ role: String, at location: DatabaseLocation) throws {
        guard case .postgres = location else {
            throw StoreError.invalidInput("roles exist on PostgreSQL only; a SQLite file is as open as its file permissions")
        }
        guard isPlainIdentifier(role) else {
            throw StoreError.invalidInput("role name must be letters, digits and underscores, not starting with a digit")
        }
        let connection = try WriteQueue.openWriter(location: location, configuration: DatabaseConfiguration())
        let quoted = "\"\(role)\""
        try connection.execute(script: """
            DO $$
            BEGIN
                EXECUTE format('GRANT USAGE ON SCHEMA %I TO \(quoted)', current_schema());
                EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %I TO \(quoted)', current_schema());
                EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA %I TO \(quoted)', current_schema());
                EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO \(quoted)', current_schema());
                EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT USAGE, SELECT ON SEQUENCES TO \(quoted)', current_schema());
            END $$;
            """)
    }

    static func isPlainIdentifier(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, name.utf8.count <= 63,
              first == "_" || (first.isASCII && first.properties.isAlphabetic) else { return false }
        return name.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) }
    }
}
