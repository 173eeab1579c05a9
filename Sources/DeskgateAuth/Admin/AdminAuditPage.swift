import DeskgateDesk
import DeskgateHTTP
import DeskgateModel
import DeskgateSystem

/// `/t/{tenant}/admin/audit`: the MCP audit log (docs/audit.md), newest first, filtered by agent,
/// app, token, tool, outcome and time (a GET form, so a filtered view is a link), "Older" pages by
/// keyset, and the same filter downloaded as CSV or JSON Lines (`?format=csv|jsonl`).
struct AdminAuditPage {
    let log: AuditLog.Page
    let agents: [User]
    let query: Query
    let retention: AuditRetention

    /// The page's filter as the query string carries it; what cannot be read is refused (400).
    struct Query {
        var filter = AuditFilter()
        var fromText = "", toText = ""
        var before: Int64?
        /// Which page, counted from the newest (carried in the links; see `Pager`).
        var pageNumber = 1
        var perPage = 50
        var format: AuditExport.Format?

        init() {}

        init(_ fields: FormFields) throws {
            filter.userID = AdminText.id(fields["agent"])
            if let app = fields["app"]?.trimmed, !app.isEmpty { filter.clientID = app }
            if let token = fields["token"]?.trimmed, !token.isEmpty {
                guard let id = AdminText.id(token.hasPrefix("#") ? String(token.dropFirst()) : token) else {
                    throw DeskError.invalid(field: "token", reason: "must be a token's number")
                }
                filter.tokenID = id
            }
            if let tool = fields["tool"], !tool.isEmpty { filter.tool = tool }
            if let text = fields["outcome"], !text.isEmpty {
                guard let outcome = AuditOutcome(rawValue: text) else {
                    throw DeskError.invalid(field: "outcome", reason: "must be ok, tool_error, refused or error")
                }
                filter.outcome = outcome
            }
            fromText = fields["from"]?.trimmed ?? ""
            toText = fields["to"]?.trimmed ?? ""
            filter.from = try Self.time(fromText, field: "from")
            filter.until = try Self.time(toText, field: "to")
            before = AdminText.id(fields["before"])
            pageNumber = Pager.number(fields["page"])
            if let text = fields["per_page"] {
                guard let size = Int(text), AuditLog.pageSizes.contains(size) else {
                    throw DeskError.invalid(field: "per_page", reason: "must be between 1 and 200")
                }
                perPage = size
            }
            if let text = fields["format"], !text.isEmpty {
                guard let format = AuditExport.Format(rawValue: text) else {
                    throw DeskError.invalid(field: "format", reason: "must be csv or jsonl")
                }
                self.format = format
            }
        }

        /// A time as `datetime-local` sends it (`2026-12-01T09:30`, read as UTC) or any ISO 8601 form.
        static func time(_ text: String, field: String) throws -> Int64? {
            guard !text.isEmpty else { return nil }
            guard let milliseconds = ISOTime.milliseconds(text) else {
                throw DeskError.invalid(field: field, reason: "must be a date and time such as 2026-12-01T09:30 (UTC)")
            }
            return milliseconds
        }

        /// The filter's members as query items (escaped for an attribute), without paging or format.
        var items: [String] {
            var items: [String] = []
            if let id = filter.userID { items.append("agent=\(id)") }
            if let app = filter.clientID { items.append("app=" + FormURLEncoding.escape(app)) }
            if let token = filter.tokenID { items.append("token=\(token)") }
            if let tool = filter.tool { items.append("tool=" + FormURLEncoding.escape(tool)) }
            if let outcome = filter.outcome { items.append("outcome=\(outcome.rawValue)") }
            if !fromText.isEmpty { items.append("from=" + FormURLEncoding.escape(fromText)) }
            if !toText.isEmpty { items.append("to=" + FormURLEncoding.escape(toText)) }
            if perPage != 50 { items.append("per_page=\(perPage)") }
            return items
        }
    }

    /// `2026-12-07 12:36:46`: to the second, which a log needs and the other pages do not; the
    /// column's header says UTC.
    static func when(_ milliseconds: Int64) -> String {
        let iso = Timestamp.iso8601(milliseconds: milliseconds)
        return String(iso.prefix(10)) + " " + String(iso.dropFirst(11).prefix(8))
    }

    /// `deskgate-mcp@host:pid`, allowed to wrap after the `@` (a narrow column; never mid-name).
    static func process(_ text: String) -> String {
        guard let at = text.firstIndex(of: "@") else { return AdminText.e(text) }
        return AdminText.e(String(text[...at])) + "<wbr>" + AdminText.e(String(text[text.index(after: at)...]))
    }

    /// A client id (often a URL) that may wrap after each `/`, never inside a word.
    static func breakable(_ text: String) -> String {
        text.split(separator: "/", omittingEmptySubsequences: false).map { AdminText.e(String($0)) }.joined(separator: "/<wbr>")
    }

    /// Rows a download carries at most; `deskgate audit export` has no cap.
    static let downloadRows = 200_000

    func render(_ page: SignedInPage) -> String {
        let base = AdminText.e(page.base)
        let names = Dictionary(agents.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let filter = query.filter
        let agentOptions = "<option value=\"\">Everyone</option>" + agents.map { user in
            "<option value=\"\(user.id)\"\(user.id == filter.userID ? " selected" : "")>\(AdminText.e(AdminText.person(user)))</option>"
        }.joined()
        let toolOptions = "<option value=\"\">Every tool</option>" + MCPSettings.toolNames.map { name in
            "<option\(name == filter.tool ? " selected" : "")>\(AdminText.e(name))</option>"
        }.joined()
        let outcomeOptions = "<option value=\"\">Every outcome</option>" + AuditOutcome.allCases.map { outcome in
            "<option\(outcome == filter.outcome ? " selected" : "")>\(outcome.rawValue)</option>"
        }.joined()
        let table = RecordTable(id: "calls", caption: "MCP tool calls, newest first", columns: [
            .init("When (UTC)", cellClass: "when"), .init("Agent", cellClass: "actor"), .init("Through", cellClass: "through"),
            .init("Tool", cellClass: "tool"), .init("Tickets", cellClass: "tickets"), .init("Outcome", cellClass: "outcome"),
            .init("Took · process", numeric: true, cellClass: "took"), .init("Arguments"),
        ])
        let rows = log.entries.map { entry in
            let who = entry.userID.flatMap { names[$0] }.map { AdminText.personCell(PersonRef(id: $0.id, name: $0.name, email: $0.email), none: "—") } ?? "—"
            let via = entry.tokenID.map { "token&nbsp;#\($0)" } ?? entry.clientID.map { "app " + Self.breakable($0) } ?? "—"
            let outcome = AdminText.e(entry.outcome.rawValue) + (entry.reason.map { " (" + AdminText.e($0) + ")" } ?? "")
            return RecordTable.Row(attributes: "data-outcome=\"\(entry.outcome.rawValue)\" data-tool=\"\(AdminText.e(entry.tool))\"", cells: [
                "<time datetime=\"\(Timestamp.iso8601(milliseconds: entry.at))\">\(Self.when(entry.at))</time>", who, via,
                AdminText.e(entry.tool), entry.tickets.isEmpty ? "—" : AdminText.e(entry.tickets.split(separator: ",").joined(separator: ", ")),
                outcome, "<span class=\"nowrap\">\(entry.durationMilliseconds) ms</span><br><span class=\"note\">\(Self.process(entry.process))</span>",
                "<code title=\"SHA-256 of the arguments\">\(AdminText.e(String(entry.argsDigest.prefix(12))))…</code>",
            ])
        }
        let items = query.items
        func link(_ extra: [String]) -> String { "\(base)/admin/audit?" + (items + extra).map(AdminText.e).joined(separator: "&amp;") }
        let pager = Pager(number: query.pageNumber, perPage: query.perPage, shown: rows.count, noun: "calls",
                          newest: query.pageNumber > 1 ? "\(base)/admin/audit" + items.map(AdminText.e).joinedQuery : nil,
                          older: log.nextBefore.map { link(["before=\($0)", "page=\(query.pageNumber + 1)"]) }, olderLabel: "Older calls")
        return """
            <h1>Admin</h1>
            \(AdminText.tabs(page, current: .audit))
            <section class="card" aria-labelledby="audit-heading">
            <h2 id="audit-heading">MCP audit log</h2>
            <p class="note">Every MCP tool call, reads included: who, through which token or app, which tool and tickets, and how it ended. Arguments are kept only as a digest; message text and tokens never. Calls are \(AdminText.e(retention.description)) (deskgate tenant settings --audit-retention-days). Times are UTC.</p>
            <form method="get" action="\(base)/admin/audit" class="filters">
            <label for="agent">Agent</label>
            <select id="agent" name="agent">\(agentOptions)</select>
            <label for="app">App (client id)</label>
            <input type="text" id="app" name="app" value="\(AdminText.e(filter.clientID ?? ""))">
            <label for="token">Token number</label>
            <input type="text" inputmode="numeric" id="token" name="token" value="\(filter.tokenID.map(String.init) ?? "")">
            <label for="tool">Tool</label>
            <select id="tool" name="tool">\(toolOptions)</select>
            <label for="outcome">Outcome</label>
            <select id="outcome" name="outcome">\(outcomeOptions)</select>
            <label for="from">From (UTC)</label>
            <input type="datetime-local" id="from" name="from" value="\(AdminText.e(query.fromText))">
            <label for="to">Until (UTC)</label>
            <input type="datetime-local" id="to" name="to" value="\(AdminText.e(query.toText))">
            <div class="actions"><button type="submit">Filter</button><a class="button secondary" href="\(base)/admin/audit">Clear</a></div>
            </form>
            <p>Download these calls: <a id="export-csv" href="\(link(["format=csv"]))">CSV</a> · <a id="export-jsonl" href="\(link(["format=jsonl"]))">JSON Lines</a></p>
            </section>
            <section class="card">
            \(rows.isEmpty ? "<p class=\"note\" id=\"no-calls\">No calls match.</p>" : table.render(rows))
            \(pager.render())
            </section>
            """
    }
}

extension AdminEndpoint {
    /// The audit log's page and downloads (issue 19).
    func installAudit(on routes: PageRoutes) {
        let storage = service.storage
        routes.get("/t/{tenant}/admin/audit", .admin) { request, page, db in
            let query = try AdminAuditPage.Query(FormFields(query: request))
            let log = AuditLog(storage: storage, tenant: page.tenant)
            if let format = query.format {
                var body: [UInt8] = []
                try log.export(query.filter, format: format, maximumRows: AdminAuditPage.downloadRows, on: db) { body += $0.utf8 }
                var headers = HTTPHeaders()
                headers.add("Content-Type", format.contentType)
                headers.add("Content-Disposition", "attachment; filename=\"deskgate-audit-\(page.tenant.slug).\(format.fileExtension)\"")
                headers.add("Cache-Control", "no-store")
                return Response(status: .ok, headers: headers, body: body)
            }
            let view = AdminAuditPage(log: try log.page(query.filter, before: query.before, limit: query.perPage, on: db),
                                      agents: try AgentDirectory.users(page.tenant, on: db), query: query,
                                      retention: AuditRetention(settingsJSON: page.tenant.settingsJSON))
            return page.html(title: "MCP audit log", section: .admin, content: view.render(page))
        }
    }
}
