import Foundation
import Testing
@testable import DeskgateAuth
import DeskgateDesk
import DeskgateModel
import DeskgateIdentity

struct ProfileFormTests {
    static func form(_ pairs: [(String, String)]) -> FormFields { FormFields(pairs.map { (name: $0.0, value: $0.1) }) }

    @Test func checkedScopesNameAndDaysBecomeTheServiceArguments() {
        let parsed = ProfileEndpoint.parse(Self.form([("name", "  Laptop "), ("scope", "tickets:read"),
                                                       ("scope", "directory:read"), ("expires_in_days", "90")]))
        guard case .valid(let name, let scopes, let days, let approval) = parsed else {
            Issue.record("refused: \(parsed)")
            return
        }
        #expect(name == "Laptop" && scopes == [.ticketsRead, .directoryRead] && days == 90 && approval == nil)
    }

    @Test func theTokensApprovalChoiceOnlyTightens() {
        let base = [("scope", "tickets:write"), ("expires_in_days", "30")]
        for (sent, expected) in [("", nil), ("writes", ApprovalPolicy.writes), ("destructive", .destructive)] as [(String, ApprovalPolicy?)] {
            guard case .valid(_, _, _, let approval) = ProfileEndpoint.parse(Self.form(base + [("approval", sent)])) else {
                Issue.record("refused \(sent)")
                continue
            }
            #expect(approval == expected)
        }
        // "none" would read as loosening, and anything else is not an option of the form.
        for sent in ["none", "everything"] {
            guard case .invalid(let state) = ProfileEndpoint.parse(Self.form(base + [("approval", sent)])) else {
                Issue.record("accepted \(sent)")
                continue
            }
            #expect(state.errors.order == ["approval"] && state.approval == sent)
        }
    }

    @Test func eachBadFieldGetsItsOwnMessageAndKeepsWhatWasSent() {
        // On 2028-03-01 the next two years hold no 29 February: 730 days at most.
        let parsed = ProfileEndpoint.parse(Self.form([("name", String(repeating: "x", count: 101)),
                                                       ("expires_in_days", "731")]), now: 1_835_481_600_000)
        guard case .invalid(let state) = parsed else {
            Issue.record("accepted")
            return
        }
        #expect(state.errors.order == ["name", "scope", "expires_in_days"])
        #expect(state.errors["scope"] == "Choose at least one scope.")
        #expect(state.errors["expires_in_days"]?.contains("730") == true)
        #expect(state.days == "731" && state.scopes.isEmpty && state.name.count == 101)
    }

    @Test func anUnknownScopeOrANonNumberIsRefused() {
        guard case .invalid(let state) = ProfileEndpoint.parse(Self.form([("scope", "admin:all"), ("scope", "tickets:read"),
                                                                          ("expires_in_days", "two years")])) else {
            Issue.record("accepted")
            return
        }
        #expect(state.errors["scope"] != nil && state.errors["expires_in_days"] != nil && state.errors["name"] == nil)
        guard case .invalid(let empty) = ProfileEndpoint.parse(Self.form([("scope", "tickets:read")])) else {
            Issue.record("accepted without days")
            return
        }
        #expect(empty.errors.order == ["expires_in_days"])
    }

    @Test func expiringSoonCountsWholeDaysRoundedUp() {
        let day = PageDates.millisecondsPerDay
        #expect(PageDates.daysUntil(1_000 + 3 * 3_600_000, now: 1_000) == 1)
        #expect(PageDates.daysUntil(1_000 + 29 * day, now: 1_000) == 29)
        #expect(PageDates.daysUntil(1_000 + 29 * day + 1, now: 1_000) == 30)
        #expect(PageDates.daysUntil(0, now: 1_000) == 0)
        #expect(PageDates.day(1_796_083_200_000) == "<time datetime=\"2026-12-01T00:00:00.000Z\">2026-12-01</time>")
        #expect(PageDates.moment(nil) == "never")
    }
}

struct ConnectionSnippetsTests {
    @Test func everySnippetIsJSONNamingTheServerURLAndNoToken() throws {
        for url in ["http://127.0.0.1:8002/t/acme/mcp", "https://mcp.example.com/t/acme/mcp", "http://desk.lan:8002/t/acme/mcp"] {
            let snippets = ConnectionSnippets(mcpURL: url)
            for snippet in snippets.all {
                let parsed = try JSONSerialization.jsonObject(with: Data(snippet.text.utf8))
                #expect(parsed is [String: Any], "\(snippet.tool) is a JSON object")
                #expect(snippet.text.contains("\"\(url)\""), "\(snippet.tool) names \(url)")
                #expect(!snippet.text.contains("dgpat_"), "no token in \(snippet.tool)")
            }
            // mcp-remote needs --allow-http for plain http beyond loopback, and only then.
            #expect(snippets.claudeDesktop.text.contains("--allow-http") == (url == "http://desk.lan:8002/t/acme/mcp"))
        }
    }
}
