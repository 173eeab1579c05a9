import DeskgateDesk
import DeskgateIdentity

/// `/t/{tenant}/admin/tokens/{id}/activity` and `/admin/apps/{id}/activity`: the ticket
/// changes made with one token or by one app, newest first.
struct AdminActivityPage {
    let activity: CredentialActivity.Page
    let kind: String
    /// This page's path, for "Older".
    let path: String

    func render(_ page: SignedInPage) -> String {
        let base = AdminText.e(page.base)
        let rows = activity.entries.map { entry -> String in
            let ticket = entry.ticketNumber.map { "<a href=\"\(base)/tickets/\($0)\">#\($0) \(AdminText.e(entry.ticketSubject ?? ""))</a>" } ?? "—"
            let change = entry.after.sorted { $0.key < $1.key }.map { key, value in
                entry.before[key].map { "\(key): \($0) → \(value)" } ?? "\(key): \(value)"
            }.joined(separator: "; ")
            return """
                <li>
                <dl>
                <div><dt>When</dt><dd>\(AdminText.date(entry.createdAt))</dd></div>
                <div><dt>Action</dt><dd>\(AdminText.e(entry.action))</dd></div>
                <div><dt>Ticket</dt><dd>\(ticket)</dd></div>
                <div><dt>Change</dt><dd>\(AdminText.e(change.isEmpty ? "—" : change))</dd></div>
                </dl>
                </li>
                """
        }.joined(separator: "\n")
        let older = activity.nextBefore.map { "<p><a class=\"button secondary\" href=\"\(AdminText.e(path))?before=\($0)\">Older</a></p>" } ?? ""
        return """
            <p><a href="\(base)/admin/agents/\(activity.owner.id)">← \(AdminText.e(activity.owner.name))</a></p>
            <h1>What did this \(kind) do?</h1>
            <p>\(AdminText.e(kind.prefix(1).uppercased() + kind.dropFirst())) <strong>\(AdminText.e(activity.title))</strong> of \(AdminText.e(activity.owner.name)) &lt;\(AdminText.e(activity.owner.email ?? ""))&gt;: ticket changes from the activity history.</p>
            <section class="card">
            \(rows.isEmpty ? "<p class=\"note\" id=\"no-activity\">No ticket changes yet.</p>" : "<ul class=\"items\" id=\"activity\">\n\(rows)\n</ul>")
            \(older)
            </section>
            """
    }
}
