import DeskgateDesk
import DeskgateModel

/// `/t/{tenant}/admin/usage`: the tenant's MCP limits (requests a minute and writes an hour, per
/// token and for the whole help desk) and its use over the last 30 days, in all and per agent.
struct AdminUsagePage {
    let limits: UsageLimits
    let usage: UsageSummary
    let agents: [User]
    /// The limit fields as typed, when re-rendering a refused POST.
    var typed: [String: String] = [:]
    var errors = FieldErrors()

    static let fields: [(key: String, label: String)] = [
        ("calls_per_minute", "Requests a minute, per token or app"),
        ("tenant_calls_per_minute", "Requests a minute, whole help desk"),
        ("writes_per_hour", "Changes an hour, per token or app"),
        ("tenant_writes_per_hour", "Changes an hour, whole help desk"),
    ]

    func render(_ page: SignedInPage) -> String {
        let base = AdminText.e(page.base)
        let inputs = zip(Self.fields, limits.values).map { field, value in
            """
            <label for="\(field.key)">\(AdminText.e(field.label))</label>
            <input type="text" inputmode="numeric" id="\(field.key)" name="\(field.key)" value="\(AdminText.e(typed[field.key] ?? String(value)))"\(errors.attributes(field.key))>
            \(errors.message(field.key))
            """
        }.joined(separator: "\n")
        let used = agents.filter { usage.agents[$0.id] != nil }
        let table = RecordTable(id: "agent-usage", caption: "Use of MCP per agent, last \(UsageService.days) days", columns: [
            .init("Agent"), .init("Calls", numeric: true), .init("Changes", numeric: true), .init("Refused over a limit", numeric: true),
        ])
        let rows = used.isEmpty ? "<p class=\"note\" id=\"no-usage\">No MCP calls in the last \(UsageService.days) days.</p>" : table.render(used.map { user in
            let count = usage.agent(user.id)
            return RecordTable.Row(attributes: "data-agent-id=\"\(user.id)\"", cells: [
                "<a href=\"\(base)/admin/agents/\(user.id)\">\(AdminText.e(user.name))</a>",
                UsageLimits.grouped(count.calls), UsageLimits.grouped(count.writes), UsageLimits.grouped(count.refused),
            ])
        })
        return """
            <h1>Admin</h1>
            \(AdminText.tabs(page, current: .usage))
            <section class="card" aria-labelledby="usage-heading">
            <h2 id="usage-heading">Use of MCP, last \(UsageService.days) days</h2>
            <p id="tenant-usage">\(AdminText.e(usage.tenant.text))</p>
            \(rows)
            </section>
            <section class="card" aria-labelledby="limits-heading">
            <h2 id="limits-heading">Limits</h2>
            <p class="note">Over a request limit, the MCP server answers 429 with Retry-After; over a change limit, write tools return an error saying when the quota renews (at the start of each hour, UTC). 0 means no limit.</p>
            <form method="post" action="\(base)/admin/usage" novalidate>
            \(page.csrfField)
            \(inputs)
            <button type="submit">Save limits</button>
            </form>
            </section>
            """
    }
}

extension AdminEndpoint {
    /// The limits and usage routes (issue 19).
    func installUsage(on routes: PageRoutes) {
        let storage = service.storage
        routes.get("/t/{tenant}/admin/usage", .admin) { _, page, db in
            let view = AdminUsagePage(limits: UsageLimits(settingsJSON: page.tenant.settingsJSON),
                                      usage: try UsageService(storage: storage).summary(tenant: page.tenant, on: db),
                                      agents: try AgentDirectory.users(page.tenant, on: db))
            return page.html(title: "Limits and usage", section: .admin, content: view.render(page))
        }
        routes.post("/t/{tenant}/admin/usage", .admin) { _, page, form in
            var errors = FieldErrors()
            var values: [Int] = []
            for field in AdminUsagePage.fields {
                let text = (form[field.key] ?? "").trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ",", with: "")
                if let value = Int(text), (0...UsageLimits.maximum).contains(value) { values.append(value) } else {
                    errors.add(field.key, "Enter a whole number from 0 (no limit) to \(UsageLimits.grouped(UsageLimits.maximum)).")
                    values.append(0)
                }
            }
            if errors.isEmpty {
                _ = try TenantService(storage: storage).setUsageLimits(
                    UsageLimits(callsPerMinute: values[0], tenantCallsPerMinute: values[1], writesPerHour: values[2],
                                tenantWritesPerHour: values[3]), slug: page.slug, by: .agent(userID: page.user.id))
                return try page.redirect(to: "\(page.base)/admin/usage", flash: .success("Limits saved."))
            }
            var typed: [String: String] = [:]
            for field in AdminUsagePage.fields { typed[field.key] = form[field.key] ?? "" }
            let view = try storage.withReader { db in
                AdminUsagePage(limits: UsageLimits(settingsJSON: page.tenant.settingsJSON),
                               usage: try UsageService(storage: storage).summary(tenant: page.tenant, on: db),
                               agents: try AgentDirectory.users(page.tenant, on: db), typed: typed, errors: errors)
            }
            return page.html(title: "Limits and usage", section: .admin, content: view.render(page),
                             banner: .error("The limits were not saved: see the messages below."), status: .unprocessableContent)
        }
    }
}
