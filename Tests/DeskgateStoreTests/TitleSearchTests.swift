import DeskgateSQL
import Foundation
import Testing
@testable import DeskgateStore
import DeskgateModel

/// `ticket_list`'s `search_value` through migration 13's trigram indexes: in every category it
/// finds exactly the workflow tickets whose title contains the text, case-insensitively with
/// accents kept, LIKE's metacharacters taken literally; text of 1 or 2 characters is matched
/// among the newest `ShortTitleSearch.window` tickets of the listing. On PostgreSQL (pg_trgm)
/// the same tickets are found as on SQLite (FTS5 trigram).
@Suite struct TitleSearchTests {
    static let titles = [
        "VPN access for Lee", "Laptop provisioning", "Résumé upload", "RÉSUMÉ REVIEW", "resume without accents",
        "100% discount", "100 discount", "snake_case name", "snakeXcase name", "back\\slash path", "quote \"here\"",
        "日本語のチケット", "日本 office", "ab", "Ab cd", "x", "Naïve café", "naive cafe", "zz top", "OR AND NOT",
        "\u{212A}elvin scale",   // the Kelvin sign, which every engine folds to "k"
    ]

    static let queries = [
        "vpn", "VPN", "provision", "résumé", "RÉSUMÉ", "resume", "Résumé up", "100%", "%", "_", "e_c", "snake_case",
        "\\", "back\\slash", "\"", "\"here\"", "日本", "日本語", "本語の", "ab", "a", "b c", "x", "café", "cafe", "CAFÉ",
        "zz", "zzz-none", "OR", "AND NOT", "*", "pro*", "ı", "  ", " ", "kelvin", "\u{212A}elvin",
    ]

    /// What the listing must return: the titles holding the text, newest first.
    static func expected(_ query: String, among titles: [String]) -> [String] {
        titles.reversed().filter { ShortTitleSearch.title($0, contains: query) }
    }

    @Test func everyCategoryFindsTheTitlesHoldingTheText() throws {
        try withDatabase { db in
            let seeded = try Self.seed(db, slug: "lite")
            for category in WorkflowTicketFilter.Category.allCases {
                for query in Self.queries {
                    // Both plans: matches driving, and matches as a set the listing is checked against.
                    for drivingLimit in [TitleSubstring.drivingLimit(.sqlite), 0] {
                        let found = try Self.answer(query, category: category, seeded, in: db, titleDrivingLimit: drivingLimit)
                        #expect(found.titles == Self.expected(query, among: Self.titles), "\(category) \(query) \(drivingLimit)")
                        #expect(found.total == found.titles.count, "\(category) \(query) \(drivingLimit)")
                    }
                }
            }
            // Pages: the second of two keeps the order and the total.
            let page = try Self.answer("a", category: .all, seeded, in: db, limit: 3, offset: 3)
            #expect(page.titles == Array(Self.expected("a", among: Self.titles).dropFirst(3).prefix(3)))
            #expect(page.total == Self.expected("a", among: Self.titles).count)
        }
    }

    /// Most titles matching (forced: no driving, a walk of 4 rows): the page is still exactly the
    /// first matches in the listing's order, either way round; the count is exact when the walk
    /// covers the listing or cannot fill the page, else flagged as the matches of the rows walked.
    @Test func denseMatchesKeepThePageExact() throws {
        try withDatabase { db in
            let seeded = try Self.seed(db, slug: "lite")
            var flagged = 0
            for category in WorkflowTicketFilter.Category.allCases {
                let queries = Self.queries + ["e c"]   // "e c": two of the four newest titles
                for query in queries where query.unicodeScalars.count >= TitleSubstring.indexedLength || query == "ab" {
                    for newestFirst in [true, false] {
                        let listing = newestFirst ? Self.titles.reversed() : Self.titles
                        let matching = listing.filter { ShortTitleSearch.title($0, contains: query) }
                        // A long walk (where titles are tested in their rows) that stops at 3 rows
                        // leaves the page to the statement that reads the matches: the same answer.
                        for (walk, offset, longWalk) in [(4, 0, 3), (4, 2, 3), (4, 2, TitleSubstring.longWalkRows), (500, 0, 3)] {
                            let found = try Self.answer(query, category: category, seeded, in: db, limit: 2, offset: offset,
                                                        titleDrivingLimit: 0, titleWalkRows: walk, titleLongWalkRows: longWalk,
                                                        newestFirst: newestFirst)
                            let label = "\(category) \(query) \(newestFirst) \(walk) \(offset) \(longWalk)"
                            #expect(found.titles == Array(matching.dropFirst(offset).prefix(2)), "\(label)")
                            // The walk of `rows` listing rows holds the page, or else the first
                            // matches, up to `rows` + 1 of them, are read.
                            let rows = max(walk, offset + 2 * 2)
                            let walked = listing.prefix(rows).filter { ShortTitleSearch.title($0, contains: query) }.count
                            let indexed = query.unicodeScalars.count >= TitleSubstring.indexedLength
                            let walkHeld = indexed && rows < listing.count && walked >= offset + 2
                            let readOnly = indexed && !walkHeld && rows < listing.count && matching.count > rows
                            #expect(found.totalIsLowerBound == (walkHeld || readOnly), "\(label)")
                            if walkHeld || readOnly { flagged += 1 }
                            #expect(found.total == (walkHeld ? walked : readOnly ? rows + 1 : matching.count), "\(label)")
                        }
                    }
                }
            }
            #expect(flagged >= WorkflowTicketFilter.Category.allCases.count)
        }
    }

    /// Matches only past the walk's first stretch (`TitleSubstring.sparseProbeRows` newest rows
    /// hold none): the walk stops there and the matches read once give the same page and count.
    @Test func matchesPastTheFirstStretchGiveTheSamePage() throws {
        try withDatabase { db in
            let titles = (0..<5).map { "needle \($0)" } + (0..<(TitleSubstring.sparseProbeRows + 50)).map { "hay \($0)" }
            let seeded = try Self.seed(db, slug: "stretch", titles: titles)
            for category in [WorkflowTicketFilter.Category.all, .duty, .owner, .worked] {
                for (offset, expected) in [(0, ["needle 4", "needle 3"]), (2, ["needle 2", "needle 1"])] {
                    let found = try Self.answer("needle", category: category, seeded, in: db, limit: 2, offset: offset,
                                                titleDrivingLimit: 0, titleWalkRows: 500)
                    #expect(found.titles == expected, "\(category) \(offset)")
                    #expect(found.total == 5 && !found.totalIsLowerBound, "\(category) \(offset)")
                }
            }
        }
    }

    /// A renamed title and a deleted ticket leave the trigram index with the table.
    @Test func theIndexFollowsRenamesAndDeletes() throws {
        try withDatabase { db in
            let seeded = try Self.seed(db, slug: "lite")
            try db.write { tx in
                try tx.connection.run("UPDATE tickets SET subject = 'Printer jam' WHERE subject = 'VPN access for Lee'")
                try tx.connection.run("DELETE FROM tickets WHERE subject = 'Laptop provisioning'")
            }
            #expect(try Self.answer("vpn", category: .all, seeded, in: db).titles.isEmpty)
            #expect(try Self.answer("printer", category: .all, seeded, in: db).titles == ["Printer jam"])
            #expect(try Self.answer("provision", category: .all, seeded, in: db).titles.isEmpty)
            try db.write { tx in
                _ = try tx.connection.run("INSERT INTO workflow_subject_trigrams (workflow_subject_trigrams, rank) VALUES ('integrity-check', 1)")
            }
        }
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment["DESKGATE_TEST_DATABASE_URL"] != nil))
    func postgresFindsTheSameTickets() throws {
        let url = try #require(ProcessInfo.processInfo.environment["DESKGATE_TEST_DATABASE_URL"])
        let postgres = try Database.open(path: url)
        defer { postgres.close() }
        let onPostgres = try Self.seed(postgres, slug: "pg-" + UUID().uuidString.prefix(8).lowercased())
        try withDatabase { sqlite in
            let onSQLite = try Self.seed(sqlite, slug: "lite")
            var walkedOnPostgres = 0
            for category in WorkflowTicketFilter.Category.allCases {
                for query in Self.queries {
                    let expected = try Self.answer(query, category: category, onSQLite, in: sqlite)
                    let actual = try Self.answer(query, category: category, onPostgres, in: postgres)
                    #expect(actual.titles == expected.titles, "\(category) \(query)")
                    #expect(actual.total == expected.total, "\(category) \(query)")
                    #expect(!actual.totalIsLowerBound && !expected.totalIsLowerBound, "\(category) \(query)")
                    // The dense walk (forced) on each engine: the same pages, the same count, the
                    // same lower-bound flag, in either order.
                    // PostgreSQL's longer walk either covers the listing or stops at its cap (3
                    // rows) and leaves the page to the statement that reads the matches.
                    // With a driving limit of 1,000 the matches drive instead, after PostgreSQL's
                    // first walk of the listing (4 rows: never the whole listing) found it longer.
                    for offset in [0, 2, 5] {
                        for newestFirst in [true, false] {
                          for (longWalk, driving) in [(3, 0), (TitleSubstring.longWalkRows, 0), (TitleSubstring.longWalkRows, 1_000)] {
                            let onLite = try Self.answer(query, category: category, onSQLite, in: sqlite, limit: 2, offset: offset,
                                                         titleDrivingLimit: driving, titleWalkRows: 4, newestFirst: newestFirst)
                            let onPG = try Self.answer(query, category: category, onPostgres, in: postgres, limit: 2, offset: offset,
                                                       titleDrivingLimit: driving, titleWalkRows: 4, titleLongWalkRows: longWalk,
                                                       newestFirst: newestFirst)
                            let label = "\(category) \(query) \(offset) \(newestFirst) \(longWalk) \(driving)"
                            #expect(onPG.titles == onLite.titles, "\(label)")
                            #expect(onPG.total == onLite.total, "\(label)")
                            #expect(onPG.totalIsLowerBound == onLite.totalIsLowerBound, "\(label)")
                            if onPG.totalIsLowerBound { walkedOnPostgres += 1 }
                          }
                        }
                    }
                }
            }
            // Not vacuous: PostgreSQL's walk did stop short of the listing and flag its count.
            #expect(walkedOnPostgres >= WorkflowTicketFilter.Category.allCases.count)
        }
    }

    /// The plan's "more than N titles hold it?" on PostgreSQL, through its sample and walk at
    /// every size that makes each step decide, gives the index count's answer.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["DESKGATE_TEST_DATABASE_URL"] != nil))
    func postgresCommonTitlesAgreeWithTheCount() throws {
        let url = try #require(ProcessInfo.processInfo.environment["DESKGATE_TEST_DATABASE_URL"])
        let postgres = try Database.open(path: url)
        defer { postgres.close() }
        // Titles of mixed density: "a" in most, "case" in some, the Kelvin sign's "kelvin" in one;
        // upper-case text, which the walks fold as the index does.
        let seeded = try Self.seed(postgres, slug: "pgc-" + UUID().uuidString.prefix(8).lowercased(), titles: Self.titles + Self.titles)
        var decidedByWalks = 0
        try postgres.withReader { conn in
            for query in ["vpn", "VPN", "name", "ase", "case", "CaSe", "kelvin", "\u{212A}elvin", "résumé", "zzz-none", "100%", "日本語"] {
                let title = TitleSubstring(dialect: .postgres)
                let value = title.value(query)
                let count = try title.matchCount(value, cap: 1_000, tenant: seeded.scope.tenantKey, on: conn)
                for limit in [0, 1, 2, 3, 5, 8, 40] {
                    for (sample, walk) in [(1, 1), (2, 4), (3, 40), (6, 12), (1_000, 25_000)] {
                        let common = try seeded.scope.ticketFlow.titleIsCommon(query, value: value, moreThan: limit, sampleRows: sample,
                                                                               walkRows: walk, on: conn)
                        #expect(common == (count > limit), "\(query) more than \(limit), sample \(sample), walk \(walk)")
                        if common, sample < Self.titles.count * 2 { decidedByWalks += 1 }
                    }
                }
            }
        }
        // Not vacuous: the sample or the walk, not the whole listing, decided some.
        #expect(decidedByWalks > 10)
    }

    struct Seeded {
        let scope: TenantScope
        let user: Int64
    }

    static func answer(_ query: String, category: WorkflowTicketFilter.Category, _ seeded: Seeded, in db: Database,
                       limit: Int = 100, offset: Int = 0, titleDrivingLimit: Int? = nil,
                       titleWalkRows: Int = TitleSubstring.walkRows, titleLongWalkRows: Int = TitleSubstring.longWalkRows,
                       newestFirst: Bool = true) throws -> (titles: [String], total: Int, totalIsLowerBound: Bool) {
        try db.withReader { conn in
            var filter = WorkflowTicketFilter(category: category, userID: seeded.user, departmentIDs: [], isTenantAdmin: true)
            filter.search = query
            filter.newestFirst = newestFirst
            let page = try seeded.scope.ticketFlow.list(filter, limit: limit, offset: offset,
                                                        titleDrivingLimit: titleDrivingLimit ?? TitleSubstring.drivingLimit(conn.dialect),
                                                        titleWalkRows: titleWalkRows, titleLongWalkRows: titleLongWalkRows, on: conn)
            return (page.tickets.map(\.subject), page.total, page.totalIsLowerBound)
        }
    }

    /// Every title as a workflow ticket the one user created, is assigned and worked on, one
    /// millisecond apart; a help-desk ticket with each title too, which no listing shows.
    static func seed(_ db: Database, slug: String, titles: [String] = titles) throws -> Seeded {
        try db.write { tx throws in
            let scope = try TenantDirectory().create(slug: slug, name: slug, in: tx).scope
            let user = try scope.users.create(NewUser(email: "lee@\(slug).test", name: "Lee", role: .agent, passwordHash: "x"), in: tx)
            let workflow = try #require(try tx.connection.queryOne("""
                INSERT INTO workflows (tenant_id, name, created_at) VALUES (?1, 'Access', 0) RETURNING id
                """, scope.tenantKey) { $0.int64(0) })
            let version = try #require(try tx.connection.queryOne("""
                INSERT INTO workflow_versions (tenant_id, workflow_id, version, status, created_at)
                VALUES (?1, ?2, 1, 'default', 0) RETURNING id
                """, scope.tenantKey, workflow) { $0.int64(0) })
            for (index, title) in titles.enumerated() {
                var ticket = NewTicket(subject: title, assigneeID: user.id, creatorID: user.id, createdAt: Int64(index + 1) * 1_000)
                ticket.workflowVersionID = version
                let created = try scope.tickets.create(ticket, in: tx)
                try tx.connection.run("""
                    UPDATE ticket_participants SET as_processor = 1 WHERE tenant_id = ?1 AND ticket_id = ?2
                    """, scope.tenantKey, created.id)
                _ = try scope.tickets.create(NewTicket(subject: title, createdAt: Int64(index + 1) * 1_000 + 1), in: tx)
            }
            return Seeded(scope: scope, user: user.id)
        }
    }
}

/// `ShortTitleSearch.Matcher`'s byte path for ASCII against the scalar path it stands in for.
@Suite struct ShortTitleMatcherTests {
    /// The general rule, spelled independently: lower-cased scalars, a contiguous run.
    static func reference(_ title: String, _ text: String) -> Bool {
        let haystack = Array(title.lowercased().unicodeScalars), needle = Array(text.lowercased().unicodeScalars)
        if needle.isEmpty { return true }
        if haystack.count < needle.count { return false }
        return (0...(haystack.count - needle.count)).contains { Array(haystack[$0..<($0 + needle.count)]) == needle }
    }

    @Test func agreesWithTheScalarRuleOnASCIIAndBeyond() {
        let titles = ["VPN access", "vpn", "Vp", "v", "", "ab AB", "\u{212A}elvin", "İstanbul", "ı", "Naïve", "日本", "x\ty", "Z[a]", "@`{"]
        let texts = ["vp", "VP", "v", "k", "K", "i", "İ", "ab", "b a", "ï", "\t", "[", "z[", "@", "`", "{", "", "x\ty"]
        for title in titles {
            for text in texts {
                #expect(ShortTitleSearch.Matcher(text).matches(title) == Self.reference(title, text), "\(title) \(text)")
            }
        }
        // Not vacuous: both answers occur, and a title beyond ASCII still matches ASCII text.
        #expect(ShortTitleSearch.Matcher("k").matches("\u{212A}elvin"))
        #expect(!ShortTitleSearch.Matcher("vq").matches("VPN access"))
    }
}
