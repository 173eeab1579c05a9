import DeskgateSQL

/// The source as the copy will read it, checked before the target is touched: a deskgate
/// database at exactly this binary's schema version, with exactly `CopyPlan`'s tables, their
/// columns as its catalog states them and their row counts, all in the caller's snapshot.
struct SourcePlan {
    struct Table {
        let plan: CopiedTable
        let columns: [CopiedColumn]
        let rows: Int
    }

    let tables: [Table]
    let schemaVersion: Int

    init(reader: any SQLConnection, location: DatabaseLocation) throws {
        let catalog = CopyCatalog(connection: reader)
        guard let version = try catalog.schemaVersion() else { throw CopyError.notADeskgateDatabase(location.description) }
        let current = Migration.latestVersion
        if version < current {
            throw CopyError.sourceSchemaOutdated(source: location.description, version: version, current: current)
        }
        if version > current {
            throw CopyError.sourceSchemaTooNew(source: location.description, version: version, known: current)
        }
        try Self.checkTables(catalog, location: location)
        tables = try CopyPlan.tables.map { table in
            let columns = try catalog.columns(of: table.name)
            let rows = try reader.queryOne("SELECT count(*) FROM \(Identifier.quoted(table.name))") { $0.int(0) } ?? 0
            return Table(plan: table, columns: columns, rows: rows)
        }
        schemaVersion = version
    }

    /// Refuses a database whose tables are not `CopyPlan`'s: a table the plan does not know
    /// would otherwise be left behind without a word.
    static func checkTables(_ catalog: CopyCatalog, location: DatabaseLocation) throws {
        let present = try catalog.tables()
        let planned = Set(CopyPlan.tables.map(\.name))
        guard present == planned else {
            throw CopyError.unknownTables(database: location.description, unknown: present.subtracting(planned).sorted(),
                                          missing: planned.subtracting(present).sorted())
        }
    }

    var totalRows: Int { tables.reduce(0) { $0 + $1.rows } }
}
