import Testing
@testable import DeskgateIdentity

@Suite struct ScopesTests {
    @Test(arguments: [
        // space-separated OAuth `scope` value → the known scopes
        ("", Scopes()),
        ("   ", Scopes()),
        ("tickets:read", Scopes.ticketsRead),
        ("tickets:write", .ticketsWrite),
        ("directory:read", .directoryRead),
        ("directory:read tickets:read", [.ticketsRead, .directoryRead]),
        ("  tickets:read   tickets:write  ", [.ticketsRead, .ticketsWrite]),
        ("tickets:read tickets:read", .ticketsRead),
        ("openid tickets:read offline_access", .ticketsRead),
        ("openid offline_access", Scopes()),
        ("Tickets:Read tickets", Scopes()),
        ("tickets:read,tickets:write", Scopes()),
        ("directory:read tickets:write tickets:read", Scopes.all),
    ] as [(String, Scopes)])
    func parsesKnownNames(text: String, expected: Scopes) {
        #expect(Scopes(known: text) == expected)
    }

    @Test(arguments: [
        (Scopes(), ""),
        (Scopes.ticketsRead, "tickets:read"),
        (.ticketsWrite, "tickets:write"),
        (.directoryRead, "directory:read"),
        ([.directoryRead, .ticketsRead], "tickets:read directory:read"),
        ([.directoryRead, .ticketsWrite], "tickets:write directory:read"),
        (.all, "tickets:read tickets:write directory:read"),
    ] as [(Scopes, String)])
    func canonicalText(scopes: Scopes, expected: String) {
        #expect(scopes.text == expected)
        #expect(scopes.names == (expected.isEmpty ? [] : expected.split(separator: " ").map(String.init)))
        #expect(scopes.members.map(\.text) == scopes.names)
    }

    @Test func everyValueRoundTrips() {
        for raw in 0...Scopes.all.rawValue {
            let scopes = Scopes(rawValue: raw)
            #expect(Scopes(known: scopes.text) == scopes)
            #expect(Scopes(names: scopes.names) == scopes)
        }
    }

    /// Byte-identical to what `scopes_supported`, the `WWW-Authenticate` challenge and token
    /// responses have always said.
    @Test func allIsTheSupportedListInItsOrder() {
        #expect(Scopes.all.text == "tickets:read tickets:write directory:read")
        #expect(Scopes.all.names == ["tickets:read", "tickets:write", "directory:read"])
        #expect(Scopes.table.map(\.name) == Scopes.all.names)
        #expect(Scopes.table.allSatisfy { $0.scope.rawValue.nonzeroBitCount == 1 })
        #expect(Scopes.table.reduce(0) { $0 | $1.scope.rawValue } == Scopes.all.rawValue)
    }

    @Test(arguments: [("tickets:read", Scopes.ticketsRead), ("directory:read", .directoryRead), ("tickets", nil),
                      ("Tickets:Read", nil), ("", nil), ("tickets:read ", nil)] as [(String, Scopes?)])
    func oneName(name: String, expected: Scopes?) {
        #expect(Scopes(name: name) == expected)
    }
}
