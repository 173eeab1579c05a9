import DeskgateDesk
import DeskgateModel

/// `/t/{tenant}/admin/mcp`: the tenant's MCP settings: tool families, read-only mode, the
/// per-call token argument (with its warning), and the data limit. Validation failures come
/// back with the form as sent and a message by the field.
struct AdminMCPSettingsPage {
    let settings: MCPSettings
    let departments: [Department]
    let tags: [Tag]
    /// The tags, denied tools and allowed apps fields as typed, when re-rendering a failed POST.
    var tagText: String?
    var deniedText: String?
    var appsText: String?
    var errors = FieldErrors()

    func render(_ page: SignedInPage) -> String {
        let base = AdminText.e(page.base)
        func checkbox(_ name: String, _ value: String, _ checked: Bool, _ label: String, id: String) -> String {
            "<label for=\"\(id)\"><input type=\"checkbox\" id=\"\(id)\" name=\"\(name)\" value=\"\(AdminText.e(value))\"\(checked ? " checked" : "")> <span>\(label)</span></label>"
        }
        let families = [("helpdesk", "Help-desk tools (get_ticket_context, search_tickets, resolve_ticket, …)"),
                        ("workflow", "Workflow tools (ticket_list, ticket_detail, ticket_handle, …)")]
            .map { checkbox("family", $0.0, settings.toolFamilies.contains($0.0), AdminText.e($0.1), id: "family-\($0.0)") }
            .joined(separator: "\n")
        let limitDepartments = departments.map {
            checkbox("limit_department", String($0.id), settings.dataLimit.departmentIDs.contains($0.id), AdminText.e($0.name),
                     id: "limit-department-\($0.id)")
        }.joined(separator: "\n")
        let tagNames = tagText ?? tags.filter { settings.dataLimit.tagIDs.contains($0.id) }.map(\.name).joined(separator: ", ")
        return """
            <h1>Admin</h1>
            \(AdminText.tabs(page, current: .mcp))
            <form method="post" action="\(base)/admin/mcp" novalidate>
            \(page.csrfField)
            <section class="card" aria-labelledby="tools-heading">
            <h2 id="tools-heading">Tools</h2>
            <fieldset class="choices" id="tool_families"\(errors.attributes("tool_families"))><legend>Tool families exposed over MCP</legend>
            \(families)
            </fieldset>
            \(errors.message("tool_families"))
            <fieldset class="choices"><legend>Writing</legend>
            \(checkbox("read_only", "on", settings.readOnly, "Read-only: leave write tools out of tools/list and refuse them", id: "read_only"))
            </fieldset>
            <label for="approval">Writes that wait for a person's approval</label>
            <select id="approval" name="approval"\(errors.attributes("approval"))>
            \(ApprovalPolicy.allCases.map { policy in
                "<option value=\"\(policy.rawValue)\"\(policy == settings.approval ? " selected" : "")>\(AdminText.e(ApprovalText.describe(policy)))</option>"
            }.joined(separator: "\n"))
            </select>
            \(errors.message("approval"))
            <p class="note">A waiting change is shown to the agent whose token or app asked, on a page where they approve or decline it; the tool commits it only after that. Agents can add approvals for their own tokens and apps, never remove these.</p>
            <label for="denied_tools">Tools turned off (comma-separated names; they leave tools/list and are refused)</label>
            <input type="text" id="denied_tools" name="denied_tools" value="\(AdminText.e(deniedText ?? settings.deniedTools.sorted().joined(separator: ", ")))"\(errors.attributes("denied_tools"))>
            \(errors.message("denied_tools"))
            <label for="allowed_apps">Apps allowed to connect (client ids or hosts of metadata document URLs, comma-separated; empty: any app)</label>
            <input type="text" id="allowed_apps" name="allowed_apps" value="\(AdminText.e(appsText ?? settings.allowedApps.sorted().joined(separator: ", ")))"\(errors.attributes("allowed_apps"))>
            \(errors.message("allowed_apps"))
            <fieldset class="choices"><legend>Per-call token argument</legend>
            \(checkbox("access_token_argument", "on", settings.accessTokenArgument, "Accept the access token as an <code>access_token</code> tool argument", id: "access_token_argument"))
            <p class="warning">For AI clients that cannot send headers. This exposes the token to the model: it travels through the model and its conversation history, where anyone who can read them can copy it. Prefer the Authorization header or OAuth.</p>
            </fieldset>
            </section>
            <section class="card" aria-labelledby="limit-heading">
            <h2 id="limit-heading">Data limit</h2>
            <p class="note">Limits what every MCP token and app of this help desk can reach, whatever the person's role. Tickets outside the limit look like missing tickets to MCP and never appear in lists or searches. Leave both empty for no limit. The web pages and the CLI are not limited.</p>
            <fieldset class="choices" id="limit_departments"\(errors.attributes("limit_departments"))><legend>Only tickets of these departments</legend>
            \(limitDepartments.isEmpty ? "<p class=\"note\">No departments yet.</p>" : limitDepartments)
            </fieldset>
            \(errors.message("limit_departments"))
            <label for="limit_tags">Only tickets with one of these tags (comma-separated)</label>
            <input type="text" id="limit_tags" name="limit_tags" value="\(AdminText.e(tagNames))"\(errors.attributes("limit_tags"))>
            \(errors.message("limit_tags"))
            <fieldset class="choices"><legend>Writing inside the limit</legend>
            \(checkbox("limit_allows_writes", "on", settings.dataLimit.allowsWrites, "MCP may change tickets inside the limit", id: "limit_allows_writes"))
            </fieldset>
            </section>
            <button type="submit">Save MCP settings</button>
            </form>
            """
    }
}
