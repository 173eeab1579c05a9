import DeskgateJSON

/// A tenant's limits on MCP use (issue 19, docs/limits.md), kept under `limits` in
/// `tenants.settings_json`: `{"limits": {"calls_per_minute": 1200, "tenant_calls_per_minute": 6000,
/// "writes_per_hour": 500, "tenant_writes_per_hour": 5000}}`. Each credential (a personal access
/// token, or one person's grant to an app) has its own request rate and write quota; the tenant's
/// pair caps all of them together. 0 turns a limit off. Unknown or malformed values read as the
/// defaults, so a bad edit can never leave a tenant unlimited by accident.
public struct UsageLimits: Sendable, Equatable {
    /// Requests per minute for one credential (burst: the whole minute's worth at once).
    public var callsPerMinute: Int
    /// Requests per minute for the whole tenant.
    public var tenantCallsPerMinute: Int
    /// Successful write tool calls per clock hour (UTC) for one credential.
    public var writesPerHour: Int
    /// Successful write tool calls per clock hour for the whole tenant.
    public var tenantWritesPerHour: Int

    /// Generous for a person's assistant (20 calls a second for a minute, a write every 7 s for an
    /// hour), tight enough that a runaway loop is stopped within minutes.
    public static let defaults = UsageLimits(callsPerMinute: 1200, tenantCallsPerMinute: 6000,
                                             writesPerHour: 500, tenantWritesPerHour: 5000)
    /// The most any limit may be set to (a larger number is a typo, not a policy).
    public static let maximum = 100_000_000

    public init(callsPerMinute: Int, tenantCallsPerMinute: Int, writesPerHour: Int, tenantWritesPerHour: Int) {
        self.callsPerMinute = callsPerMinute
        self.tenantCallsPerMinute = tenantCallsPerMinute
        self.writesPerHour = writesPerHour
        self.tenantWritesPerHour = tenantWritesPerHour
    }

    public static let keys = ["calls_per_minute", "tenant_calls_per_minute", "writes_per_hour", "tenant_writes_per_hour"]

    public init(settingsJSON: String) {
        self = .defaults
        guard settingsJSON != "{}", let limits = (try? JSONParser.parse(settingsJSON))?["limits"] else { return }
        func read(_ key: String, _ fallback: Int) -> Int {
            guard let value = limits[key]?.intValue, (0...Self.maximum).contains(value) else { return fallback }
            return value
        }
        callsPerMinute = read("calls_per_minute", callsPerMinute)
        tenantCallsPerMinute = read("tenant_calls_per_minute", tenantCallsPerMinute)
        writesPerHour = read("writes_per_hour", writesPerHour)
        tenantWritesPerHour = read("tenant_writes_per_hour", tenantWritesPerHour)
    }

    /// `settingsJSON` with the `limits` member replaced by these limits (other members kept).
    public func merged(into settingsJSON: String) -> String {
        var root = (try? JSONParser.parse(settingsJSON))?.objectValue ?? JSONObject()
        root["limits"] = .object(JSONObject(zip(Self.keys, values).map { ($0, .number(JSONNumber($1))) }))
        return JSONValue.object(root).text
    }

    /// In the order of `keys`.
    public var values: [Int] { [callsPerMinute, tenantCallsPerMinute, writesPerHour, tenantWritesPerHour] }

    /// A limit as people read it: "1,200 a minute", or "no limit".
    public static func describe(_ value: Int, per unit: String) -> String {
        value == 0 ? "no limit" : "\(grouped(value)) \(unit)"
    }

    public static func grouped(_ value: Int) -> String {
        var digits = String(value), out = ""
        while digits.count > 3 { out = "," + digits.suffix(3) + out; digits.removeLast(3) }
        return digits + out
    }
}
