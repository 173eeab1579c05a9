public import DeskgateSQL
import DeskgateStore
public import DeskgateModel

/// What the gate says about a tenant named in a URL. Every edge maps these three cases to its
/// own protocol's answer (OAuth JSON, an HTML page, an MCP refusal), each written once there.
public enum TenantDecision: Sendable, Equatable {
    case open(Tenant)
    case unknown
    /// Known, but its sign-in, token issuance and MCP calls are refused until it is resumed.
    case suspended(Tenant)

    /// The tenant behind the decision, whatever its status (nil when unknown).
    public var tenant: Tenant? {
        switch self {
        case .open(let tenant), .suspended(let tenant): tenant
        case .unknown: nil
        }
    }
}

/// The one door to a tenant named by slug: the lookup and the suspension rule together, so no
/// endpoint can look a tenant up and forget to ask whether it is suspended.
///
/// It holds no cache: the auth server reads the tenant once per request (a 2 µs point read). The
/// MCP hot path does not call `decide` for a token that verifies: the token verifiers apply the
/// rule when they resolve a token (on a cache miss) and cache the principal, tenant included,
/// under the revocation counter a suspension bumps; the edge asks the gate only on a refusal.
public struct TenantGate: Sendable {
    public init() {}

    public func decide(_ slug: String, on db: any SQLConnection) throws -> TenantDecision {
        Self.decision(for: try TenantDirectory().bySlug(slug, on: db))
    }

    /// The rule alone, for a tenant row already in hand.
    public static func decision(for tenant: Tenant?) -> TenantDecision {
        guard let tenant else { return .unknown }
        switch tenant.status {
        case .active: return .open(tenant)
        case .suspended: return .suspended(tenant)
        }
    }
}
