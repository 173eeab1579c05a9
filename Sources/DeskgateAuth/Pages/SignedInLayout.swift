/// The frame of every signed-in page (profile, admin): header with the tenant name, the nav
/// ("MCP Integration"; "Admin" for admins only), the user and "Sign out" (a POST form with the
/// session's CSRF token, so a link elsewhere cannot sign you out), then the banner and content.
/// Pages get it through `SignedInPage.html(title:section:content:)`, never directly.
struct SignedInLayout {
    enum Section: Sendable { case profile, admin }

    let page: SignedInPage
    let section: Section?

    func render(title: String, banner: Flash?, content: String) -> String {
        let base = HTML.escape(page.base)
        func link(_ href: String, _ label: String, _ this: Section) -> String {
            let current = section == this ? " aria-current=\"page\"" : ""
            return "<a href=\"\(href)\"\(current)>\(label)</a>"
        }
        var links = [link("\(base)/profile/mcp", "MCP Integration", .profile)]
        if page.isAdmin { links.append(link("\(base)/admin", "Admin", .admin)) }
        return PageLayout.head(title: "\(HTML.escape(title)) · \(HTML.escape(page.tenant.name)) · Deskgate", script: true) + """

            <body class="signed-in">
            <header class="bar">
            <span class="brand">Deskgate<span class="tenant">\(HTML.escape(page.tenant.name))</span></span>
            <nav aria-label="Main">\(links.joined())</nav>
            <form method="post" action="\(base)/logout" class="signout">
            \(page.csrfField)
            <span class="who">\(HTML.escape(page.user.email))</span>
            <button type="submit" class="secondary">Sign out</button>
            </form>
            </header>
            <main class="wide">
            \(banner.map(Self.banner) ?? "")
            \(content)
            </main>
            </body>
            </html>
            """
    }

    /// Success is a polite status, an error an alert (read out at once).
    static func banner(_ flash: Flash) -> String {
        switch flash.kind {
        case .success: return "<p class=\"banner success\" role=\"status\">\(HTML.escape(flash.message))</p>"
        case .error: return "<p class=\"banner error\" role=\"alert\">\(HTML.escape(flash.message))</p>"
        }
    }
}
