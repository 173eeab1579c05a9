import Testing
@testable import DeskgateDesk
import DeskgateStore
import DeskgateModel

/// `get_ticket_activity`'s service: every change, oldest first, under the agent's name and the
/// door it came through (the token masked, the app by name); pages with a cursor bound to the
/// ticket; the same visibility as the ticket's messages.
@Suite struct TicketActivityTests {
    @Test func changesReadAsPeopleWouldSayThem() throws {
        let f = try HelpDeskFixture()
        let (token, _) = try f.database.write { tx in
            (try f.scope.personalAccessTokens.create(NewPersonalAccessToken(
                userID: f.sam.id, name: "laptop", tokenHash: [UInt8](repeating: 7, count: 32), masked: "dgpat_…ab12",
                scopes: ["tickets:read", "tickets:write"], expiresAt: 9_999_999_999_999, createdAt: 1), in: tx),
             try f.scope.oauthClients.create(NewOAuthClient(
                clientID: "claude-desktop-id", kind: .dcr, name: "Claude Desktop", redirectURIs: ["http://127.0.0.1:9/cb"],
                grantTypes: ["authorization_code"], tokenEndpointAuthMethod: "none", secretHash: nil,
                applicationType: .native, metadataJSON: "{}"), in: tx))
        }
        let viaToken = try f.actor(f.sam, tokenID: token.id)
        let viaApp = try f.actor(f.sam, clientID: "claude-desktop-id")
        _ = try f.service.addTags(.number(1), ["fuser-check"], actor: viaToken, dryRun: false)
        _ = try f.service.resolve(.number(1), note: "Replaced the fuser", actor: viaApp, dryRun: false)
        _ = try f.service.addTags(.number(1), ["dry"], actor: viaApp, dryRun: true)   // writes nothing

        let page = try f.read { try f.service.activity(.number(1), actor: viaToken, on: $0) }
        #expect(page.ticketNumber == 1)
        #expect(page.entries.map(\.action) == ["ticket.add_tags", "ticket.resolve"], "the fixture's ticket #1 starts with no history")
        #expect(page.entries.allSatisfy { $0.actor?.name == "Sam Support" && $0.via == .mcp })
        #expect(page.entries[0].token == "dgpat_…ab12" && page.entries[0].app == nil)
        #expect(page.entries[1].app == "Claude Desktop" && page.entries[1].token == nil)
        #expect(page.entries[1].before["status"] == "open" && page.entries[1].after["status"] == "resolved")
        #expect(page.nextCursor == nil)

        // One at a time: the cursor continues exactly where the page ended, on this ticket only.
        let first = try f.read { try f.service.activity(.number(1), limit: 1, actor: viaToken, on: $0) }
        let cursor = try #require(first.nextCursor)
        let second = try f.read { try f.service.activity(.number(1), cursor: cursor, limit: 1, actor: viaToken, on: $0) }
        #expect(first.entries.map(\.action) + second.entries.map(\.action) == ["ticket.add_tags", "ticket.resolve"])
        #expect(second.nextCursor == nil)
        #expect(deskErrorField { _ = try f.read { try f.service.activity(.number(2), cursor: cursor, actor: viaToken, on: $0) } } == "cursor")
        #expect(deskErrorField { _ = try f.read { try f.service.activity(.number(1), limit: 0, actor: viaToken, on: $0) } } == "limit")
    }

    /// A ticket the agent cannot see has no history for them, and another tenant's never does.
    @Test func theTicketsVisibilityApplies() throws {
        let f = try HelpDeskFixture()
        let sam = try f.actor(f.sam)
        _ = try f.service.addTags(.number(3), ["ledger-check"], actor: try f.actor(f.admin), dryRun: false)
        #expect(throws: DeskError.self) { _ = try f.read { try f.service.activity(.number(3), actor: sam, on: $0) } }
        let admin = try f.actor(f.admin)
        #expect(try f.read { try f.service.activity(.number(3), actor: admin, on: $0) }.entries.last?.after["tags"]?.contains("ledger-check") == true)
    }

    private func deskErrorField(_ body: () throws -> Void) -> String? {
        do { try body() } catch DeskError.invalid(let field, _) { return field } catch {}
        return nil
    }
}
