import DeskgatePostgres
import DeskgateSQL

/// One copy into the target's open transaction, phase by phase (see `DatabaseCopy`). Throwing
/// anywhere leaves the rollback to the caller.
struct CopyRun {
    let plan: SourcePlan
    let reader: any SQLConnection
    let writer: any SQLConnection
    let target: DatabaseLocation

    func run(progress: (CopyProgress) -> Void) throws -> CopyReport {
        try withoutActuallyEscaping(progress) { try run(reporting: $0) }
    }

    private func run(reporting progress: @escaping (CopyProgress) -> Void) throws -> CopyReport {
        try checkTarget()
        // SQLite's per-ticket documents are built again at the end: their row triggers pause
        // meanwhile (migration 14), as they flushed once per message. The one transaction's
        // rollback, should the copy fail, takes the switch with it.
        let pausesTicketWords = writer.dialect == .sqlite && plan.schemaVersion >= 14
        if pausesTicketWords { _ = try writer.run("INSERT INTO ticket_words_paused (only) VALUES (1)", bindings: []) }
        // PostgreSQL loads in bulk: triggers, secondary indexes and foreign keys off until the
        // rows are in (`PostgresBulkLoad`).
        let bulk = (writer as? PostgresConnection).map { PostgresBulkLoad(connection: $0) }
        let pause = try bulk.map { try PostgresTriggerPause.pause($0.connection, target: target) }
        let indexes = try bulk.map { try PostgresIndexPause.drop($0.connection) }
        let foreignKeys = try bulk.map { try PostgresForeignKeyPause.drop($0.connection) }
        var counter = ProgressCounter(total: plan.totalRows, report: progress)
        // Replaced tables go last: their rows are what the triggers of every other table's
        // inserts and of the late columns' updates would have changed.
        for table in plan.tables where !table.plan.isReplaced {
            try copyRows(of: table, counter: &counter)
        }
        for table in plan.tables where !table.plan.lateColumns.isEmpty {
            if let bulk {
                try bulk.setLateColumns(lateReader(table, on: reader), of: table.plan, columns: lateColumns(table))
                continue
            }
            try lateReader(table, on: reader).forEachPage {
                try TableWriter(connection: writer, table: table.plan, columns: lateColumns(table)).setLateColumns($0)
            }
        }
        for table in plan.tables where table.plan.isReplaced {
            try TableWriter(connection: writer, table: table.plan, columns: table.columns).clear()
            try copyRows(of: table, counter: &counter)
        }
        if pausesTicketWords { _ = try writer.run("DELETE FROM ticket_words_paused", bindings: []) }
        var derived: [String] = []
        if let pause, let indexes, let foreignKeys {
            // The copied tables' indexes first: the builds read them (a ticket's messages).
            try indexes.rebuild { !CopyPlan.derivedTables.contains($0) }
            for (table, build) in CopyPlan.postgresDerivedBuilds {
                try writer.execute(script: build)
                derived.append(table)
            }
            try indexes.rebuild { CopyPlan.derivedTables.contains($0) }
            try foreignKeys.restore { _ in true }
            try indexes.check(target: target)
            try foreignKeys.check(target: target)
            try pause.resume(target: target)
        }
        let searchIndexes = try rebuildSearchIndexes() + derived
        let sequences = try setIdentitySequences()
        let counts = try verify(searchIndexes: searchIndexes)
        return CopyReport(tables: counts, schemaVersion: plan.schemaVersion, rebuiltSearchIndexes: searchIndexes,
                          sequencesSet: sequences)
    }

    /// The target, now migrated, has the source's tables and columns, only triggers the plan
    /// accounts for, and no data.
    private func checkTarget() throws {
        let catalog = CopyCatalog(connection: writer)
        try SourcePlan.checkTables(catalog, location: target)
        let unreviewed = try catalog.triggers().subtracting(CopyPlan.reviewedTriggers)
        guard unreviewed.isEmpty else {
            throw CopyError.unreviewedTriggers(database: target.description, triggers: unreviewed.sorted())
        }
        var occupied: [String: Int] = [:]
        for table in plan.tables {
            let columns = try catalog.columns(of: table.plan.name)
            guard columns.count == table.columns.count, zip(columns, table.columns).allSatisfy({ $0.matches($1) }) else {
                throw CopyError.columnsDiffer(table: table.plan.name)
            }
            if table.plan.target == .seededByMigrations { continue }
            let rows = try count(table.plan.name, on: writer)
            if rows > 0 { occupied[table.plan.name] = rows }
        }
        guard occupied.isEmpty else { throw CopyError.targetNotEmpty(target: target.description, tables: occupied) }
    }

    private func copyRows(of table: SourcePlan.Table, counter: inout ProgressCounter) throws {
        let reading = TableReader(connection: reader, table: table.plan.name, columns: table.columns, key: table.plan.key)
        let writing = TableWriter(connection: writer, table: table.plan, columns: table.columns)
        counter.start(table.plan.name, rows: table.rows)
        if let postgres = writer as? PostgresConnection {
            try PostgresBulkLoad(connection: postgres).load(reading, into: table.plan, columns: table.columns) { counter.advance($0) }
            return
        }
        try reading.forEachPage { page in
            try writing.insert(page)
            counter.advance(page.count)
        }
    }

    /// The key and the late columns of `table`, as both sides' catalogs name them.
    func lateColumns(_ table: SourcePlan.Table) -> [CopiedColumn] {
        table.columns.filter { table.plan.key.contains($0.name) || table.plan.lateColumns.contains($0.name) }
    }

    private func lateReader(_ table: SourcePlan.Table, on connection: any SQLConnection) -> TableReader {
        TableReader(connection: connection, table: table.plan.name, columns: lateColumns(table), key: table.plan.key)
    }

    /// SQLite's FTS5 tables index `tickets` and `messages` as external content: their triggers
    /// fed them row by row; 'rebuild' reindexes from the content tables whatever they did.
    private func rebuildSearchIndexes() throws -> [String] {
        let indexes = try CopyCatalog(connection: writer).searchIndexes()
        for index in indexes {
            let name = Identifier.quoted(index)
            try writer.run("INSERT INTO \(name) (\(name)) VALUES ('rebuild')", bindings: [])
        }
        // The per-ticket documents (migration 13) are contentless: emptied and built again
        // in ticket order, which also leaves them compact after the row-by-row feeding.
        if writer.dialect == .sqlite, plan.schemaVersion >= 13 {
            try writer.run("INSERT INTO ticket_words (ticket_words) VALUES ('delete-all')", bindings: [])
            try writer.execute(script: Schema13TicketWords.build)
            return indexes + ["ticket_words"]
        }
        return indexes
    }

    /// PostgreSQL's identity columns took explicit values, which do not move their sequences:
    /// the next id must come after the largest copied one. (SQLite's rowids follow the table.)
    private func setIdentitySequences() throws -> Int {
        guard writer.dialect == .postgres else { return 0 }
        var set = 0
        for table in plan.tables {
            for column in try CopyCatalog(connection: writer).columns(of: table.plan.name) where column.isIdentity {
                let quoted = Identifier.quoted(column.name)
                _ = try writer.queryOne("""
                    SELECT setval(pg_get_serial_sequence(?1, ?2), COALESCE(MAX(\(quoted)), 0) + 1, false)
                    FROM \(Identifier.quoted(table.plan.name))
                    """, table.plan.name, column.name) { _ in true }
                set += 1
            }
        }
        return set
    }

    func count(_ table: String, on connection: any SQLConnection) throws -> Int {
        try connection.queryOne("SELECT count(*) FROM \(Identifier.quoted(table))") { $0.int(0) } ?? 0
    }
}

/// Turns rows copied into `CopyProgress` reports: one as each table starts, one per page.
struct ProgressCounter {
    let total: Int
    let report: (CopyProgress) -> Void
    private var table = ""
    private var tableRows = 0
    private var tableCopied = 0
    private var copied = 0

    init(total: Int, report: @escaping (CopyProgress) -> Void) {
        self.total = total
        self.report = report
    }

    mutating func start(_ table: String, rows: Int) {
        (self.table, tableRows, tableCopied) = (table, rows, 0)
        send()
    }

    mutating func advance(_ rows: Int) {
        tableCopied += rows
        copied += rows
        send()
    }

    private func send() {
        report(CopyProgress(table: table, tableCopied: tableCopied, tableRows: tableRows, copied: copied, total: total))
    }
}
