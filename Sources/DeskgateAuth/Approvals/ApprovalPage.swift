import DeskgateDesk
import DeskgateIdentity
import DeskgateModel
import DeskgateHTTP
import DeskgateSystem

/// `/t/{tenant}/approvals/{id}`: a write a model asked for, as its own user decides it. It
/// shows exactly what would change (the dry run of the call's arguments), who asked (the app
/// or the masked token), the arguments, and when it expires; approve or decline while it is
/// pending. Only the approval's own user sees it: another signed-in user gets the same
/// not-found page as for an id that does not exist.
struct ApprovalPage {
    let view: ApprovalView
    let now: Int64

    func render(_ page: SignedInPage) -> String {
        let e = AdminText.e
        let approval = view.approval
        let status = approval.status(at: now)
        func rows(_ fields: [(String, String)]) -> String {
            fields.map { "<div><dt>\(e($0.0))</dt><dd>\(e($0.1))</dd></div>" }.joined(separator: "\n")
        }
        let change = view.before.isEmpty && view.after.isEmpty ? "" : """
            <div class="columns">
            <section><h3>Before</h3><dl id="before">\(rows(view.before))</dl></section>
            <section><h3>After</h3><dl id="after">\(rows(view.after))</dl></section>
            </div>
            """
        let decision: String
        switch status {
        case .pending:
            decision = """
                <form method="post" action="\(e(page.base))/approvals/\(e(approval.id))" class="decision">
                \(page.csrfField)
                <button type="submit" name="decision" value="approve" id="approve">Approve this change</button>
                <button type="submit" name="decision" value="decline" id="decline" class="danger">Decline</button>
                </form>
                <p class="note">Approving lets \(e(view.credential)) make exactly this change once, with these arguments, before \(AdminText.date(approval.expiresAt)). Nothing changes until it calls again.</p>
                """
        case .approved:
            decision = "<p class=\"success\" id=\"status\" role=\"status\">Approved. Go back to your AI tool: it will make the change when it calls again (before \(AdminText.date(approval.expiresAt))).</p>"
        case .declined:
            decision = "<p class=\"warning\" id=\"status\" role=\"status\">Declined\(approval.decidedAt.map { " on \(AdminText.date($0))" } ?? ""). Nothing was changed.</p>"
        case .used:
            decision = "<p class=\"success\" id=\"status\" role=\"status\">Approved and done: the change was made \(approval.usedAt.map { AdminText.date($0) } ?? "").</p>"
        case .expired:
            decision = "<p class=\"warning\" id=\"status\" role=\"status\">Expired: nothing was changed. Ask your AI tool to try again if you still want this change.</p>"
        }
        return """
            <h1>Approve a change?</h1>
            <p class="note">\(e(view.credential)) wants to act as you (\(e(page.user.email))) with the tool <code>\(e(approval.tool))</code>.</p>
            <section class="card" aria-labelledby="what-heading">
            <h2 id="what-heading">What would change</h2>
            <p id="summary"><strong>\(e(view.summary))</strong></p>
            \(change)
            <details><summary>The call's arguments</summary><pre id="arguments">\(e(view.arguments))</pre></details>
            <dl>
            <div><dt>Asked</dt><dd>\(AdminText.date(approval.createdAt))</dd></div>
            <div><dt>Expires</dt><dd>\(AdminText.date(approval.expiresAt))</dd></div>
            </dl>
            </section>
            <section class="card" aria-labelledby="decision-heading">
            <h2 id="decision-heading">Your decision</h2>
            \(decision)
            </section>
            """
    }
}

/// The routes of `ApprovalPage`: GET shows it, POST records approve or decline.
struct ApprovalPageRoute {
    let service: AuthService

    func install(on router: Router) {
        let routes = PageRoutes(service: service, router: router)
        let approvals = ApprovalService(storage: service.storage)
        routes.get("/t/{tenant}/approvals/{id}") { request, page, db in
            guard let view = try approvals.approval(request.parameter("id"), userID: page.user.id, tenant: page.tenant, on: db) else {
                throw DeskError.notFound("approval")
            }
            return page.html(title: "Approve a change?", section: .profile,
                             content: ApprovalPage(view: view, now: WallClock.milliseconds()).render(page))
        }
        routes.post("/t/{tenant}/approvals/{id}") { request, page, form in
            let id = request.parameter("id")
            guard let choice = form["decision"], choice == "approve" || choice == "decline" else {
                throw DeskError.invalid(field: "decision", reason: "choose approve or decline")
            }
            let decided = try approvals.decide(id, approve: choice == "approve", userID: page.user.id, tenant: page.tenant,
                                               now: WallClock.milliseconds())
            let flash: Flash = choice == "approve"
                ? .success("Approved. \(decided.credential) can make this change once, when it calls again.")
                : .success("Declined. Nothing was changed.")
            return try page.redirect(to: "\(page.base)/approvals/\(id)", flash: flash)
        }
    }
}
