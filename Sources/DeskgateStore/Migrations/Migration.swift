import DeskgateSQL
import DeskgateModel
/// One numbered schema step, kept in Swift source so the binary carries its own schema.
///
/// Each step has one text per engine. Tables and indexes are written once, in SQLite's
/// spelling, and `PostgresDDL` derives PostgreSQL's from them; what the engines do differently
/// (full-text search, triggers, the case-insensitive collation) is written per engine. Both
/// engines reach the same version numbers, so `schema_migrations` means the same on either.
public struct Migration: Sendable {
    public let version: Int
    public let name: String
    public let sqlite: String
    public let postgres: String

    public init(version: Int, name: String, sqlite: String, postgres: String) {
        self.version = version
        self.name = name
        self.sqlite = sqlite
        self.postgres = postgres
    }

    /// A step whose text both engines run as it is.
    public init(version: Int, name: String, sql: String) {
        self.init(version: version, name: name, sqlite: sql, postgres: sql)
    }

    func sql(for dialect: SQLDialect) -> String {
        switch dialect {
        case .sqlite: sqlite
        case .postgres: postgres
        }
    }

    /// Every migration this binary knows, in order. Append only: never edit an applied one
    /// (nor what `PostgresDDL` makes of it).
    public static let all: [Migration] = [
        Migration(version: 1, name: "initial schema",
                  sqlite: Schema1.directory + Schema1.workflow + Schema1.tickets + Schema1.search + Schema1.auth
                      + Schema1.revocationTriggers,
                  postgres: PostgresSchema1.collations
                      + PostgresDDL.tables(Schema1.directory + Schema1.workflow + Schema1.tickets + Schema1.auth)
                      + PostgresSchema1.search + PostgresSchema1.revocationTriggers),
        Migration(version: 2, name: "ticket search indexes", sql: Schema2.ticketSearch),
        Migration(version: 3, name: "membership changes bump the revocation counter",
                  sqlite: Schema3.membershipRevocation, postgres: PostgresSchema3.membershipRevocation),
        Migration(version: 4, name: "workflow ticket positions",
                  sqlite: Schema4.ticketFlow, postgres: PostgresDDL.tables(Schema4.ticketFlow)),
        Migration(version: 5, name: "tenant settings changes invalidate caches",
                  sqlite: Schema5.tenantSettings, postgres: PostgresSchema5.tenantSettings),
        // 6 and 7 were reserved for branches that never needed them.
        Migration(version: 8, name: "ticket message counts and tag names kept by triggers",
                  sqlite: Schema8.ticketSummaryColumns, postgres: PostgresSchema8.ticketSummaryColumns),
        Migration(version: 9, name: "workflow ticket counts per 30-day bucket",
                  sqlite: Schema9.workflowTicketMonths,
                  postgres: PostgresDDL.tables(Schema9.table) + PostgresSchema9.counting),
        Migration(version: 10, name: "state the processes of one deployment share",
                  sqlite: Schema10.sharedState, postgres: PostgresDDL.tables(Schema10.sharedState)),
        Migration(version: 11, name: "row-level security on tenant-owned tables",
                  sqlite: "-- SQLite has no row-level security: the tenant filters are the wall.\n",
                  postgres: PostgresSchema11.rowSecurity),
        Migration(version: 12, name: "user profile: creator, updated_at, label, lang, phone",
                  sqlite: Schema12.userProfile, postgres: PostgresDDL.tables(Schema12.userProfile)),
        Migration(version: 13, name: "search indexes: workflow ticket titles by trigram, one word set per ticket",
                  sqlite: Schema13.titleSubstrings + Schema13TicketWords.sqlite,
                  postgres: PostgresSchema13.titleSubstrings + Schema13TicketWords.postgres),
        Migration(version: 14, name: "bulk writes index their tickets' words once per batch",
                  sqlite: Schema14.sqlite, postgres: Schema14.postgres),
        Migration(version: 15, name: "search index lookups behind row-level security",
                  sqlite: "-- SQLite has no row-level security: its search indexes serve every statement.\n",
                  postgres: PostgresSchema15.searchFunctions),
        Migration(version: 16, name: "approvals: writes that wait for a person; idempotency keys",
                  sqlite: Schema16.approvals, postgres: PostgresDDL.tables(Schema16.approvals) + Schema16.postgresRowSecurity),
        Migration(version: 17, name: "search documents hold the filters; search statements in one process",
                  sqlite: "-- SQLite's documents have held the filters since migration 13, and it has no parallel plans.\n",
                  postgres: PostgresSchema17.ticketWordAttributes),
        Migration(version: 19, name: "MCP use per credential and hour: rate limits, write quotas, usage pages",
                  sqlite: Schema19.usage, postgres: PostgresDDL.tables(Schema19.usage) + Schema19.postgresRowSecurity),
        Migration(version: 20, name: "MCP audit log: every tools/call, batched, with a per-tenant retention",
                  sqlite: Schema20.audit, postgres: PostgresDDL.tables(Schema20.audit) + Schema20.postgresRowSecurity),
        Migration(version: 21, name: "custom domains: host names that reach a tenant without the /t/ prefix",
                  sqlite: Schema21.hosts + Schema21.sqliteTriggers,
                  postgres: PostgresDDL.tables(Schema21.hosts) + Schema21.postgresRowSecurity + Schema21.postgresTriggers),
        Migration(version: 22, name: "workflow titles in the relation indexes: title searches in duty, worked and relation read no ticket per row",
                  sqlite: Schema22.sqlite, postgres: Schema22.postgres),
        Migration(version: 23, name: "the words of SQLite's search documents: a prefix searches the few words it starts",
                  sqlite: Schema23.sqlite, postgres: Schema23.postgres),
        Migration(version: 24, name: "the tenant wall reads its tenant once per statement, not once per row",
                  sqlite: "-- SQLite has no row-level security: the tenant filters are the wall.\n",
                  postgres: PostgresSchema24.tenantWall),
        Migration(version: 25, name: "the search functions read the tenant once per call, as the wall does",
                  sqlite: "-- SQLite has no row-level security: its search indexes serve every statement.\n",
                  postgres: PostgresSchema25.searchFunctions),
    ]

    public static var latestVersion: Int { all.last?.version ?? 0 }
}
