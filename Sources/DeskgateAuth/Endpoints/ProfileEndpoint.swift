import DeskgateDesk
import DeskgateIdentity
import DeskgateHTTP
import DeskgateModel
import DeskgateSystem

/// `/t/{tenant}/profile/mcp` and its forms: generate a token (POST …/tokens), revoke a token
/// or an app (GET …/{id}/revoke is the confirmation, POST does it). Everything goes through
/// the domain services with the signed-in user as the actor, so ownership, the 10-token limit,
/// the two-year expiry and the revocation counter are theirs, not the page's.
struct ProfileEndpoint {
    let service: AuthService

    var tokens: PersonalAccessTokenService { PersonalAccessTokenService(storage: service.storage) }
    var apps: AuthorizedApps { AuthorizedApps(storage: service.storage) }

    static func path(_ page: SignedInPage) -> String { "\(page.base)/profile/mcp" }

    func install(on router: Router) {
        let routes = PageRoutes(service: service, router: router)
        routes.get("/t/{tenant}/profile") { _, page, _ in try page.redirect(to: Self.path(page)) }
        routes.get("/t/{tenant}/profile/mcp") { _, page, _ in try self.render(page) }
        routes.post("/t/{tenant}/profile/mcp/tokens") { _, page, form in try self.generate(page, form) }
        routes.get("/t/{tenant}/profile/mcp/tokens/{id}/revoke") { request, page, _ in
            try self.confirmTokenRevoke(page, id: request.parameter("id"))
        }
        routes.post("/t/{tenant}/profile/mcp/tokens/{id}/revoke") { request, page, _ in
            try self.revokeToken(page, id: request.parameter("id"))
        }
        routes.get("/t/{tenant}/profile/mcp/apps/{id}/revoke") { request, page, _ in
            try self.confirmAppRevoke(page, id: request.parameter("id"))
        }
        routes.post("/t/{tenant}/profile/mcp/apps/{id}/revoke") { request, page, _ in
            try self.revokeApp(page, id: request.parameter("id"))
        }
    }

    // MARK: the page

    private func profile(_ page: SignedInPage, form: TokenForm = TokenForm()) throws -> ProfilePage {
        let mine = try tokens.list(tenant: page.slug, userEmail: page.user.email).filter { $0.status == .active }
        let approved = try apps.list(tenant: page.slug, userEmail: page.user.email)
        let redirects = try apps.redirectURIs(tenant: page.slug, clientIDs: Set(approved.map(\.clientID)))
        let now = WallClock.milliseconds()
        let (pending, usage) = try service.storage.withReader { reader in
            (try ApprovalService(storage: service.storage).pending(userID: page.user.id, tenant: page.tenant, now: now, on: reader),
             try UsageService(storage: service.storage).summary(tenant: page.tenant, userID: page.user.id, now: now, on: reader))
        }
        let urls = service.urls
        return ProfilePage(page: page, mcpURL: urls.resource(page.slug, host: page.host),
                           sseURL: urls.mcpTenantBase(page.slug, host: page.host) + "/sse",
                           issuer: urls.issuer(page.slug, host: page.host), tokens: mine, apps: approved, redirects: redirects,
                           pending: pending, usage: usage, now: now, form: form)
    }

    private func render(_ page: SignedInPage) throws -> Response {
        page.html(title: "MCP Integration", section: .profile, content: try profile(page).render())
    }

    // MARK: generate

    /// Reads the form into what the service takes, or the form with its errors next to the fields.
    enum Parsed {
        case valid(name: String, scopes: Scopes, days: Int, approval: ApprovalPolicy?)
        case invalid(TokenForm)
    }

    static func parse(_ form: FormFields, now: Int64 = WallClock.milliseconds()) -> Parsed {
        var state = TokenForm()
        state.name = form["name"]?.trimmed ?? ""
        state.days = form["expires_in_days"]?.trimmed ?? ""
        var scopes = Scopes()
        var unknown = false
        for value in form.all("scope") {
            if let scope = Scopes(name: value) { scopes.insert(scope) } else { unknown = true }
        }
        state.scopes = scopes
        state.approval = form["approval"]?.trimmed ?? ""
        let approval = ApprovalPolicy(stored: state.approval)
        if !state.approval.isEmpty && (approval == nil || approval == ApprovalPolicy.never) {
            state.errors.add("approval", "Choose one of the options listed.")
        }
        if state.name.count > PersonalAccessTokenService.maximumNameLength {
            state.errors.add("name", "Use at most \(PersonalAccessTokenService.maximumNameLength) characters.")
        } else if state.name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            state.errors.add("name", "The name cannot contain control characters.")
        }
        if unknown {
            state.errors.add("scope", "Choose only from the scopes listed.")
        } else if scopes.isEmpty {
            state.errors.add("scope", "Choose at least one scope.")
        }
        let range = PersonalAccessTokenService.lifetimeDays(from: now)
        let days = Int(state.days)
        if state.days.isEmpty {
            state.errors.add("expires_in_days", "Enter a number of days, at most \(range.upperBound).")
        } else if days == nil || !range.contains(days!) {
            state.errors.add("expires_in_days", "Enter a whole number of days from \(range.lowerBound) to \(range.upperBound) (two years from today).")
        }
        guard state.errors.isEmpty, let days else { return .invalid(state) }
        return .valid(name: state.name, scopes: scopes, days: days, approval: approval)
    }

    private func generate(_ page: SignedInPage, _ form: FormFields) throws -> Response {
        func again(_ state: TokenForm, banner: Flash, status: HTTPStatus) throws -> Response {
            page.html(title: "MCP Integration", section: .profile, content: try profile(page, form: state).render(),
                      banner: banner, status: status)
        }
        let parsed: (name: String, scopes: Scopes, days: Int, approval: ApprovalPolicy?)
        switch Self.parse(form) {
        case .invalid(let state):
            return try again(state, banner: .error("The token was not generated: correct the fields marked below."),
                             status: .unprocessableContent)
        case .valid(let name, let scopes, let days, let approval): parsed = (name, scopes, days, approval)
        }
        do {
            let (token, record) = try tokens.create(tenant: page.slug, userEmail: page.user.email,
                                                    name: parsed.name.isEmpty ? nil : parsed.name,
                                                    scopes: parsed.scopes, expiresInDays: parsed.days, approval: parsed.approval,
                                                    by: page.user.id)
            let label = record.name.isEmpty ? record.masked : "“\(record.name)” (\(record.masked))"
            return try page.redirect(to: Self.path(page), flash: .success("Token \(label) generated.", reveal: token))
        } catch DeskError.invalid(let field, let reason) {
            var state = TokenForm(name: parsed.name, scopes: parsed.scopes, days: String(parsed.days))
            state.errors.add(field == "scope" || field == "expires_in_days" ? field : "name", reason)
            return try again(state, banner: .error("The token was not generated: correct the fields marked below."),
                             status: .unprocessableContent)
        } catch DeskError.conflict {
            // The limit (or a deactivated account) raced the form: the page now explains it.
            return try again(TokenForm(), banner: .error("The token was not generated: you already have the most active tokens allowed. Revoke one first."),
                             status: .conflict)
        }
    }

    // MARK: revoke

    private static let notFound = Flash.error("That token or app was not found, or is already revoked.")

    private func ownToken(_ page: SignedInPage, _ id: String) throws -> PersonalAccessTokenSummary? {
        guard let number = Int64(id) else { return nil }
        return try tokens.list(tenant: page.slug, userEmail: page.user.email)
            .first { $0.id == number && $0.status == .active }
    }

    private func ownApp(_ page: SignedInPage, _ id: String) throws -> AuthorizedApp? {
        guard let number = Int64(id) else { return nil }
        return try apps.list(tenant: page.slug, userEmail: page.user.email).first { $0.grantID == number }
    }

    private func confirmTokenRevoke(_ page: SignedInPage, id: String) throws -> Response {
        guard let token = try ownToken(page, id) else { return try page.redirect(to: Self.path(page), flash: Self.notFound) }
        let step = ConfirmStep(
            heading: "Revoke this token?",
            consequence: "Every tool using it is refused from its next request. This cannot be undone; you can generate a new token afterwards.",
            details: [("Name", token.name.isEmpty ? "(unnamed)" : token.name), ("Token", token.masked),
                      ("Scopes", token.scopes.text)],
            action: "\(Self.path(page))/tokens/\(token.id)/revoke", confirmLabel: "Revoke token", cancel: Self.path(page))
        return page.html(title: "Revoke token", section: .profile, content: step.render(page))
    }

    /// Only one's own token here (an admin revokes others' from the admin pages): any other id is
    /// "not found", as the service would say to a non-admin.
    private func revokeToken(_ page: SignedInPage, id: String) throws -> Response {
        guard let token = try ownToken(page, id) else { return try page.redirect(to: Self.path(page), flash: Self.notFound) }
        do {
            let revoked = try tokens.revoke(tenant: page.slug, id: token.id, by: .agent(userID: page.user.id))
            let label = revoked.name.isEmpty ? revoked.masked : "“\(revoked.name)” (\(revoked.masked))"
            return try page.redirect(to: Self.path(page), flash: .success("Token \(label) revoked. Tools using it are refused from their next request."))
        } catch DeskError.notFound, DeskError.conflict {
            return try page.redirect(to: Self.path(page), flash: Self.notFound)
        }
    }

    private func confirmAppRevoke(_ page: SignedInPage, id: String) throws -> Response {
        guard let app = try ownApp(page, id) else { return try page.redirect(to: Self.path(page), flash: Self.notFound) }
        let step = ConfirmStep(
            heading: "Revoke \(app.clientName)?",
            consequence: "The app loses access at its next request, and its refresh tokens stop working. To use it again, connect it again and approve it.",
            details: [("App", app.clientName), ("Client ID", app.clientID), ("Scopes", app.scopes.joined(separator: " "))],
            action: "\(Self.path(page))/apps/\(app.grantID)/revoke", confirmLabel: "Revoke app", cancel: Self.path(page))
        return page.html(title: "Revoke app", section: .profile, content: step.render(page))
    }

    private func revokeApp(_ page: SignedInPage, id: String) throws -> Response {
        guard let app = try ownApp(page, id) else { return try page.redirect(to: Self.path(page), flash: Self.notFound) }
        do {
            let revoked = try apps.revoke(tenant: page.slug, grantID: app.grantID, by: .agent(userID: page.user.id))
            return try page.redirect(to: Self.path(page), flash: .success("\(revoked.clientName) revoked. It is refused from its next request."))
        } catch DeskError.notFound, DeskError.conflict {
            return try page.redirect(to: Self.path(page), flash: Self.notFound)
        }
    }
}
