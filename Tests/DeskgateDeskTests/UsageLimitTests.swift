import Foundation
import Synchronization
import Testing
@testable import DeskgateDesk
import DeskgateStore
@testable import DeskgateIdentity
import DeskgateModel

/// Rate limits and write quotas (issue 19): the windows as tables, the meter with a clock the
/// test moves, and two meters sharing one database as two processes do.
@Suite struct UsageLimitTests {
    static let minute: Int64 = 60 * 1_000_000_000
    static let second: Int64 = 1_000_000_000

    @Test func aRateWindowAllowsTheQuotaAsABurstThenTheSteadyRate() {
        var window = RateWindow()
        // (time in seconds, allowed, remaining, retry after)
        let table: [(Int64, Bool, Int, Int)] = [
            (0, true, 2, 0), (0, true, 1, 0), (0, true, 0, 0), (0, false, 0, 20),
            (19, false, 0, 1), (20, true, 0, 0), (21, false, 0, 19), (100, true, 2, 0),
        ]
        for (at, allowed, remaining, retry) in table {
            let decision = window.admit(now: 1_000 * Self.second + at * Self.second, limit: 3, window: Self.minute)
            #expect(decision.allowed == allowed, "at \(at) s")
            #expect(decision.remaining == remaining, "at \(at) s")
            #expect(decision.retryAfterSeconds == retry, "at \(at) s")
        }
    }

    @Test func callsOfOtherProcessesAreChargedButNeverBeyondOneWindow() {
        var window = RateWindow()
        let now = 5_000 * Self.second
        window.charge(2, now: now, limit: 3, window: Self.minute)
        #expect(window.admit(now: now, limit: 3, window: Self.minute).remaining == 0, "2 of 3 used elsewhere, 1 here")
        var flooded = RateWindow()
        flooded.charge(1_000, now: now, limit: 3, window: Self.minute)
        let refused = flooded.admit(now: now, limit: 3, window: Self.minute)
        #expect(!refused.allowed)
        #expect(refused.retryAfterSeconds == 20, "owes at most one window: the next call is one step away")
    }

    @Test func anHourlyQuotaCountsHereAndElsewhereAndRenewsOnTheHour() {
        var quota = HourlyQuota()
        let ten = 10 * 3_600_000 + 600_000 as Int64   // 10:10
        quota.count(now: ten)
        quota.count(now: ten)
        quota.learn(others: 5, hour: HourlyQuota.hour(of: ten))
        #expect(quota.used(now: ten) == 7)
        #expect(quota.remaining(quota: 8, now: ten) == 1)
        #expect(HourlyQuota.secondsToNextHour(now: ten) == 3_000)
        #expect(quota.remaining(quota: 8, now: ten + 3_000_000) == 8, "a new hour")
        quota.learn(others: 9, hour: HourlyQuota.hour(of: ten) - 1)
        #expect(quota.used(now: ten) == 7, "a stale hour's count is ignored")
    }

    @Test func limitsReadFromSettingsAndMalformedValuesFallBackToTheDefaults() {
        #expect(UsageLimits(settingsJSON: "{}") == .defaults)
        let set = UsageLimits(callsPerMinute: 5, tenantCallsPerMinute: 0, writesPerHour: 7, tenantWritesPerHour: 9)
        let merged = set.merged(into: #"{"mcp":{"read_only":true}}"#)
        #expect(UsageLimits(settingsJSON: merged) == set)
        #expect(MCPSettings(settingsJSON: merged).readOnly, "other settings are kept")
        let bad = UsageLimits(settingsJSON: #"{"limits":{"calls_per_minute":-1,"writes_per_hour":"x","tenant_writes_per_hour":3}}"#)
        #expect(bad.callsPerMinute == UsageLimits.defaults.callsPerMinute)
        #expect(bad.writesPerHour == UsageLimits.defaults.writesPerHour)
        #expect(bad.tenantWritesPerHour == 3)
    }

    final class Clock: Sendable {
        let now = Mutex<Int64>(1_800_000_000_000)
        var read: @Sendable () -> Int64 { { self.now.withLock { $0 } } }
        func advance(seconds: Int64) { now.withLock { $0 += seconds * 1000 } }
    }

    static func tenant(id: Int64 = 1, _ limits: UsageLimits) -> Tenant {
        Tenant(id: id, slug: "acme", name: "Acme", status: .active, settingsJSON: limits.merged(into: "{}"), createdAt: 0)
    }

    @Test func theMeterRefusesOverEitherRateAndARefusalChargesNothing() {
        let clock = Clock()
        let meter = UsageMeter(clock: clock.read)
        let acme = Self.tenant(UsageLimits(callsPerMinute: 2, tenantCallsPerMinute: 3, writesPerHour: 0, tenantWritesPerHour: 0))
        let one = UsageSubject.credential(tenantID: 1, userID: 7, tokenID: 11, clientID: nil)
        let two = UsageSubject.credential(tenantID: 1, userID: 7, tokenID: nil, clientID: "app")
        #expect(meter.admitCall(tenant: acme, credential: one).refusal == nil)
        #expect(meter.admitCall(tenant: acme, credential: one).refusal == nil)
        let third = meter.admitCall(tenant: acme, credential: one)
        #expect(third.refusal?.scope == .token)
        #expect(third.refusal?.kind == .requests)
        #expect(third.refusal?.retryAfterSeconds == 30)
        // The refusal did not use the tenant's third call: the app still gets it, then the tenant is full.
        #expect(meter.admitCall(tenant: acme, credential: two).refusal == nil)
        #expect(meter.admitCall(tenant: acme, credential: two).refusal?.scope == .tenant)
        clock.advance(seconds: 20)
        #expect(meter.admitCall(tenant: acme, credential: two).refusal == nil, "a step of the tenant's rate later")
        // A limit of 0 is no limit.
        let open = Self.tenant(id: 2, UsageLimits(callsPerMinute: 0, tenantCallsPerMinute: 0, writesPerHour: 0, tenantWritesPerHour: 0))
        for _ in 0..<1_000 { #expect(meter.admitCall(tenant: open, credential: .credential(tenantID: 2, userID: 1, tokenID: 1, clientID: nil)).refusal == nil) }
    }

    @Test func theWriteQuotaRefusesUntilTheNextHour() throws {
        let clock = Clock()
        let meter = UsageMeter(clock: clock.read)
        let acme = Self.tenant(UsageLimits(callsPerMinute: 0, tenantCallsPerMinute: 0, writesPerHour: 2, tenantWritesPerHour: 3))
        let one = UsageSubject.credential(tenantID: 1, userID: 7, tokenID: 11, clientID: nil)
        let other = UsageSubject.credential(tenantID: 1, userID: 8, tokenID: 12, clientID: nil)
        meter.noteWrite(tenant: acme, credential: one)
        #expect(meter.writeRefusal(tenant: acme, credential: one) == nil)
        meter.noteWrite(tenant: acme, credential: one)
        let refusal = try #require(meter.writeRefusal(tenant: acme, credential: one))
        #expect(refusal.scope == .token && refusal.kind == .writes && refusal.limit == 2)
        #expect(refusal.retryAfterSeconds == HourlyQuota.secondsToNextHour(now: clock.read()))
        #expect(meter.writesLeft(tenant: acme, credential: one) == (0, 1))
        meter.noteWrite(tenant: acme, credential: other)
        #expect(meter.writeRefusal(tenant: acme, credential: other)?.scope == .tenant, "the tenant's 3 are used")
        clock.advance(seconds: Int64(refusal.retryAfterSeconds))
        #expect(meter.writeRefusal(tenant: acme, credential: one) == nil)
    }

    /// Two processes (two meters) on one database: each learns the other's calls and writes at
    /// its sync, so together they stay within the limits; the totals feed the pages.
    @Test func twoProcessesShareTheirCountsThroughTheDatabase() throws {
        let directory = NSTemporaryDirectory() + "deskgate-usage-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let database = try Database.open(path: directory + "/db.sqlite")
        defer { database.close() }
        try Self.shareCounts(Storage(database), slug: "acme")
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment["DESKGATE_TEST_DATABASE_URL"] != nil))
    func twoProcessesShareTheirCountsOnPostgres() throws {
        let database = try Database.open(path: ProcessInfo.processInfo.environment["DESKGATE_TEST_DATABASE_URL"]!)
        defer { database.close() }
        try Self.shareCounts(Storage(database), slug: "usage-" + UUID().uuidString.prefix(8).lowercased())
    }

    /// A sync writes its rows in the order of `mcp_usage`'s key, whatever order the calls came
    /// in: two processes syncing at once then never wait for each other's rows in a circle.
    @Test func aSyncWritesItsRowsInTheOrderOfTheirKey() {
        let meter = UsageMeter(clock: Clock().read)
        var expected: [(Int64, String)] = []
        for tenantID in [Int64(7), 3, 12, 5] {
            let tenant = Tenant(id: tenantID, slug: "t\(tenantID)", name: "T", status: .active, settingsJSON: "{}", createdAt: 0)
            expected.append((tenantID, "tenant"))
            for tokenID in [Int64(9), 2, 40, 11, 1] {
                let credential = UsageSubject.credential(tenantID: tenantID, userID: 1, tokenID: tokenID, clientID: nil)
                #expect(meter.admitCall(tenant: tenant, credential: credential).refusal == nil)
                expected.append((tenantID, credential.text))
            }
        }
        let written = meter.drain().map { ($0.subject.tenantID, $0.subject.text) }
        #expect(written.map(\.0) == expected.sorted { $0 < $1 }.map(\.0))
        #expect(written.map(\.1) == expected.sorted { $0 < $1 }.map(\.1))
    }

    static func shareCounts(_ storage: Storage, slug: String) throws {
        let (tenantRow, userID) = try storage.database.write { tx in
            let scope = try TenantDirectory().create(slug: slug, name: "Usage", in: tx).scope
            let user = try scope.users.create(NewUser(email: "u@usage.test", name: "U", role: .agent), in: tx)
            return (scope.tenantID, user.id)
        }
        let limits = UsageLimits(callsPerMinute: 5, tenantCallsPerMinute: 100, writesPerHour: 3, tenantWritesPerHour: 100)
        let tenant = Tenant(id: tenantRow, slug: slug, name: "Usage", status: .active, settingsJSON: limits.merged(into: "{}"), createdAt: 0)
        let token = UsageSubject.credential(tenantID: tenantRow, userID: userID, tokenID: 41, clientID: nil)
        let clock = Clock()
        let a = UsageMeter(clock: clock.read), b = UsageMeter(clock: clock.read)
        for _ in 0..<3 { #expect(a.admitCall(tenant: tenant, credential: token).refusal == nil) }
        a.noteWrite(tenant: tenant, credential: token)
        a.noteWrite(tenant: tenant, credential: token)
        #expect(try a.sync(storage: storage) == 2, "the token and the tenant")
        #expect(b.admitCall(tenant: tenant, credential: token).refusal == nil)
        try b.sync(storage: storage)
        // B now knows A's 3 calls and 2 writes: 5 - 3 - 1 = 1 call and 3 - 2 = 1 write are left.
        #expect(b.admitCall(tenant: tenant, credential: token).refusal == nil)
        #expect(b.admitCall(tenant: tenant, credential: token).refusal?.scope == .token)
        #expect(b.writeRefusal(tenant: tenant, credential: token) == nil)
        b.noteWrite(tenant: tenant, credential: token)
        #expect(b.writeRefusal(tenant: tenant, credential: token)?.kind == .writes)
        try b.sync(storage: storage)
        try a.sync(storage: storage)
        #expect(a.writeRefusal(tenant: tenant, credential: token)?.kind == .writes, "A learned B's write")

        let summary = try storage.withReader { try UsageService(storage: storage).summary(tenant: tenant, now: clock.read(), on: $0) }
        // Refused: B's call over the rate and B's write over the quota (A's refusal is not synced yet).
        #expect(summary.token(41) == UsageCount(calls: 5, writes: 3, refused: 2))
        #expect(summary.agent(userID) == summary.token(41))
        #expect(summary.tenant == UsageCount(calls: 5, writes: 3, refused: 2))
        let none = try storage.withReader { try UsageService(storage: storage).summary(tenant: tenant, userID: userID + 1, now: clock.read(), on: $0) }
        #expect(none.tokens.isEmpty, "narrowed to another user")
    }
}
