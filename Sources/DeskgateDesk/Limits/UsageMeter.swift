public import DeskgateModel
import DeskgateSystem
import Synchronization

/// One process's counts of MCP use, and the limits they are held to (issue 19).
///
/// Admitting a call is a lock and two dictionary lookups; nothing is written per request. Every
/// second the server drains what it counted into `mcp_usage` (one row per subject and clock
/// hour, added to by every process) and learns from the totals what the other processes counted,
/// which it charges here as if served locally. So limits hold across a deployment, overshooting
/// by at most what the other processes admit within two sync intervals (docs/limits.md).
public final class UsageMeter: Sendable {
    let state = Mutex(State())
    let clock: @Sendable () -> Int64
    let limitsOf: @Sendable (Tenant) -> UsageLimits

    /// `clock`: milliseconds since the epoch (the wall clock when nil; tests pass their own).
    /// `limits`: a tenant's limits; a server passes the per-tenant cache of parsed settings it
    /// already keeps (one parse per settings change), and when nil they are parsed on each call.
    public init(clock: (@Sendable () -> Int64)? = nil, limits: (@Sendable (Tenant) -> UsageLimits)? = nil) {
        self.clock = clock ?? { WallClock.milliseconds() }
        self.limitsOf = limits ?? { UsageLimits(settingsJSON: $0.settingsJSON) }
    }

    struct Entry {
        var rate = RateWindow()
        var writes = HourlyQuota()
        var pendingCalls = 0, pendingWrites = 0, pendingRefused = 0
        /// This process's calls and writes already added to `mcp_usage` in `syncedHour`, and the
        /// other processes' calls as last learned: the difference at the next sync is theirs.
        var syncedHour: Int64 = 0
        var syncedCalls = 0, syncedWrites = 0, othersCalls = 0
        var lastActive: Int64 = 0
        /// The request rate this subject was last admitted against (0: off), by which the sync
        /// charges the other processes' calls.
        var callLimit = 0
    }

    struct State {
        var entries: [UsageSubject: Entry] = [:]
    }

    static let minute: Int64 = 60 * RateWindow.second

    /// What a call was told: both windows' decisions (for the RateLimit fields), or the refusal.
    public struct Admission: Sendable {
        public let limits: UsageLimits
        public let credential: RateWindow.Decision?
        public let tenant: RateWindow.Decision?
        public let refusal: LimitRefusal?

        public init(limits: UsageLimits, credential: RateWindow.Decision?, tenant: RateWindow.Decision?, refusal: LimitRefusal?) {
            self.limits = limits
            self.credential = credential
            self.tenant = tenant
            self.refusal = refusal
        }
    }

    /// Admits one request of `credential` (nil: a request without a token, counted for the tenant
    /// only) or refuses it, charging nothing when refused. Each entry is changed in place, in as
    /// few hash lookups as the order of the checks allows (three): this runs on every request.
    public func admitCall(tenant: Tenant, credential: UsageSubject?) -> Admission {
        let now = clock()
        let nanos = now &* 1_000_000
        let limits = limitsOf(tenant)
        return state.withLock { state in
            var credentialDecision: RateWindow.Decision?
            var credentialWindow = RateWindow()
            if let credential {
                credentialDecision = Self.modify(&state.entries, credential) { entry in
                    entry.lastActive = now
                    entry.callLimit = limits.callsPerMinute
                    guard limits.callsPerMinute > 0 else { return nil }
                    credentialWindow = entry.rate
                    let decision = entry.rate.admit(now: nanos, limit: limits.callsPerMinute, window: Self.minute)
                    if !decision.allowed { entry.pendingRefused += 1 }
                    return decision
                }
            }
            var refusal = credentialDecision.flatMap { decision in
                decision.allowed ? nil : LimitRefusal(kind: .requests, scope: .token, limit: limits.callsPerMinute,
                                                      windowSeconds: 60, retryAfterSeconds: decision.retryAfterSeconds)
            }
            let tenantDecision: RateWindow.Decision? = Self.modify(&state.entries, .tenant(tenant.id)) { entry in
                entry.lastActive = now
                entry.callLimit = limits.tenantCallsPerMinute
                guard refusal == nil else { entry.pendingRefused += 1; return nil }
                guard limits.tenantCallsPerMinute > 0 else { entry.pendingCalls += 1; return nil }
                let decision = entry.rate.admit(now: nanos, limit: limits.tenantCallsPerMinute, window: Self.minute)
                if decision.allowed { entry.pendingCalls += 1 } else { entry.pendingRefused += 1 }
                return decision
            }
            if let tenantDecision, !tenantDecision.allowed {
                refusal = LimitRefusal(kind: .requests, scope: .tenant, limit: limits.tenantCallsPerMinute, windowSeconds: 60,
                                       retryAfterSeconds: tenantDecision.retryAfterSeconds)
            }
            if let credential, refusal?.scope != .token {
                Self.modify(&state.entries, credential) { entry in
                    if refusal == nil {
                        entry.pendingCalls += 1
                    } else {
                        // Refused for the tenant: the token's window goes back as it was.
                        if limits.callsPerMinute > 0 { entry.rate = credentialWindow }
                        entry.pendingRefused += 1
                    }
                }
            }
            return Admission(limits: limits, credential: credentialDecision, tenant: tenantDecision, refusal: refusal)
        }
    }

    /// The entry of `key` changed in place (one lookup), created when missing.
    @discardableResult
    private static func modify<R>(_ entries: inout [UsageSubject: Entry], _ key: UsageSubject,
                                  _ body: (inout Entry) -> R) -> R {
        body(&entries[key, default: Entry()])
    }

    /// Whether one more write may run now; nil when it may. A refusal is counted as refused (for
    /// the credential and the tenant), like a refused request.
    public func writeRefusal(tenant: Tenant, credential: UsageSubject) -> LimitRefusal? {
        let now = clock()
        let limits = limitsOf(tenant)
        return state.withLock { state in
            var refusal: LimitRefusal?
            if limits.writesPerHour > 0, let entry = state.entries[credential],
               entry.writes.remaining(quota: limits.writesPerHour, now: now) == 0 {
                refusal = LimitRefusal(kind: .writes, scope: .token, limit: limits.writesPerHour, windowSeconds: 3600,
                                       retryAfterSeconds: HourlyQuota.secondsToNextHour(now: now))
            } else if limits.tenantWritesPerHour > 0, let entry = state.entries[.tenant(tenant.id)],
                      entry.writes.remaining(quota: limits.tenantWritesPerHour, now: now) == 0 {
                refusal = LimitRefusal(kind: .writes, scope: .tenant, limit: limits.tenantWritesPerHour, windowSeconds: 3600,
                                       retryAfterSeconds: HourlyQuota.secondsToNextHour(now: now))
            }
            if refusal != nil {
                for key in [credential, .tenant(tenant.id)] {
                    var entry = state.entries[key] ?? Entry()
                    entry.pendingRefused += 1
                    entry.lastActive = now
                    state.entries[key] = entry
                }
            }
            return refusal
        }
    }

    /// Counts a write that was made (not a dry run, not a replay).
    public func noteWrite(tenant: Tenant, credential: UsageSubject) {
        let now = clock()
        state.withLock { state in
            for key in [credential, .tenant(tenant.id)] {
                var entry = state.entries[key] ?? Entry()
                entry.writes.count(now: now)
                entry.pendingWrites += 1
                entry.lastActive = now
                state.entries[key] = entry
            }
        }
    }

    /// Writes left this hour for the credential and the tenant (as far as this process knows).
    public func writesLeft(tenant: Tenant, credential: UsageSubject) -> (token: Int?, tenant: Int?) {
        let now = clock()
        let limits = limitsOf(tenant)
        return state.withLock { state in
            let token = limits.writesPerHour == 0 ? nil
                : (state.entries[credential]?.writes ?? HourlyQuota()).remaining(quota: limits.writesPerHour, now: now)
            let whole = limits.tenantWritesPerHour == 0 ? nil
                : (state.entries[.tenant(tenant.id)]?.writes ?? HourlyQuota()).remaining(quota: limits.tenantWritesPerHour, now: now)
            return (token, whole)
        }
    }
}
