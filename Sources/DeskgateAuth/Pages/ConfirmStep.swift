/// The confirmation every destructive action goes through, without JavaScript: the list shows
/// a link ("Revoke…") to a GET page that renders this step; its form POSTs the action with the
/// CSRF token; "Cancel" goes back. The POST route is the only place the action happens, so a
/// prefetch or a stray click on the list never destroys anything.
///
///     routes.get("/t/{tenant}/profile/mcp/tokens/{id}/revoke") { _, page, _ in
///         page.html(title: "Revoke token", content: ConfirmStep(…).render(page))
///     }
struct ConfirmStep {
    let heading: String
    /// What happens and whether it can be undone, in plain words.
    let consequence: String
    /// Label/value pairs identifying the object (name, masked id, …).
    var details: [(String, String)] = []
    /// The POST route that performs the action.
    let action: String
    let confirmLabel: String
    /// Where "Cancel" leads (the page the person came from).
    let cancel: String
    var hidden: [(String, String)] = []

    func render(_ page: SignedInPage) -> String {
        let rows = details.map { "<dt>\(HTML.escape($0.0))</dt><dd>\(HTML.escape($0.1))</dd>" }.joined(separator: "\n")
        let fields = hidden.map { "<input type=\"hidden\" name=\"\(HTML.escape($0.0))\" value=\"\(HTML.escape($0.1))\">" }
        return """
            <section class="confirm" aria-labelledby="confirm-heading">
            <h1 id="confirm-heading">\(HTML.escape(heading))</h1>
            \(rows.isEmpty ? "" : "<dl>\n\(rows)\n</dl>")
            <p class="warning">\(HTML.escape(consequence))</p>
            <form method="post" action="\(HTML.escape(action))" class="actions">
            \(page.csrfField)
            \(fields.joined(separator: "\n"))
            <button type="submit" class="danger">\(HTML.escape(confirmLabel))</button>
            <a class="button secondary" href="\(HTML.escape(cancel))">Cancel</a>
            </form>
            </section>
            """
    }
}
