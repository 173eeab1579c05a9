import DeskgateStore
public import DeskgateIdentity
public import DeskgateModel
import DeskgateSystem

/// Calls, writes and refusals over a period, as the pages show them.
public struct UsageCount: Sendable, Equatable {
    public var calls = 0
    public var writes = 0
    /// Requests and writes refused over a limit.
    public var refused = 0

    public init(calls: Int = 0, writes: Int = 0, refused: Int = 0) {
        self.calls = calls
        self.writes = writes
        self.refused = refused
    }

    static func + (a: UsageCount, b: UsageCount) -> UsageCount {
        UsageCount(calls: a.calls + b.calls, writes: a.writes + b.writes, refused: a.refused + b.refused)
    }

    /// "1,204 calls, 17 changes" (and "3 refused over a limit" when any were).
    public var text: String {
        func n(_ count: Int, _ one: String, _ many: String) -> String { "\(UsageLimits.grouped(count)) \(count == 1 ? one : many)" }
        var text = n(calls, "call", "calls") + ", " + n(writes, "change", "changes")
        if refused > 0 { text += ", \(UsageLimits.grouped(refused)) refused over a limit" }
        return text
    }
}

/// A tenant's MCP use since some hour, by token, app grant, agent and in all (`mcp_usage`).
public struct UsageSummary: Sendable, Equatable {
    public var tokens: [Int64: UsageCount] = [:]
    /// By user id, then client id.
    public var apps: [Int64: [String: UsageCount]] = [:]
    /// By user: every credential of theirs together.
    public var agents: [Int64: UsageCount] = [:]
    public var tenant = UsageCount()

    public init() {}

    public func token(_ id: Int64) -> UsageCount { tokens[id] ?? UsageCount() }
    public func app(userID: Int64, clientID: String) -> UsageCount { apps[userID]?[clientID] ?? UsageCount() }
    public func agent(_ id: Int64) -> UsageCount { agents[id] ?? UsageCount() }

    init(_ totals: [UsageRepository.Row]) {
        for total in totals {
            let count = UsageCount(calls: total.calls, writes: total.writes, refused: total.refused)
            if total.subject == "tenant" { tenant = count; continue }
            guard let user = total.userID else { continue }
            agents[user] = agent(user) + count
            if let token = total.tokenID { tokens[token] = count } else if let client = total.clientID {
                apps[user, default: [:]][client] = count
            }
        }
    }
}

/// Reads the usage the servers' meters synced (at most a second behind).
public struct UsageService: Sendable {
    let storage: Storage

    public init(storage: Storage) { self.storage = storage }

    /// The pages' period: the last 30 days, by whole hours.
    public static let days = 30

    /// The tenant's use in the last `days` days; `userID` narrows it to one agent's credentials.
    public func summary(tenant: Tenant, userID: Int64? = nil, days: Int = UsageService.days,
                        now: Int64? = nil, on reader: ReadHandle) throws -> UsageSummary {
        let since = HourlyQuota.hour(of: now ?? WallClock.milliseconds()) - Int64(days * 24) + 1
        return UsageSummary(try UsageRepository().totals(tenantID: tenant.id, sinceHour: since, userID: userID,
                                                         on: reader.connection))
    }
}
