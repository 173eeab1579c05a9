import DeskgateDesk
import DeskgateIdentity
import DeskgateModel

/// `/t/{tenant}/admin/security`: the security log, newest first, filtered by agent and kind
/// (a GET form, so a filtered view is a link), "Older" pages by keyset.
struct AdminSecurityLogPage {
    let log: SecurityLog.Page
    let agents: [User]
    let agentID: Int64?
    /// A kind from `SecurityLog.kinds`, "admin" for every admin action, or nil for all.
    let kind: String?
    var perPage = 50

    static let adminFilter = "admin"

    func render(_ page: SignedInPage) -> String {
        let base = AdminText.e(page.base)
        let agentOptions = "<option value=\"\">Everyone</option>" + agents.map { user in
            "<option value=\"\(user.id)\"\(user.id == agentID ? " selected" : "")>\(AdminText.e(AdminText.person(user)))</option>"
        }.joined()
        var kindOptions = "<option value=\"\">Every kind</option>"
        kindOptions += "<option value=\"\(Self.adminFilter)\"\(kind == Self.adminFilter ? " selected" : "")>Admin actions</option>"
        kindOptions += SecurityLog.kinds.map { item in
            "<option value=\"\(item.kind)\"\(item.kind == kind ? " selected" : "")>\(AdminText.e(item.label))</option>"
        }.joined()
        let rows = log.entries.map { entry -> String in
            let detail = entry.detail.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            return """
                <li data-kind="\(AdminText.e(entry.kind))">
                <dl>
                <div><dt>When</dt><dd>\(AdminText.date(entry.createdAt))</dd></div>
                <div><dt>Event</dt><dd>\(AdminText.e(entry.label))</dd></div>
                <div><dt>By</dt><dd class="actor">\(AdminText.e(entry.actor.map { "\($0.name) <\($0.email ?? "")>" } ?? "operator or system"))</dd></div>
                <div><dt>Affecting</dt><dd class="subject">\(AdminText.e(entry.subject.map { "\($0.name) <\($0.email ?? "")>" } ?? "—"))</dd></div>
                <div><dt>Details</dt><dd>\(AdminText.e(detail.isEmpty ? "—" : detail))\(entry.address.map { " · from " + AdminText.e($0) } ?? "")</dd></div>
                </dl>
                </li>
                """
        }.joined(separator: "\n")
        var query = [String]()
        if let agentID { query.append("agent=\(agentID)") }
        if let kind { query.append("kind=\(AdminText.e(kind))") }
        if perPage != 50 { query.append("per_page=\(perPage)") }
        let older = log.nextBefore.map { before in
            "<p><a class=\"button secondary\" id=\"older\" href=\"\(base)/admin/security?\((query + ["before=\(before)"]).joined(separator: "&amp;"))\">Older events</a></p>"
        } ?? ""
        return """
            <h1>Admin</h1>
            \(AdminText.tabs(page, current: .security))
            <section class="card" aria-labelledby="log-heading">
            <h2 id="log-heading">Security log</h2>
            <form method="get" action="\(base)/admin/security" class="filters">
            <label for="agent">Agent</label>
            <select id="agent" name="agent">\(agentOptions)</select>
            <label for="kind">Kind</label>
            <select id="kind" name="kind">\(kindOptions)</select>
            <div class="actions"><button type="submit">Filter</button><a class="button secondary" href="\(base)/admin/security">Clear</a></div>
            </form>
            </section>
            <section class="card">
            \(rows.isEmpty ? "<p class=\"note\" id=\"no-events\">No events match.</p>" : "<ul class=\"items\" id=\"events\">\n\(rows)\n</ul>")
            \(older)
            </section>
            """
    }
}
