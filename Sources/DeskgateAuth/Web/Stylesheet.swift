import DeskgateHTTP

/// The one stylesheet every page links (`style-src 'self'`: no inline styles anywhere).
enum Stylesheet {
    static let path = "/assets/deskgate.css"

    static let css = """
        :root { color-scheme: light dark; --accent: #2f5bd3; --muted: #667; --line: #d8dbe3; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; background: #f4f5f8; color: #1d1f24; }
        header { padding: 14px 24px; border-bottom: 1px solid var(--line); background: #fff; font-weight: 600; }
        header .tenant { color: var(--muted); font-weight: 400; margin-left: 8px; }
        main { max-width: 460px; margin: 40px auto; padding: 28px; background: #fff; border: 1px solid var(--line); border-radius: 10px; }
        h1 { font-size: 1.35rem; margin: 0 0 16px; }
        label { display: block; margin: 14px 0 4px; font-weight: 500; }
        input[type=email], input[type=password] { width: 100%; padding: 9px 10px; border: 1px solid var(--line); border-radius: 6px; font: inherit; }
        button { margin-top: 18px; padding: 9px 18px; border-radius: 6px; border: 1px solid var(--accent); background: var(--accent); color: #fff; font: inherit; cursor: pointer; }
        button.secondary { background: transparent; color: var(--accent); margin-left: 8px; }
        .error { padding: 10px 12px; border-radius: 6px; background: #fde8e8; color: #8a1c1c; margin-bottom: 12px; }
        .note { color: var(--muted); font-size: .9rem; }
        .warning { padding: 8px 12px; border-radius: 6px; background: #fff6dc; color: #6b4e00; font-size: .9rem; }
        dl { margin: 0 0 12px; } dt { color: var(--muted); font-size: .85rem; margin-top: 8px; } dd { margin: 0; word-break: break-all; }
        ul.scopes { padding-left: 20px; }
        code { font-size: .9em; }
        """

    static func install(on router: Router) {
        router.get(path) { _, _ in
            .response(Response(status: .ok, headers: HTTPHeaders([("Content-Type", "text/css; charset=utf-8"),
                                                                  ("Cache-Control", "public, max-age=3600"),
                                                                  ("X-Content-Type-Options", "nosniff")]),
                               body: Array(css.utf8)))
        }
    }
}
