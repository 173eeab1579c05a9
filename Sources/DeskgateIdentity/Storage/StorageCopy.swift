import DeskgateStore

/// `deskgate store copy`: a whole installation moved to another database (SQLite file or
/// PostgreSQL URL, either way), as the CLI reaches it without knowing the store. The store's
/// `DatabaseCopy` does the work and states the guarantees; its errors say what was refused.
public enum StorageCopy {
    /// Where a running copy stands: rows of `table` copied so far, and of the whole copy.
    public struct Progress: Sendable {
        public let table: String
        public let tableCopied: Int
        public let tableRows: Int
        public let copied: Int
        public let total: Int
        public let isTableDone: Bool
    }

    /// One table's rows in the source and in the committed target.
    public struct TableCount: Sendable {
        public let table: String
        public let source: Int
        public let target: Int
    }

    public struct Report: Sendable {
        public let tables: [TableCount]
        public let schemaVersion: Int
        public let rebuiltSearchIndexes: [String]
        public let sequencesSet: Int
    }

    /// Copies `source` into the empty (or new) `target`; both are `--database` texts. Throws,
    /// with nothing committed, when a check refuses or the copy does not verify.
    public static func copy(from source: String, to target: String, progress: (Progress) -> Void = { _ in }) throws -> Report {
        let report = try DatabaseCopy(from: source, to: target).run { step in
            progress(Progress(table: step.table, tableCopied: step.tableCopied, tableRows: step.tableRows,
                              copied: step.copied, total: step.total, isTableDone: step.isTableDone))
        }
        return Report(tables: report.tables.map { TableCount(table: $0.name, source: $0.sourceRows, target: $0.targetRows) },
                      schemaVersion: report.schemaVersion, rebuiltSearchIndexes: report.rebuiltSearchIndexes,
                      sequencesSet: report.sequencesSet)
    }
}
