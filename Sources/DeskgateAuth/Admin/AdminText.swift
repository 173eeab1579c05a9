import DeskgateModel
import DeskgateSystem

/// Small pieces every admin page shares: the sub-navigation, dates, escaping shortcuts.
enum AdminText {
    enum Tab { case agents, security, mcp, usage, audit }

    /// The admin pages' own navigation, under the signed-in layout's main nav.
    static func tabs(_ page: SignedInPage, current: Tab) -> String {
        let base = HTML.escape(page.base)
        func link(_ path: String, _ label: String, _ tab: Tab) -> String {
            "<a href=\"\(base)/admin\(path)\"\(tab == current ? " aria-current=\"page\"" : "")>\(label)</a>"
        }
        return "<nav class=\"tabs\" aria-label=\"Admin\">" + link("", "Agents", .agents) + link("/security", "Security log", .security)
            + link("/mcp", "MCP settings", .mcp) + link("/usage", "Limits and usage", .usage) + link("/audit", "MCP audit log", .audit)
            + "</nav>"
    }

    /// `2026-12-01 20:45 UTC`
    static func date(_ milliseconds: Int64?) -> String {
        guard let milliseconds else { return "never" }
        let iso = Timestamp.iso8601(milliseconds: milliseconds)
        return String(iso.prefix(10)) + " " + String(iso.dropFirst(11).prefix(5)) + " UTC"
    }

    static func e(_ text: String) -> String { HTML.escape(text) }

    static func person(_ user: User) -> String { "\(user.name) <\(user.email)>" }

    /// A person in a table cell: the name, and the email under it (so neither is broken mid-word).
    static func personCell(_ person: PersonRef?, none: String) -> String {
        guard let person else { return e(none) }
        guard let email = person.email, !email.isEmpty else { return e(person.name) }
        return e(person.name) + "<br><span class=\"note\">&lt;" + e(email) + "&gt;</span>"
    }

    static let roles: [(UserRole, String)] = [(.admin, "Admin"), (.agent, "Agent"), (.viewer, "Viewer")]

    static func roleOptions(selected: UserRole) -> String {
        roles.map { role, label in
            "<option value=\"\(role.rawValue)\"\(role == selected ? " selected" : "")>\(label)</option>"
        }.joined()
    }

    /// A positive id from a path or query parameter.
    static func id(_ text: String?) -> Int64? {
        guard let text, let value = Int64(text), value > 0 else { return nil }
        return value
    }
}

extension [String] {
    /// Query items (each already escaped for an attribute) as `?a=1&amp;b=2`, or "" when none.
    var joinedQuery: String { isEmpty ? "" : "?" + joined(separator: "&amp;") }
}
