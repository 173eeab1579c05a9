/// Why `DatabaseCopy` refused or failed. Locations are the printable ones (a URL's password
/// masked); nothing was committed to the target when one of these is thrown.
public enum CopyError: Error, Sendable, Equatable, CustomStringConvertible {
    case sameDatabase(String)
    case sourceMissing(String)
    case notADeskgateDatabase(String)
    case sourceSchemaOutdated(source: String, version: Int, current: Int)
    case sourceSchemaTooNew(source: String, version: Int, known: Int)
    /// Tables of the target that hold rows, with how many.
    case targetNotEmpty(target: String, tables: [String: Int])
    /// The database's tables are not the ones `CopyPlan` lists.
    case unknownTables(database: String, unknown: [String], missing: [String])
    case unreviewedTriggers(database: String, triggers: [String])
    case unsupportedColumn(table: String, column: String, type: String)
    case columnsDiffer(table: String)
    /// Row counts that differ after the copy: table, source rows, target rows.
    case countsDiffer([CountMismatch])
    /// A column triggers keep, or a replaced table, differs from the source after the copy.
    case derivedDataDiffers(table: String)
    /// Text holding a NUL character, which PostgreSQL text cannot store; `key` names the row.
    case textWithNUL(table: String, column: String, key: String)
    /// PostgreSQL: tables of the target this role does not own (the copy turns their triggers
    /// off while it loads, which only the owner may).
    case notTheOwner(target: String, tables: [String])
    /// PostgreSQL: triggers not in the state they had before the copy (nothing was committed).
    case triggersNotRestored(target: String, triggers: [String])
    /// PostgreSQL: secondary indexes not built again as they were (nothing was committed).
    case indexesNotRestored(target: String, indexes: [String])
    /// PostgreSQL: foreign keys not added again as they were, or not validated.
    case constraintsNotRestored(target: String, constraints: [String])

    public struct CountMismatch: Sendable, Equatable {
        public let table: String
        public let source: Int
        public let target: Int
    }

    public var description: String {
        switch self {
        case let .sameDatabase(location):
            "source and target are the same database (\(location))"
        case let .sourceMissing(location):
            "no database at \(location)"
        case let .notADeskgateDatabase(location):
            "\(location) is not a deskgate database (it has no schema_migrations table)"
        case let .sourceSchemaOutdated(source, version, current):
            "the source \(source) is at schema version \(version), this deskgate writes version \(current): "
                + "run 'deskgate --database \(source) migrate' first"
        case let .sourceSchemaTooNew(source, version, known):
            "the source \(source) is at schema version \(version), newer than this deskgate knows (\(known)); upgrade deskgate"
        case let .targetNotEmpty(target, tables):
            // A few tables are enough to recognise what is there.
            "the target \(target) is not empty (\(tables.count) tables hold rows: "
                + tables.keys.sorted().prefix(3).map { "\($0) \(tables[$0]!)" }.joined(separator: ", ")
                + (tables.count > 3 ? ", …" : "") + "); copy into an empty database"
        case let .unknownTables(database, unknown, missing):
            "\(database) does not have the tables this deskgate copies"
                + (unknown.isEmpty ? "" : "; unknown: " + unknown.joined(separator: ", "))
                + (missing.isEmpty ? "" : "; missing: " + missing.joined(separator: ", "))
        case let .unreviewedTriggers(database, triggers):
            "\(database) has triggers the copy does not know how to account for: " + triggers.joined(separator: ", ")
        case let .unsupportedColumn(table, column, type):
            "column \(table).\(column) has a type the copy does not move (\(type))"
        case let .columnsDiffer(table):
            "table \(table) has different columns in the source and the target"
        case let .countsDiffer(mismatches):
            "row counts differ after the copy, nothing was committed: "
                + mismatches.map { "\($0.table) \($0.source) → \($0.target)" }.joined(separator: ", ")
        case let .derivedDataDiffers(table):
            "\(table) differs from the source after the copy (a trigger changed it), nothing was committed"
        case let .textWithNUL(table, column, key):
            "\(table).\(column) of the row \(key) holds a NUL character, which PostgreSQL text cannot store; "
                + "nothing was committed (remove the character in the source and copy again)"
        case let .notTheOwner(target, tables):
            "copy into \(target) as the role that owns its tables (the copy turns their triggers off while it loads); "
                + "this role does not own " + tables.prefix(3).joined(separator: ", ") + (tables.count > 3 ? ", …" : "")
        case let .triggersNotRestored(target, triggers):
            "the triggers of \(target) did not come back as they were (" + triggers.joined(separator: ", ") + "), nothing was committed"
        case let .indexesNotRestored(target, indexes):
            "the indexes of \(target) did not come back as they were (" + indexes.joined(separator: ", ") + "), nothing was committed"
        case let .constraintsNotRestored(target, constraints):
            "the foreign keys of \(target) did not come back as they were (" + constraints.joined(separator: ", ") + "), nothing was committed"
        }
    }
}
