import DeskgateTesting
import Testing
@testable import DeskgateDesk
@testable import DeskgateIdentity
@testable import DeskgateStore
import DeskgateModel

/// Agent administration, the security log and "what did this token/app do", on `TokenFixture`
/// (acme: admin, dana, eli).
@Suite("Agent administration")
struct AgentAdministrationTests {
    final class Desk {
        let f: TokenFixture
        let scope: TenantScope
        let admin: User, dana: User, eli: User
        var admins: AgentAdministration { AgentAdministration(database: f.database, scope: scope, clock: f.clock.read) }
        var log: SecurityLog { SecurityLog(database: f.database, scope: scope) }

        init() throws {
            f = try TokenFixture()
            let scope = try TenantService(database: f.database).find("acme").scope
            self.scope = scope
            let users = try f.database.withReader { db in
                try ["admin", "dana", "eli"].map { try scope.users.byEmail("\($0)@acme.test", on: db)! }
            }
            (admin, dana, eli) = (users[0], users[1], users[2])
        }

        /// A live grant of `user` for a freshly registered client, as consent would leave it.
        func approveApp(for user: User, client: String = "app-1") throws -> OAuthGrant {
            let scope = self.scope
            return try f.database.write { tx in
                _ = try scope.oauthClients.create(NewOAuthClient(
                    clientID: client, kind: .dcr, name: "Claude", redirectURIs: ["http://127.0.0.1:9/cb"],
                    grantTypes: ["authorization_code"], tokenEndpointAuthMethod: "none", secretHash: nil,
                    applicationType: .native, metadataJSON: "{}"), in: tx)
                return try scope.oauthGrants.create(userID: user.id, clientID: client, scopes: ["tickets:read"],
                                                    resource: "http://mcp/t/acme/mcp", at: 1, in: tx)
            }
        }

        func session(for user: User) throws -> LoginSession {
            let scope = self.scope
            return try f.database.write { tx in
                try scope.loginSessions.create(userID: user.id, sessionHash: Array(repeating: UInt8(user.id), count: 32),
                                               csrf: "c", at: 1, expiresAt: Int64.max / 2, address: nil, userAgent: nil, in: tx)
            }
        }
    }

    @Test func overviewCountsLiveTokensAndApps() throws {
        let d = try Desk()
        _ = try d.f.service.create(tenant: "acme", userEmail: "dana@acme.test")
        let revoked = try d.f.service.create(tenant: "acme", userEmail: "dana@acme.test").record
        try d.f.service.revoke(tenant: "acme", id: revoked.id, by: .operator)
        _ = try d.approveApp(for: d.dana)
        let rows = Dictionary(uniqueKeysWithValues: try d.admins.overview().map { ($0.user.email, $0) })
        #expect(rows["dana@acme.test"]?.activeTokens == 1)
        #expect(rows["dana@acme.test"]?.authorizedApps == 1)
        #expect(rows["eli@acme.test"]?.activeTokens == 0)
        #expect(rows["admin@acme.test"]?.user.role == .admin)
    }

    @Test func deactivationRevokesEverythingInOneGoAndIsLogged() throws {
        let d = try Desk()
        let token = try d.f.service.create(tenant: "acme", userEmail: "dana@acme.test").record
        let grant = try d.approveApp(for: d.dana)
        let session = try d.session(for: d.dana)
        let eliToken = try d.f.service.create(tenant: "acme", userEmail: "eli@acme.test").record
        let counter = try d.f.database.withReader { try RevocationCounter().current(on: $0) }

        let result = try d.admins.deactivate(d.dana.id, by: .agent(userID: d.admin.id))
        #expect(result.revokedTokens == 1 && result.revokedApps == 1 && result.endedSessions == 1)
        #expect(!result.user.isActive)
        let db = try d.f.database.openReader()
        #expect(try d.scope.personalAccessTokens.byID(token.id, on: db)?.revokedAt != nil)
        #expect(try d.scope.personalAccessTokens.byID(token.id, on: db)?.revokedBy == d.admin.id)
        #expect(try d.scope.oauthGrants.byID(grant.id, on: db)?.revokedAt != nil)
        #expect(try d.scope.loginSessions.byHash(Array(repeating: UInt8(d.dana.id), count: 32), on: db)?.revokedAt != nil)
        #expect(session.revokedAt == nil)
        // Someone else's token is untouched.
        #expect(try d.scope.personalAccessTokens.byID(eliToken.id, on: db)?.revokedAt == nil)
        #expect(try RevocationCounter().current(on: db) > counter)
        let event = try #require(d.log.page(kinds: ["agent_deactivated"]).entries.first)
        #expect(event.actor?.email == "admin@acme.test")
        #expect(event.subject?.email == "dana@acme.test")
        #expect(event.detail["revoked_tokens"] == "1")
        // Twice is a conflict, and an admin cannot deactivate themselves.
        #expect(thrown(DeskError.self) { _ = try d.admins.deactivate(d.dana.id, by: .agent(userID: d.admin.id)) } == .conflict("dana@acme.test is already deactivated"))
        #expect(thrown(DeskError.self) { _ = try d.admins.deactivate(d.admin.id, by: .agent(userID: d.admin.id)) } == .conflict("you cannot deactivate your own account"))
    }

    @Test func onlyActiveAdminsAdminister() throws {
        let d = try Desk()
        #expect(thrown(DeskError.self) { _ = try d.admins.deactivate(d.eli.id, by: .agent(userID: d.dana.id)) }
                == .forbidden("only an active tenant admin can administer agents"))
        #expect(thrown(DeskError.self) { _ = try d.admins.changeRole(of: d.eli.id, to: .admin, by: .agent(userID: d.dana.id)) }
                == .forbidden("only an active tenant admin can administer agents"))
        #expect(try d.f.database.withReader { try d.scope.users.byID(d.eli.id, on: $0)?.role } == .agent)
    }

    @Test func roleChangesAreLoggedWithBothRoles() throws {
        let d = try Desk()
        let eli = try d.admins.changeRole(of: d.eli.id, to: .viewer, by: .agent(userID: d.admin.id))
        #expect(eli.role == .viewer)
        let event = try #require(d.log.page(kinds: ["role_changed"]).entries.first)
        #expect(event.detail == ["from": "agent", "to": "viewer"])
        #expect(event.actor?.id == d.admin.id)
        // Own role and the last admin are protected.
        #expect(thrown(DeskError.self) { _ = try d.admins.changeRole(of: d.admin.id, to: .agent, by: .agent(userID: d.admin.id)) }
                == .invalid(field: "role", reason: "you cannot change your own role; ask another admin"))
        _ = try d.admins.changeRole(of: d.dana.id, to: .admin, by: .agent(userID: d.admin.id))
        _ = try d.admins.changeRole(of: d.admin.id, to: .agent, by: .agent(userID: d.dana.id))
        #expect(thrown(DeskError.self) { _ = try d.admins.changeRole(of: d.dana.id, to: .agent, by: .agent(userID: d.dana.id)) } != nil)
    }

    @Test func tokenAndAppEventsCarryTheActor() throws {
        let d = try Desk()
        let token = try d.f.service.create(tenant: "acme", userEmail: "dana@acme.test", by: d.dana.id).record
        try d.f.service.revoke(tenant: "acme", id: token.id, by: .agent(userID: d.admin.id))
        let grant = try d.approveApp(for: d.dana)
        _ = try AuthorizedApps(database: d.f.database).revoke(tenant: "acme", grantID: grant.id, by: .agent(userID: d.admin.id))
        let entries = try d.log.page(agentID: d.dana.id).entries
        #expect(entries.map(\.kind) == ["app_revoked", "token_revoked", "token_created"])
        #expect(entries.map { $0.actor?.email } == ["admin@acme.test", "admin@acme.test", "dana@acme.test"])
        #expect(entries[1].detail["masked"] == token.masked)
        #expect(entries[1].detail["token_id"] == String(token.id))
    }

    @Test func securityLogFiltersAndPages() throws {
        let d = try Desk()
        for _ in 0..<5 { _ = try d.f.service.create(tenant: "acme", userEmail: "eli@acme.test") }
        _ = try d.f.service.create(tenant: "acme", userEmail: "dana@acme.test")
        _ = try d.admins.changeRole(of: d.dana.id, to: .viewer, by: .agent(userID: d.admin.id))

        #expect(try d.log.page(agentID: d.eli.id).entries.count == 5)
        #expect(try d.log.page(kinds: ["role_changed"]).entries.map { $0.subject?.email } == ["dana@acme.test"])
        #expect(try d.log.page(kinds: SecurityLog.adminKinds).entries.count == 1)
        // The admin is in the role change only (as its actor).
        #expect(try d.log.page(agentID: d.admin.id).entries.map(\.kind) == ["role_changed"])

        var seen: [Int64] = []
        var before: Int64?
        repeat {
            let page = try d.log.page(kinds: ["token_created"], before: before, limit: 2)
            #expect(page.entries.count <= 2)
            seen += page.entries.map(\.id)
            before = page.nextBefore
        } while before != nil
        #expect(seen.count == 6)
        #expect(seen == seen.sorted(by: >))
        #expect(thrown(DeskError.self) { _ = try d.log.page(kinds: ["nonsense"]) } == .invalid(field: "kind", reason: "'nonsense' is not a security event kind"))
    }

    @Test func mcpSettingsChangesAreLogged() throws {
        let d = try Desk()
        var settings = MCPSettings()
        settings.readOnly = true
        _ = try TenantService(database: d.f.database).setMCPSettings(settings, slug: "acme", by: .agent(userID: d.admin.id))
        // Saving the same settings again is not a change.
        _ = try TenantService(database: d.f.database).setMCPSettings(settings, slug: "acme", by: .agent(userID: d.admin.id))
        let events = try d.log.page(kinds: ["mcp_settings_changed"]).entries
        #expect(events.count == 1)
        #expect(events.first?.actor?.email == "admin@acme.test")
        #expect(events.first?.detail["read_only"] == "true")
        settings.dataLimit = MCPDataLimit(departmentIDs: [999])
        #expect(thrown(DeskError.self) { _ = try TenantService(database: d.f.database).setMCPSettings(settings, slug: "acme") }
                == .invalid(field: "limit_departments", reason: "names a department that does not exist"))
    }

    @Test func credentialActivityListsWhatATokenOrAppDid() throws {
        let d = try Desk()
        let token = try d.f.service.create(tenant: "acme", userEmail: "dana@acme.test", name: "laptop").record
        let grant = try d.approveApp(for: d.dana)
        let tickets = TicketService(database: d.f.database)
        let db = try d.f.database.openReader()
        func actor(token: Int64? = nil, client: String? = nil, via: DeskActor.Via = .mcp) throws -> DeskActor {
            try DeskActor.load(tenant: d.scope, userID: d.dana.id, via: via, tokenID: token, clientID: client, on: db)
        }
        let created = try tickets.createTicket(TicketDraft(subject: "Through the token", body: "x"), actor: try actor(token: token.id))
        _ = try tickets.addTags(.number(created.ticketNumber), ["vpn"], actor: try actor(token: token.id))
        _ = try tickets.addNote(.number(created.ticketNumber), body: "from the app", actor: try actor(client: grant.clientID))
        _ = try tickets.addNote(.number(created.ticketNumber), body: "from the web", actor: try actor(via: .web))

        let activity = CredentialActivity(database: d.f.database, scope: d.scope)
        let byToken = try activity.page(.token(id: token.id))
        #expect(byToken.entries.map(\.action) == ["ticket.add_tags", "ticket.create"])
        #expect(byToken.entries.allSatisfy { $0.ticketNumber == created.ticketNumber && $0.ticketSubject == "Through the token" })
        #expect(byToken.title == "laptop (\(token.masked))")
        #expect(byToken.owner.email == "dana@acme.test")
        let byApp = try activity.page(.app(grantID: grant.id))
        #expect(byApp.entries.map(\.action) == ["ticket.add_note"])
        #expect(byApp.title == "Claude")
        let first = try activity.page(.token(id: token.id), limit: 1)
        #expect(first.entries.count == 1 && first.nextBefore != nil)
        #expect(try activity.page(.token(id: token.id), before: first.nextBefore, limit: 1).entries.map(\.action) == ["ticket.create"])
        #expect(thrown(DeskError.self) { _ = try activity.page(.token(id: 9999)) } == .notFound("personal access token #9999"))
    }

    /// Every administrative change names who asks (`ActorRef`): an agent is re-checked in the
    /// transaction (an agent's stale admin page changes nothing), the operator is trusted.
    @Test func anAgentMustStillBeAnAdminWhenTheChangeCommits() throws {
        let d = try Desk()
        let forbidden = DeskError.forbidden("only an active tenant admin can administer agents")
        let draft = AgentDraft(email: "new@acme.test", name: "New", role: .agent)
        let directory = DirectoryService(database: d.f.database, scope: d.scope)
        #expect(thrown(DeskError.self) { _ = try directory.createAgent(draft, by: .agent(userID: d.dana.id)) } == forbidden)
        var settings = MCPSettings()
        settings.readOnly = true
        let tenants = TenantService(database: d.f.database)
        #expect(thrown(DeskError.self) { _ = try tenants.setMCPSettings(settings, slug: "acme", by: .agent(userID: d.dana.id)) }
                == forbidden)
        #expect(MCPSettings(settingsJSON: try tenants.find("acme").settingsJSON).readOnly == false)
        #expect(try directory.createAgent(draft, by: .agent(userID: d.admin.id)).user.email == "new@acme.test")
        #expect(try tenants.setMCPSettings(settings, slug: "acme", by: .operator).settingsJSON.contains("read_only"))
    }
}
