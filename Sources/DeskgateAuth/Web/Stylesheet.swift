import DeskgateHTTP

/// The one stylesheet every page links (`style-src 'self'`: no inline styles anywhere).
/// Signed-in pages use, besides the basics: `main.wide`, `section.card`, `.banner.success` /
/// `.banner.error`, `.field-error` (after an input, see `FieldErrors`), `ul.items > li` (a list of
/// records that reads as cards on a phone), `table.records` (a `RecordTable`: a table at desk
/// widths, the same cards under 900 px), `nav.pager`, `.kv` (a detail member), `button.danger`, `a.button`, `pre.snippet` with a
/// `button.copy`, `.actions` (a row of buttons), `.badge`, `fieldset.choices`.
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
        a { color: var(--accent); }
        :focus-visible { outline: 3px solid #f0a800; outline-offset: 2px; box-shadow: 0 0 0 5px rgba(47, 91, 211, .35); }
        input:focus-visible, button:focus-visible, a:focus-visible, summary:focus-visible, select:focus-visible { outline: 3px solid #f0a800; outline-offset: 2px; }
        header.bar { display: flex; flex-wrap: wrap; align-items: center; gap: 8px 20px; }
        header.bar .brand { margin-right: auto; }
        header.bar nav { display: flex; flex-wrap: wrap; gap: 4px 16px; }
        header.bar nav a { text-decoration: none; padding: 4px 2px; border-bottom: 2px solid transparent; }
        header.bar nav a[aria-current=page] { border-bottom-color: var(--accent); color: inherit; }
        header.bar form.signout { display: flex; align-items: center; gap: 10px; margin: 0; }
        header.bar .who { color: var(--muted); font-weight: 400; font-size: .9rem; overflow-wrap: anywhere; }
        header.bar button { margin: 0; padding: 5px 12px; }
        main.wide { max-width: 980px; margin: 24px auto; padding: 24px 28px; }
        main.wide > h1 { font-size: 1.5rem; }
        h2 { font-size: 1.15rem; margin: 0 0 10px; }
        h3 { font-size: 1rem; margin: 16px 0 6px; }
        section.card { border-top: 1px solid var(--line); padding: 20px 0 8px; }
        .banner { padding: 10px 14px; border-radius: 6px; margin: 0 0 16px; }
        .banner.success { background: #e5f5ea; color: #17552b; }
        .banner.error { background: #fde8e8; color: #8a1c1c; }
        .field-error { color: #a11d1d; font-size: .9rem; margin: 4px 0 0; }
        [aria-invalid=true] { border-color: #c62828 !important; }
        input[type=text], input[type=number], input[type=search], select { width: 100%; max-width: 420px; padding: 8px 10px; border: 1px solid var(--line); border-radius: 6px; font: inherit; }
        fieldset.choices { border: 1px solid var(--line); border-radius: 6px; margin: 14px 0 0; padding: 8px 12px 10px; }
        fieldset.choices legend { font-weight: 500; padding: 0 4px; }
        fieldset.choices label { display: flex; gap: 8px; align-items: baseline; margin: 6px 0; font-weight: 400; }
        button.danger { background: #b3261e; border-color: #b3261e; }
        a.button { display: inline-block; margin-top: 18px; padding: 9px 18px; border-radius: 6px; border: 1px solid var(--accent); text-decoration: none; }
        a.button.secondary { margin-left: 8px; }
        a.button.danger { color: #b3261e; border-color: #b3261e; margin: 0; padding: 5px 12px; }
        .actions { display: flex; flex-wrap: wrap; align-items: center; gap: 8px; }
        .actions button, .actions a.button { margin: 0; }
        ul.items { list-style: none; margin: 0; padding: 0; }
        ul.items > li { border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; margin: 0 0 10px; display: flex; flex-wrap: wrap; gap: 6px 18px; align-items: flex-start; }
        ul.items > li dl { flex: 1 1 520px; display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 8px 16px; margin: 0; }
        ul.items > li dl > div { min-width: 0; }
        ul.items > li dt { margin-top: 0; }
        ul.items > li dd { word-break: normal; overflow-wrap: anywhere; }
        .badge { display: inline-block; padding: 0 8px; border-radius: 10px; background: #fff6dc; color: #6b4e00; font-size: .8rem; }
        .snippet-block { margin: 10px 0 14px; }
        .snippet-head { display: flex; justify-content: space-between; align-items: center; gap: 10px; }
        .snippet-head > code, .snippet-head > span, .snippet-head > h3 { min-width: 0; overflow-wrap: anywhere; }
        pre.snippet, pre.secret { margin: 6px 0 0; padding: 10px 12px; background: #f0f2f6; border: 1px solid var(--line); border-radius: 6px; overflow-x: auto; font-size: .85rem; max-width: 100%; }
        pre.secret { white-space: pre-wrap; word-break: break-all; font-size: 1rem; }
        pre.body { margin: 6px 0 0; white-space: pre-wrap; overflow-wrap: anywhere; font: inherit; max-width: 100%; }
        button.copy { flex: none; white-space: nowrap; margin: 0; padding: 4px 12px; background: transparent; color: var(--accent); }
        .reveal { border: 2px solid #2e7d32; border-radius: 8px; padding: 12px 14px; margin: 0 0 16px; background: #f3fbf4; }
        .visually-hidden { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
        table.records { width: 100%; border-collapse: collapse; margin: 0 0 12px; font-size: .93rem; }
        table.records th { text-align: left; vertical-align: bottom; padding: 6px 8px; border-bottom: 2px solid var(--line); color: var(--muted); font-size: .82rem; font-weight: 600; white-space: nowrap; }
        table.records td { text-align: left; vertical-align: top; padding: 8px; border-bottom: 1px solid var(--line); overflow-wrap: normal; word-break: normal; }
        table.records tbody tr:hover { background: rgba(47, 91, 211, .04); }
        table.records .num { text-align: right; font-variant-numeric: tabular-nums; }
        table.records th.num, table.records .nowrap { white-space: nowrap; }
        table.records td.when { white-space: nowrap; }
        .table-wrap { max-width: 100%; overflow-x: auto; }
        table.records td.row-actions { white-space: nowrap; text-align: right; }
        table.records td.row-actions a { margin-left: 10px; }
        table.records td.row-actions a.button { margin: 0 0 0 10px; }
        table.records .note { font-size: .85rem; }
        .kv { display: inline-block; max-width: 100%; overflow-wrap: break-word; margin-right: .5em; }
        .kv .k { color: var(--muted); }
        nav.pager { display: flex; flex-wrap: wrap; align-items: center; gap: 8px 16px; margin: 4px 0 8px; }
        nav.pager p { margin: 0; color: var(--muted); }
        nav.pager a.button { margin: 0; }
        nav.tabs { display: flex; flex-wrap: wrap; gap: 4px 18px; margin: 0 0 8px; }
        nav.tabs a { text-decoration: none; padding: 4px 2px; border-bottom: 2px solid transparent; }
        nav.tabs a[aria-current=page] { border-bottom-color: var(--accent); color: inherit; font-weight: 500; }
        @media (min-width: 1280px) { main.wide { max-width: 1200px; } }
        @media (max-width: 899px) {
          table.records, table.records tbody { display: block; }
          table.records thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
          table.records tr { border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; margin: 0 0 10px; display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 8px 16px; }
          table.records tbody tr:hover { background: transparent; }
          table.records td, table.records td.when, table.records td.nowrap, table.records .num { display: block; min-width: 0; padding: 0; border: 0; text-align: left; white-space: normal; overflow-wrap: anywhere; }
          table.records td::before { content: attr(data-label); display: block; color: var(--muted); font-size: .85rem; }
          table.records td.row-actions { grid-column: 1 / -1; text-align: left; }
          table.records td.row-actions::before { content: none; }
          table.records td.row-actions a:first-child { margin-left: 0; }
        }
        @media (max-width: 600px) {
          main, main.wide { margin: 0; border-radius: 0; border-left: 0; border-right: 0; padding: 18px 16px; }
          header { padding: 12px 16px; }
        }
        @media (prefers-color-scheme: dark) {
          body { background: #16181d; color: #e6e7ea; }
          header, main { background: #1f2228; }
          :root { --line: #3a3f4a; --muted: #a0a4ad; --accent: #7c9cff; }
          pre.snippet, pre.secret { background: #262a32; }
          .reveal { background: #1c2a1e; }
        }
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
