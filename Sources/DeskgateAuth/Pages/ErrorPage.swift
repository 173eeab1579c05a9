/// An error shown to the person at the browser, for requests that must not be redirected
/// (unknown client, unregistered redirect URI) or cannot continue.
struct ErrorPage {
    let title: String
    let message: String
    var tenantName: String?
    /// A way on for a signed-in person (the 403 of an admin page links back to their profile);
    /// nil: the page of the OAuth flows, which sends them back to their app.
    var link: (href: String, label: String)?

    func render() -> String {
        let next = link.map { "<p><a href=\"\(HTML.escape($0.href))\">\(HTML.escape($0.label))</a></p>" }
            ?? "<p class=\"note\">You can close this window and return to the app.</p>"
        return PageLayout.render(title: title, tenantName: tenantName, content: """
            <h1>\(HTML.escape(title))</h1>
            <p class="error">\(HTML.escape(message))</p>
            \(next)
            """)
    }
}
