import DeskgateSQL
import FoundationEssentials

/// Copies a whole installation from one database to another, across engines
/// (`deskgate store copy`): SQLite to PostgreSQL, back, or to the same engine.
///
/// The source is read in one snapshot and never written. The target is migrated to the current
/// schema, must be empty, and receives everything in one transaction: every table of
/// `CopyPlan` in its order with ids kept, the columns triggers rewrote during the copy set back
/// to the source's, the replaced tables, SQLite's search indexes rebuilt and PostgreSQL's
/// identity sequences moved past the copied ids. It commits only when every table has as many
/// rows as the source's and the trigger-kept data equals the source's. Into PostgreSQL it is a
/// bulk load (`PostgresBulkLoad`): COPY, with triggers, secondary indexes and foreign keys off
/// until the rows are in, all inside the same transaction.
public struct DatabaseCopy {
    public let source: DatabaseLocation
    public let target: DatabaseLocation

    public init(from source: String, to target: String) {
        self.source = DatabaseLocation(source)
        self.target = DatabaseLocation(target)
    }

    public func run(progress: (CopyProgress) -> Void = { _ in }) throws -> CopyReport {
        guard source != target else { throw CopyError.sameDatabase(source.description) }
        if case let .file(path) = source, !FileManager.default.fileExists(atPath: path) {
            throw CopyError.sourceMissing(source.description)
        }
        let configuration = DatabaseConfiguration()
        let reader = try source.openReader(configuration: configuration)
        try reader.execute(script: Self.beginSnapshot(reader.dialect))
        defer { try? reader.execute(script: "ROLLBACK") }
        let plan = try SourcePlan(reader: reader, location: source)

        if case let .file(path) = target { try Database.prepareFile(path) }
        let writer = try WriteQueue.openWriter(location: target, configuration: configuration)
        try writer.execute(script: writer.dialect.beginWrite)
        do {
            let report = try CopyRun(plan: plan, reader: reader, writer: writer, target: target).run(progress: progress)
            try writer.execute(script: "COMMIT")
            // A copy is a bulk load: plans on the target should know its data from the start.
            PlannerStatistics.logged("store_copy") { try PlannerStatistics.refresh(on: writer) }
            return report
        } catch {
            if !writer.isAutocommit { try? writer.execute(script: "ROLLBACK") }
            throw error
        }
    }

    /// One view of the source for every statement of the copy. SQLite's read transaction holds
    /// its snapshot from the first read; PostgreSQL's default (read committed) would take a new
    /// one per statement.
    static func beginSnapshot(_ dialect: SQLDialect) -> String {
        switch dialect {
        case .sqlite: "BEGIN"
        case .postgres: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
        }
    }
}

/// Where a copy stands, for a progress bar: rows of the current table and of the whole copy.
public struct CopyProgress: Sendable, Equatable {
    public let table: String
    public let tableCopied: Int
    public let tableRows: Int
    public let copied: Int
    public let total: Int

    public var isTableDone: Bool { tableCopied == tableRows }
}

/// What a finished copy did.
public struct CopyReport: Sendable, Equatable {
    public struct Table: Sendable, Equatable {
        public let name: String
        public let sourceRows: Int
        public let targetRows: Int
    }

    /// In copy order, with the row counts checked on both sides.
    public let tables: [Table]
    public let schemaVersion: Int
    /// SQLite's FTS5 tables rebuilt on the target.
    public let rebuiltSearchIndexes: [String]
    /// PostgreSQL identity sequences moved past the copied ids.
    public let sequencesSet: Int
}
