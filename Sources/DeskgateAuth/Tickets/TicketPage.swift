import DeskgateDesk
import DeskgateIdentity
import DeskgateModel
import DeskgateHTTP

/// `/t/{tenant}/tickets/{number}`: one ticket, read-only, for signed-in agents who may see it:
/// its metadata, its thread (customer text sanitized and marked as the customer's), and its
/// history as people say it ("Dana Whitfield via Claude Desktop: ticket.resolve").
struct TicketPage {
    let metadata: TicketMetadata
    let messages: TicketMessagePage
    let history: TicketActivityPage

    func render(_ page: SignedInPage) -> String {
        let e = AdminText.e
        let t = metadata
        let subject = t.subjectAuthorKind.shown(t.subject).text
        func row(_ label: String, _ value: String, id: String? = nil) -> String {
            "<div><dt>\(label)</dt><dd\(id.map { " id=\"\($0)\"" } ?? "")>\(e(value))</dd></div>"
        }
        let details = [
            row("Status", t.status.rawValue, id: "status"), row("Priority", t.priority.rawValue),
            row("Department", t.department?.name ?? "—"), row("Assignee", t.assignee?.name ?? "nobody"),
            row("Requester", t.requester.map { AuthorKind.customer.shown($0.name).text + ($0.email.map { " <\($0)>" } ?? "") } ?? "—"),
            row("Tags", t.tags.isEmpty ? "—" : t.tags.joined(separator: ", ")),
            row("Created", AdminText.date(t.createdAt)), row("Updated", AdminText.date(t.updatedAt)),
        ].joined(separator: "\n")
        let thread = messages.messages.map { message -> String in
            let kind = message.author.kind
            let body = kind.shown(message.body).text, name = kind.shown(message.author.name).text
            let label = message.kind == .note ? "Internal note" : "Reply"
            return """
                <li data-author-kind="\(kind.rawValue)">
                <p class="note">\(label) by <strong>\(e(name))</strong> (\(kind.rawValue)), \(AdminText.date(message.createdAt))</p>
                <pre class="body">\(e(body))</pre>
                </li>
                """
        }.joined(separator: "\n")
        let changes = history.entries.map { entry -> String in
            let change = entry.changes.joined(separator: "; ")
            return """
                <li>
                <p><strong>\(e(entry.who))</strong> \(e(entry.door)): \(e(entry.action))</p>
                <p class="note">\(AdminText.date(entry.createdAt))\(change.isEmpty ? "" : " — " + e(change))</p>
                </li>
                """
        }.joined(separator: "\n")
        let more = "<p class=\"note\">Showing the first \(TicketPageRoute.pageSize); the MCP tools page through the rest.</p>"
        return """
            <h1>Ticket #\(t.number): \(e(subject))</h1>
            <p class="note">Read-only. \(t.subjectAuthorKind == .customer ? "The subject and the customer's messages are the customer's words." : "")</p>
            <section class="card">
            <dl id="details">
            \(details)
            </dl>
            </section>
            <section class="card">
            <h2>Messages</h2>
            \(thread.isEmpty ? "<p class=\"note\">No messages.</p>" : "<ul class=\"items\" id=\"messages\">\n\(thread)\n</ul>")
            \(messages.nextCursor == nil ? "" : more)
            </section>
            <section class="card">
            <h2>History</h2>
            \(changes.isEmpty ? "<p class=\"note\" id=\"no-history\">No recorded changes.</p>" : "<ul class=\"items\" id=\"history\">\n\(changes)\n</ul>")
            \(history.nextCursor == nil ? "" : more)
            </section>
            """
    }
}

/// The route of `TicketPage`: any signed-in user, who sees the ticket only if the desk's
/// visibility rules let them (else the not-found page, as MCP answers).
struct TicketPageRoute {
    static let pageSize = 100
    let service: AuthService

    func install(on router: Router) {
        let routes = PageRoutes(service: service, router: router)
        let storage = service.storage
        routes.get("/t/{tenant}/tickets/{number}") { request, page, db in
            guard let number = Int64(request.parameter("number")), number > 0 else {
                throw DeskError.invalid(field: "number", reason: "a ticket number is a positive whole number")
            }
            let actor = try DeskActor.load(tenant: page.tenant, user: page.user, via: .web, on: db)
            let tickets = TicketService(storage: storage)
            let ref = TicketRef.number(number)
            let view = TicketPage(metadata: try tickets.metadata(ref, actor: actor, on: db),
                                  messages: try tickets.messages(ref, limit: Self.pageSize, actor: actor, on: db),
                                  history: try tickets.activity(ref, limit: Self.pageSize, actor: actor, on: db))
            return page.html(title: "Ticket #\(number)", content: view.render(page))
        }
    }
}
