/// The frame every page of the authorization server shares (login, consent, errors; the
/// profile and admin pages later): title, tenant name, the stylesheet, the content.
/// `content` is HTML the caller built with `HTML.escape` around every dynamic value.
enum PageLayout {
    static func render(title: String, tenantName: String?, content: String) -> String {
        let tenant = tenantName.map { "<span class=\"tenant\">\(HTML.escape($0))</span>" } ?? ""
        return head(title: "\(HTML.escape(title)) · Deskgate") + """

            <body>
            <header>Deskgate\(tenant)</header>
            <main>
            \(content)
            </main>
            </body>
            </html>
            """
    }

    /// The document start every page shares, up to `</head>`: one stylesheet, no referrer, and
    /// (signed-in pages) the one small script; `title` is already escaped.
    static func head(title: String, script: Bool = false) -> String {
        """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="referrer" content="no-referrer">
        <title>\(title)</title>
        <link rel="stylesheet" href="\(Stylesheet.path)">
        """ + (script ? "\n<script src=\"\(ClientScript.path)\" defer></script>" : "") + "\n</head>"
    }
}
