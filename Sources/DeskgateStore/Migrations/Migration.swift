import DeskgateSQL
import DeskgateModel
/// One numbered schema step, kept in Swift source so the binary carries its own schema.
public struct Migration: Sendable {
    public let version: Int
    public let name: String
    public let sql: String

    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }

    /// Every migration this binary knows, in order. Append only: never edit an applied one.
    public static let all: [Migration] = [
        Migration(version: 1, name: "initial schema",
                  sql: Schema1.directory + Schema1.workflow + Schema1.tickets + Schema1.search + Schema1.auth),
        Migration(version: 2, name: "ticket search indexes", sql: Schema2.ticketSearch),
        Migration(version: 3, name: "membership changes bump the revocation counter", sql: Schema3.membershipRevocation),
        Migration(version: 4, name: "workflow ticket positions", sql: Schema4.ticketFlow),
        Migration(version: 5, name: "tenant settings changes invalidate caches", sql: Schema5.tenantSettings),
        // 6 and 7 were reserved for branches that never needed them.
        Migration(version: 8, name: "ticket message counts and tag names kept by triggers",
                  sql: Schema8.ticketSummaryColumns),
        Migration(version: 9, name: "workflow ticket counts per 30-day bucket", sql: Schema9.workflowTicketMonths),
    ]

    public static var latestVersion: Int { all.last?.version ?? 0 }
}
