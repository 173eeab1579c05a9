import DeskgateDesk
import DeskgateIdentity

/// `/t/{tenant}/admin/tokens/{id}/activity` and `/admin/apps/{id}/activity`: the ticket
/// changes made with one token or by one app, newest first.
struct AdminActivityPage {
    let activity: CredentialActivity.Page
    let kind: String
    /// This page's path, for "Older".
    let path: String
    /// Which page, counted from the newest (carried in the links; see `Pager`).
    var pageNumber = 1

    static let perPage = 50

    func render(_ page: SignedInPage) -> String {
        let base = AdminText.e(page.base)
        let table = RecordTable(id: "activity", caption: "Ticket changes, newest first", columns: [
            .init("When", cellClass: "when"), .init("Action", cellClass: "nowrap"), .init("Ticket"), .init("Change", cellClass: "details"),
        ])
        let rows = activity.entries.map { entry in
            let ticket = entry.ticketNumber.map { "<a href=\"\(base)/tickets/\($0)\">#\($0) \(AdminText.e(entry.ticketSubject ?? ""))</a>" } ?? "—"
            let change = entry.after.sorted { $0.key < $1.key }.map { key, value in
                (key: key, value: entry.before[key].map { "\($0) → \(value)" } ?? value)
            }
            return RecordTable.Row(cells: [AdminText.date(entry.createdAt), AdminText.e(entry.action), ticket,
                                           change.isEmpty ? "—" : RecordTable.details(change)])
        }
        let pager = Pager(number: pageNumber, perPage: Self.perPage, shown: rows.count, noun: "changes",
                          newest: pageNumber > 1 ? AdminText.e(path) : nil,
                          older: activity.nextBefore.map { "\(AdminText.e(path))?before=\($0)&amp;page=\(pageNumber + 1)" },
                          olderLabel: "Older changes")
        return """
            <p><a href="\(base)/admin/agents/\(activity.owner.id)">← \(AdminText.e(activity.owner.name))</a></p>
            <h1>What did this \(kind) do?</h1>
            <p>\(AdminText.e(kind.prefix(1).uppercased() + kind.dropFirst())) <strong>\(AdminText.e(activity.title))</strong> of \(AdminText.e(activity.owner.name)) &lt;\(AdminText.e(activity.owner.email ?? ""))&gt;: ticket changes from the activity history.</p>
            <section class="card">
            \(rows.isEmpty ? "<p class=\"note\" id=\"no-activity\">No ticket changes yet.</p>" : table.render(rows))
            \(pager.render())
            </section>
            """
    }
}
