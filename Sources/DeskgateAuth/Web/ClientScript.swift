import DeskgateHTTP

/// The only JavaScript of the pages, served as a same-origin file (`script-src 'self'`, no
/// inline script): copy buttons. A page marks one up as
///
///     <pre id="snippet-cursor">…</pre>
///     <button type="button" class="copy" data-copy="snippet-cursor" hidden>Copy</button>
///
/// Buttons start `hidden` and the script reveals them, so without JavaScript there is no
/// button that does nothing (the text is still selectable). Clicking copies the element's
/// text and says "Copied" for a moment; where the Clipboard API is unavailable it selects the
/// text and falls back to the copy command.
enum ClientScript {
    static let path = "/assets/copy.js"

    static let source = """
        "use strict";
        (function () {
          function flash(button, label) {
            var original = button.getAttribute("data-label") || button.textContent;
            button.setAttribute("data-label", original);
            button.textContent = label;
            window.setTimeout(function () { button.textContent = original; }, 2000);
          }
          function fallback(button, source) {
            var range = document.createRange();
            range.selectNodeContents(source);
            var selection = window.getSelection();
            selection.removeAllRanges();
            selection.addRange(range);
            var copied = false;
            try { copied = document.execCommand("copy"); } catch (e) { copied = false; }
            flash(button, copied ? "Copied" : "Press Ctrl+C to copy");
          }
          function copy(button) {
            var source = document.getElementById(button.getAttribute("data-copy"));
            if (!source) { return; }
            var text = source.textContent;
            if (navigator.clipboard && window.isSecureContext) {
              navigator.clipboard.writeText(text).then(function () { flash(button, "Copied"); },
                                                       function () { fallback(button, source); });
            } else {
              fallback(button, source);
            }
          }
          document.addEventListener("DOMContentLoaded", function () {
            var buttons = document.querySelectorAll("button[data-copy]");
            for (var i = 0; i < buttons.length; i++) {
              buttons[i].hidden = false;
              buttons[i].addEventListener("click", function (event) { copy(event.currentTarget); });
            }
          });
        })();

        """

    static func install(on router: Router) {
        router.get(path) { _, _ in
            .response(Response(status: .ok, headers: HTTPHeaders([("Content-Type", "text/javascript; charset=utf-8"),
                                                                  ("Cache-Control", "public, max-age=3600"),
                                                                  ("X-Content-Type-Options", "nosniff")]),
                               body: Array(source.utf8)))
        }
    }
}
