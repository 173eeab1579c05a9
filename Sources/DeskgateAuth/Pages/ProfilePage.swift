import DeskgateDesk
import DeskgateIdentity
import DeskgateSystem
import DeskgateModel

/// What the "Generate token" form holds when it is (re)rendered: the defaults, or what the
/// person sent with the errors found in it.
struct TokenForm {
    var name = ""
    var scopes = Scopes.all
    /// What the token adds to the help desk's approval policy ("" nothing).
    var approval = ""
    /// The longest lifetime: two calendar years from today, in days (730, or 731 across a leap day).
    var days = String(PersonalAccessTokenService.lifetimeDays(from: WallClock.milliseconds()).upperBound)
    var errors = FieldErrors()
}

/// `/t/{tenant}/profile/mcp`, "MCP Integration": how to connect an AI tool (URLs, transports,
/// authentication, snippets), the person's personal access tokens and their authorized apps.
/// A new token is rendered only from the one-shot flash (`reveal`), never from the store.
struct ProfilePage {
    let page: SignedInPage
    let mcpURL: String
    let sseURL: String
    let issuer: String
    /// The person's active tokens, oldest first.
    let tokens: [PersonalAccessTokenSummary]
    let apps: [AuthorizedApp]
    let redirects: [String: [String]]
    /// Changes waiting for this person's approval, newest first.
    var pending: [ApprovalView] = []
    /// This person's MCP use over the last 30 days, by token and app.
    var usage = UsageSummary()
    let now: Int64
    var form = TokenForm()

    static let expiringSoonDays = 30

    static func scopeLabel(_ scope: Scopes) -> String {
        switch scope {
        case .ticketsRead: return "Read tickets"
        case .ticketsWrite: return "Change tickets"
        case .directoryRead: return "Read the directory"
        default: return scope.text
        }
    }

    func render() -> String {
        """
        <h1>MCP Integration</h1>
        <p class="note">Connect an AI tool (Claude Desktop, Cursor, VS Code, any MCP client) to \(HTML.escape(page.tenant.name)) as \(HTML.escape(page.user.email)). It can do what you can do, limited by the scopes you give it.</p>
        \(reveal)
        \(pendingSection)
        \(connection)
        \(snippets)
        \(tokenSection)
        \(appSection)
        """
    }

    private var reveal: String {
        guard let token = page.flash?.reveal else { return "" }
        return """
            <section class="reveal" aria-labelledby="new-token-heading">
            <h2 id="new-token-heading">Your new token</h2>
            <p><strong>Copy it now: it will not be shown again.</strong> Anyone who has it can act as you in the tools its scopes allow. If you lose it, revoke it and generate another.</p>
            <div class="snippet-head"><span>Token</span><button type="button" class="copy" data-copy="new-token" aria-label="Copy the new token" hidden>Copy</button></div>
            <pre class="secret" id="new-token">\(HTML.escape(token))</pre>
            </section>
            """
    }

    private func copyable(_ id: String, _ value: String, label: String) -> String {
        """
        <div class="snippet-head"><code id="\(id)">\(HTML.escape(value))</code><button type="button" class="copy" data-copy="\(id)" aria-label="Copy \(HTML.escape(label))" hidden>Copy</button></div>
        """
    }

    private var connection: String {
        """
        <section class="card" aria-labelledby="connection-heading">
        <h2 id="connection-heading">Connection details</h2>
        <dl>
        <dt>MCP server URL</dt><dd>\(copyable("mcp-url", mcpURL, label: "the MCP server URL"))</dd>
        <dt>Transport</dt><dd>Streamable HTTP (MCP 2025-03-26 and later, and stateless 2026-07-28 clients)</dd>
        <dt>Older clients (HTTP+SSE, MCP 2024-11-05)</dt><dd>\(copyable("sse-url", sseURL, label: "the SSE URL"))</dd>
        <dt>Authentication</dt>
        <dd>Either a <strong>personal access token</strong> (below) sent as <code>Authorization: Bearer dgpat_…</code> (or the header <code>X-Deskgate-Access-Token</code>),
        or <strong>OAuth 2.1</strong> (authorization code with PKCE): give the client only the server URL; it finds the sign-in at <code>\(HTML.escape(issuer))</code>, opens this help desk's sign-in and approval pages in your browser, and appears under Authorized apps.</dd>
        </dl>
        </section>
        """
    }

    private var snippets: String {
        let blocks = ConnectionSnippets(mcpURL: mcpURL).all.map { snippet in
            """
            <div class="snippet-block">
            <div class="snippet-head"><h3 id="\(snippet.id)-heading">\(HTML.escape(snippet.tool))</h3><button type="button" class="copy" data-copy="\(snippet.id)" aria-label="Copy the \(HTML.escape(snippet.tool)) configuration" hidden>Copy</button></div>
            <p class="note">\(HTML.escape(snippet.location))</p>
            <pre class="snippet" id="\(snippet.id)" tabindex="0" aria-labelledby="\(snippet.id)-heading">\(HTML.escape(snippet.text))</pre>
            <p class="note">\(HTML.escape(snippet.note))</p>
            </div>
            """
        }
        return """
            <section class="card" aria-labelledby="snippets-heading">
            <h2 id="snippets-heading">Configuration for your AI tool</h2>
            \(blocks.joined(separator: "\n"))
            </section>
            """
    }

    private var tokenSection: String {
        let limit = PersonalAccessTokenService.maximumActivePerUser
        let list = tokens.isEmpty
            ? "<p class=\"note\" id=\"no-tokens\">You have no active tokens.</p>"
            : RecordTable(id: "token-list", caption: "Your tokens", columns: [
                .init("Name"), .init("Token", cellClass: "nowrap"), .init("Scopes"), .init("Asks you first"),
                .init("Created", cellClass: "nowrap"), .init("Last used"), .init("Use, \(UsageService.days) days", cellClass: "usage"),
                .init("Expires"), .init("Actions", cellClass: "row-actions"),
            ]).render(tokens.map(tokenRow))
        return """
            <section class="card" aria-labelledby="tokens-heading">
            <h2 id="tokens-heading">Personal access tokens</h2>
            <p class="note">\(tokens.count) of at most \(limit) active tokens. A token lasts at most two years.</p>
            \(tokens.count >= limit ? limitReached : generateForm)
            <h3>Your tokens</h3>
            \(list)
            </section>
            """
    }

    private var limitReached: String {
        """
        <p class="warning" id="token-limit">You have \(tokens.count) active tokens, the most one person can have (\(PersonalAccessTokenService.maximumActivePerUser)). Revoke a token you no longer use to generate a new one.</p>
        """
    }

    private var generateForm: String {
        let errors = form.errors
        let boxes = Scopes.table.map { scope, name in
            let checked = form.scopes.contains(scope) ? " checked" : ""
            return "<label><input type=\"checkbox\" name=\"scope\" value=\"\(HTML.escape(name))\"\(checked)> \(HTML.escape(Self.scopeLabel(scope))) <code>\(HTML.escape(name))</code></label>"
        }
        let maxDays = PersonalAccessTokenService.lifetimeDays(from: now).upperBound
        return """
            <h3 id="generate-heading">Generate a token</h3>
            <form method="post" action="\(HTML.escape(page.base))/profile/mcp/tokens" aria-labelledby="generate-heading" novalidate>
            \(page.csrfField)
            <label for="token-name">Name (optional)</label>
            <input id="token-name" type="text" name="name" value="\(HTML.escape(form.name))" maxlength="\(PersonalAccessTokenService.maximumNameLength)" placeholder="e.g. Claude Desktop on my laptop"\(errors.attributes("name"))>
            \(errors.message("name"))
            <fieldset class="choices"\(errors["scope"] == nil ? "" : " aria-describedby=\"\(FieldErrors.id("scope"))\"")>
            <legend>Scopes</legend>
            \(boxes.joined(separator: "\n"))
            \(errors.message("scope"))
            </fieldset>
            <label for="token-approval">Ask me before it changes tickets</label>
            <select id="token-approval" name="approval">
            \(Self.approvalOptions(selected: form.approval))
            </select>
            \(errors.message("approval"))
            <p class="note">A change waits until you approve it on a page Deskgate shows you. This only adds to the help desk's own rule.</p>
            <label for="token-days">Expires after (days)</label>
            <input id="token-days" type="number" name="expires_in_days" value="\(HTML.escape(form.days))" min="1" max="\(maxDays)" inputmode="numeric" aria-describedby="token-days-hint\(errors["expires_in_days"] == nil ? "" : " \(FieldErrors.id("expires_in_days"))")"\(errors["expires_in_days"] == nil ? "" : " aria-invalid=\"true\"")>
            <p class="note" id="token-days-hint">1 to \(maxDays) days; the default is \(maxDays) (two years from today), the longest allowed.</p>
            \(errors.message("expires_in_days"))
            <button type="submit">Generate token</button>
            </form>
            """
    }

    static func approvalOptions(selected: String) -> String {
        [("", "No (the help desk's rule applies)"), ("destructive", "Before removing anything"), ("writes", "Before every change")]
            .map { value, label in
                "<option value=\"\(value)\"\(value == selected ? " selected" : "")>\(HTML.escape(label))</option>"
            }.joined(separator: "\n")
    }

    /// Changes an AI tool asked for that wait for this person, each linking to its approval page.
    private var pendingSection: String {
        guard !pending.isEmpty else { return "" }
        let items = pending.map { view -> String in
            let approval = view.approval
            return """
                <li data-approval-id="\(HTML.escape(approval.id))">
                <p><a href="\(HTML.escape(page.base))/approvals/\(HTML.escape(approval.id))">\(HTML.escape(view.summary.isEmpty ? approval.tool : view.summary))</a></p>
                <p class="note">\(HTML.escape(view.credential)) with <code>\(HTML.escape(approval.tool))</code>, asked \(PageDates.moment(approval.createdAt)); expires \(PageDates.moment(approval.expiresAt))</p>
                </li>
                """
        }
        return """
            <section class="card" aria-labelledby="pending-heading">
            <h2 id="pending-heading">Waiting for your approval</h2>
            <ul class="items" id="pending-approvals">
            \(items.joined(separator: "\n"))
            </ul>
            </section>
            """
    }

    private func tokenRow(_ token: PersonalAccessTokenSummary) -> RecordTable.Row {
        let days = PageDates.daysUntil(token.expiresAt, now: now)
        let soon = days < Self.expiringSoonDays
            ? " <span class=\"badge\">expires in \(days) day\(days == 1 ? "" : "s")</span>" : ""
        let name = token.name.isEmpty ? "(unnamed)" : token.name
        let scopes = token.scopes.names.map { "<code>\(HTML.escape($0))</code>" }.joined(separator: " ")
        let asks = token.approval.map { $0 == .writes ? "before every change" : "before removing anything" } ?? "no"
        return RecordTable.Row(attributes: "data-token-id=\"\(token.id)\"", cells: [
            HTML.escape(name), "<code class=\"masked\">\(HTML.escape(token.masked))</code>", scopes, asks,
            PageDates.day(token.createdAt), PageDates.moment(token.lastUsedAt), HTML.escape(usage.token(token.id).text),
            PageDates.day(token.expiresAt) + soon,
            "<a class=\"button danger\" href=\"\(HTML.escape(page.base))/profile/mcp/tokens/\(token.id)/revoke\" aria-label=\"Revoke token \(HTML.escape(name)) (\(HTML.escape(token.masked)))\">Revoke…</a>",
        ])
    }

    private var appSection: String {
        let list = apps.isEmpty
            ? "<p class=\"note\" id=\"no-apps\">No app is authorized. Apps that sign in with OAuth appear here after you approve them.</p>"
            : RecordTable(id: "app-list", caption: "Authorized apps", columns: [
                .init("App"), .init("Returns to"), .init("Scopes"), .init("Approved", cellClass: "nowrap"), .init("Last used"),
                .init("Use, \(UsageService.days) days", cellClass: "usage"), .init("Actions", cellClass: "row-actions"),
            ]).render(apps.map(appRow))
        return """
            <section class="card" aria-labelledby="apps-heading">
            <h2 id="apps-heading">Authorized apps</h2>
            \(list)
            </section>
            """
    }

    private func appRow(_ app: AuthorizedApp) -> RecordTable.Row {
        let hosts = (redirects[app.clientID] ?? []).map(RedirectURIPolicy.displayHost)
        var seen = Set<String>()
        let uniqueHosts = hosts.filter { seen.insert($0).inserted }
        let redirect = uniqueHosts.isEmpty ? "unknown" : uniqueHosts.joined(separator: ", ")
        let scopes = app.scopes.map { "<code>\(HTML.escape($0))</code>" }.joined(separator: " ")
        return RecordTable.Row(attributes: "data-grant-id=\"\(app.grantID)\"", cells: [
            HTML.escape(app.clientName), HTML.escape(redirect), scopes, PageDates.day(app.approvedAt), PageDates.moment(app.lastUsedAt),
            HTML.escape(usage.app(userID: page.user.id, clientID: app.clientID).text),
            "<a class=\"button danger\" href=\"\(HTML.escape(page.base))/profile/mcp/apps/\(app.grantID)/revoke\" aria-label=\"Revoke \(HTML.escape(app.clientName))\">Revoke…</a>",
        ])
    }
}
