import Testing
@testable import DeskgateIdentity
@testable import DeskgateMCP

/// The per-call check of `tools/call`: a bit test that answers as set inclusion would.
@Suite struct CallerScopeTests {
    @Test func holdsIsInclusion() throws {
        let fixture = try ProtocolCoreFixture()
        for raw in 0...Scopes.all.rawValue {
            let held = Scopes(rawValue: raw)
            let caller = Caller(tenant: fixture.tenant, user: fixture.readOnlyAgent.user, tokenID: nil, clientID: nil, scopes: held)
            for (needed, _) in Scopes.table {
                #expect(caller.holds(needed) == held.isSuperset(of: needed))
            }
        }
    }
}
