import DeskgateDesk
import DeskgateHTTP
@testable import DeskgateMCP
import Testing

/// The RateLimit fields (IETF httpapi draft 10) as values: when an admitted answer carries them,
/// and their exact text.
struct RateLimitFieldsTests {
    static let limits = UsageLimits(callsPerMinute: 1200, tenantCallsPerMinute: 6000, writesPerHour: 500, tenantWritesPerHour: 5000)

    static func decision(_ remaining: Int, reset: Int = 3) -> RateWindow.Decision {
        RateWindow.Decision(allowed: true, remaining: remaining, resetSeconds: reset, retryAfterSeconds: 0)
    }

    @Test(arguments: [
        // (token remaining, tenant remaining, shown)
        (1199, 5999, false), (121, 5999, false), (120, 5999, true), (0, 5999, true),
        (1199, 601, false), (1199, 600, true),
    ])
    func fieldsAppearOnlyWhenAWindowIsNearlyUsedUp(token: Int, tenant: Int, shown: Bool) {
        var headers = HTTPHeaders()
        RateLimitFields.add(UsageMeter.Admission(limits: Self.limits, credential: Self.decision(token),
                                                 tenant: Self.decision(tenant), refusal: nil), to: &headers)
        #expect((headers["ratelimit"] != nil) == shown)
        #expect((headers["ratelimit-policy"] != nil) == shown)
    }

    @Test func theFieldsNameBothPoliciesInTheDraftsSyntax() {
        var headers = HTTPHeaders()
        RateLimitFields.add(UsageMeter.Admission(limits: Self.limits, credential: Self.decision(87, reset: 56),
                                                 tenant: Self.decision(5990, reset: 2), refusal: nil), to: &headers)
        #expect(headers["ratelimit-policy"] == "\"token\";q=1200;w=60, \"tenant\";q=6000;w=60")
        #expect(headers["ratelimit"] == "\"token\";r=87;t=56, \"tenant\";r=5990;t=2")
    }

    @Test func aLimitThatIsOffIsNotNamedAndSmallQuotasAlwaysShow() {
        let small = UsageLimits(callsPerMinute: 0, tenantCallsPerMinute: 6, writesPerHour: 0, tenantWritesPerHour: 0)
        var headers = HTTPHeaders()
        RateLimitFields.add(UsageMeter.Admission(limits: small, credential: nil, tenant: Self.decision(5, reset: 10),
                                                 refusal: nil), to: &headers)
        #expect(headers["ratelimit-policy"] == "\"tenant\";q=6;w=60")
        #expect(headers["ratelimit"] == "\"tenant\";r=5;t=10")
    }
}
