/// An error shown to the person at the browser, for requests that must not be redirected
/// (unknown client, unregistered redirect URI) or cannot continue.
struct ErrorPage {
    let title: String
    let message: String
    var tenantName: String?

    func render() -> String {
        PageLayout.render(title: title, tenantName: tenantName, content: """
            <h1>\(HTML.escape(title))</h1>
            <p class="error">\(HTML.escape(message))</p>
            <p class="note">You can close this window and return to the app.</p>
            """)
    }
}
