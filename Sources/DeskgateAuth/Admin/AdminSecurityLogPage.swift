import DeskgateDesk
import DeskgateIdentity
import DeskgateModel

/// `/t/{tenant}/admin/security`: the security log, newest first, filtered by agent and kind
/// (a GET form, so a filtered view is a link), "Older" pages by keyset. A table at
/// desk widths (details as `key=value` members that wrap between members), cards on a phone.
struct AdminSecurityLogPage {
    let log: SecurityLog.Page
    let agents: [User]
    let agentID: Int64?
    /// A kind from `SecurityLog.kinds`, "admin" for every admin action, or nil for all.
    let kind: String?
    var perPage = 50
    /// Which page this is, counted from the newest (carried in the links; see `Pager`).
    var pageNumber = 1

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
        let table = RecordTable(id: "events", caption: "Security events, newest first", columns: [
            .init("When", cellClass: "when"), .init("Event"), .init("By", cellClass: "actor"),
            .init("Affecting", cellClass: "subject"), .init("Details", cellClass: "details"),
        ])
        let rows = log.entries.map { entry in
            var details = RecordTable.details(entry.detail.sorted { $0.key < $1.key }.map { (key: $0.key, value: $0.value) })
            if let address = entry.address { details += (details.isEmpty ? "" : " ") + "<span class=\"kv\">from " + AdminText.e(address) + "</span>" }
            return RecordTable.Row(attributes: "data-kind=\"\(AdminText.e(entry.kind))\"", cells: [
                AdminText.date(entry.createdAt), AdminText.e(entry.label),
                AdminText.personCell(entry.actor, none: "operator or system"), AdminText.personCell(entry.subject, none: "—"),
                details.isEmpty ? "—" : details,
            ])
        }
        var query = [String]()
        if let agentID { query.append("agent=\(agentID)") }
        if let kind { query.append("kind=\(AdminText.e(kind))") }
        if perPage != 50 { query.append("per_page=\(perPage)") }
        func link(_ extra: [String]) -> String { "\(base)/admin/security" + (query + extra).joinedQuery }
        let pager = Pager(number: pageNumber, perPage: perPage, shown: rows.count, noun: "events",
                          newest: pageNumber > 1 ? link([]) : nil,
                          older: log.nextBefore.map { link(["before=\($0)", "page=\(pageNumber + 1)"]) }, olderLabel: "Older events")
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
            \(rows.isEmpty ? "<p class=\"note\" id=\"no-events\">No events match.</p>" : table.render(rows))
            \(pager.render())
            </section>
            """
    }
}
