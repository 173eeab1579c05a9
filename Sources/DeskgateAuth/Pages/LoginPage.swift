/// `GET /t/{tenant}/login`: email and password. The failure message never says whether the
/// account exists.
struct LoginPage {
    let slug: String
    let tenantName: String
    let csrf: String
    let next: String
    /// `/t/{slug}`, or "" on the tenant's own host (`TenantSite`).
    let prefix: String
    var email = ""
    var message: String?

    func render() -> String {
        let error = message.map { "<p class=\"error\" role=\"alert\">\(HTML.escape($0))</p>" } ?? ""
        let action = prefix + "/login"
        return PageLayout.render(title: "Sign in", tenantName: tenantName, content: """
            <h1>Sign in to \(HTML.escape(tenantName))</h1>
            \(error)
            <form method="post" action="\(HTML.escape(action))">
            <input type="hidden" name="csrf" value="\(HTML.escape(csrf))">
            <input type="hidden" name="next" value="\(HTML.escape(next))">
            <label for="email">Email</label>
            <input id="email" type="email" name="email" value="\(HTML.escape(email))" autocomplete="username" required autofocus>
            <label for="password">Password</label>
            <input id="password" type="password" name="password" autocomplete="current-password" required>
            <button type="submit">Sign in</button>
            </form>
            """)
    }

    static let genericFailure = "The email or password is not correct."
    static let throttled = "Too many failed sign-in attempts. Wait a few minutes and try again."
}
