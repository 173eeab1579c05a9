import DeskgateSQL
import Testing
@testable import DeskgateStore

/// After bulk work each full-text index is merged into one segment (`SearchIndexMerge`).
@Suite struct SearchIndexMergeTests {
    /// Segments of one FTS5 index, from its `_idx` shadow table.
    static func segments(_ index: String, in db: Database) throws -> Int {
        try db.withReader { try $0.queryOne("SELECT count(DISTINCT segid) FROM \(index)_idx") { $0.int(0) } ?? 0 }
    }

    @Test func everyIndexEndsInOneSegment() throws {
        try withDatabase { db in
            // Three transactions leave three segments in each index (FTS5 merges at four).
            for slug in ["one", "two", "three"] { _ = try TitleSearchTests.seed(db, slug: slug) }
            let indexes = try db.withReader { try SearchIndexMerge.indexes(on: $0) }
            #expect(Set(indexes).isSuperset(of: ["ticket_words", "ticket_subject_search", "workflow_subject_trigrams", "message_body_search"]))
            let split = try indexes.filter { try Self.segments($0, in: db) > 1 }
            #expect(split.contains("workflow_subject_trigrams") && split.contains("ticket_words"), "\(split)")
            try db.mergeSearchIndexes()
            for index in indexes { #expect(try Self.segments(index, in: db) <= 1, "\(index)") }
            // Still answers the same.
            #expect(try TitleSearchTests.answer("vpn", category: .all, TitleSearchTests.seed(db, slug: "four"), in: db).titles == ["VPN access for Lee"])
        }
    }
}
