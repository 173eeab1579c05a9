import DeskgateDesk
import DeskgateIdentity

/// The consent screen: which app (name, client id or document URL, where it sends you back),
/// what it may do, in which tenant; approve or deny.
struct ConsentPage {
    let slug: String
    let tenantName: String
    let userEmail: String
    let appName: String
    let clientID: String
    let isMetadataDocument: Bool
    let redirectURI: String
    let scopes: Scopes
    let csrf: String
    let requestID: String
    /// `/t/{slug}`, or "" on the tenant's own host (`TenantSite`).
    let prefix: String

    static func plainWords(_ scope: Scopes) -> String {
        switch scope {
        case .ticketsRead: return "Read tickets and their messages you can see"
        case .ticketsWrite: return "Change tickets: tag, assign, transfer, resolve, reopen, add notes and create tickets, as you"
        case .directoryRead: return "See the agents, users and departments of this help desk"
        default: return scope.text
        }
    }

    /// The person's own approval rule for this app (issue 18): each change waits for them.
    static let askFirst = """
        <p><input type="checkbox" id="ask-first" name="ask_first" value="on"> <label for="ask-first">Ask me before this app changes tickets (each change waits until I approve it on a page)</label></p>
        """

    func render() -> String {
        // One box per scope asked for, ticked: the person may untick what the app should not get.
        let items = scopes.members.map { scope in
            let id = "allow-" + scope.text.replacingOccurrences(of: ":", with: "-")
            return "<li><input type=\"checkbox\" id=\"\(id)\" name=\"allow:\(HTML.escape(scope.text))\" value=\"on\" checked> "
                + "<label for=\"\(id)\">\(HTML.escape(Self.plainWords(scope))) <code>\(HTML.escape(scope.text))</code></label></li>"
        }
        let host = RedirectURIPolicy.displayHost(redirectURI)
        let loopback = RedirectURIPolicy.isLoopback(redirectURI)
            ? "<p class=\"warning\">This app runs on this computer (it receives the answer at \(HTML.escape(host))). Only approve if you just started it.</p>"
            : ""
        return PageLayout.render(title: "Authorize \(appName)", tenantName: tenantName, content: """
            <h1>\(HTML.escape(appName)) wants to access \(HTML.escape(tenantName))</h1>
            <dl>
            <dt>\(isMetadataDocument ? "App (metadata document)" : "Client ID")</dt><dd>\(HTML.escape(clientID))</dd>
            <dt>Returns you to</dt><dd>\(HTML.escape(host))</dd>
            <dt>Help desk</dt><dd>\(HTML.escape(tenantName)) (\(HTML.escape(slug)))</dd>
            <dt>Signed in as</dt><dd>\(HTML.escape(userEmail))</dd>
            </dl>
            \(loopback)
            <form id="consent" method="post" action="\(HTML.escape(prefix))/consent">
            <p>It will be able to (untick what it should not get):</p>
            <ul class="scopes">
            \(items.joined(separator: "\n"))
            </ul>
            \(scopes.contains(.ticketsWrite) ? Self.askFirst : "")
            <input type="hidden" name="csrf" value="\(HTML.escape(csrf))">
            <input type="hidden" name="offered" value="\(HTML.escape(scopes.text))">
            <input type="hidden" name="request" value="\(HTML.escape(requestID))">
            <button type="submit" name="decision" value="approve">Approve</button>
            <button type="submit" name="decision" value="deny" class="secondary">Deny</button>
            </form>
            <p class="note">You can revoke this later; the app then loses access at once.</p>
            """)
    }
}
