import DeskgateDesk

/// A list of records (agents, tokens, apps, log events): one markup for both widths. At desk
/// widths it is a real table (`<thead>` with `scope="col"`, numbers right-aligned, text wrapping
/// only at spaces); under 900 px the stylesheet turns each row into a card and each cell shows its
/// column's name from `data-label` (the cards the pages had before). One markup rather than two
/// renderings: the page is sent once, tests and assistive technology see the same rows at every
/// width, and no `hidden` copy can drift from the visible one.
struct RecordTable {
    struct Column {
        let label: String
        /// Right-aligned, tabular figures (counts, durations).
        var numeric = false
        /// A class every cell of the column carries (`actor`, `tool`, …: tests and styles find it).
        var cellClass: String?

        init(_ label: String, numeric: Bool = false, cellClass: String? = nil) {
            self.label = label
            self.numeric = numeric
            self.cellClass = cellClass
        }
    }

    struct Row {
        /// Attributes of the `<tr>`, already escaped (`data-kind="…"`), or "".
        var attributes = ""
        /// One HTML fragment per column, already escaped.
        let cells: [String]
    }

    /// The table's `id` (tests and links find it by this).
    let id: String
    /// Read by screen readers as the table's name; visually hidden (the section's heading shows it).
    let caption: String
    let columns: [Column]

    /// The table in a box that scrolls sideways on its own if a cell holds something wider than
    /// the page (a long client id URL), so the page itself never does.
    func render(_ rows: [Row]) -> String {
        let head = columns.map { column in
            "<th scope=\"col\"\(column.numeric ? " class=\"num\"" : "")>\(HTML.escape(column.label))</th>"
        }.joined()
        let body = rows.map { row in
            let cells = zip(columns, row.cells).map { column, cell in
                let classes = [column.cellClass, column.numeric ? "num" : nil].compactMap { $0 }
                let classAttribute = classes.isEmpty ? "" : " class=\"\(classes.joined(separator: " "))\""
                return "<td data-label=\"\(HTML.escape(column.label))\"\(classAttribute)>\(cell)</td>"
            }.joined()
            return "<tr\(row.attributes.isEmpty ? "" : " " + row.attributes)>\(cells)</tr>"
        }.joined(separator: "\n")
        return """
            <div class="table-wrap">
            <table class="records" id="\(HTML.escape(id))">
            <caption class="visually-hidden">\(HTML.escape(caption))</caption>
            <thead><tr>\(head)</tr></thead>
            <tbody>
            \(body)
            </tbody>
            </table>
            </div>
            """
    }

    /// A record's details (`key=value` members of a log event) as text that wraps between
    /// members, never inside one unless a single member is wider than the cell.
    static func details(_ pairs: [(key: String, value: String)]) -> String {
        pairs.map { key, value in
            "<span class=\"kv\"><span class=\"k\">\(HTML.escape(key))</span>=\(HTML.escape(value))</span>"
        }.joined(separator: " ")
    }
}

/// Where a keyset-paged list is ("Page 2 · events 51–100"), with links to the newest page and
/// the next older one. The page number travels in the links (`page=`): keyset paging by `before`
/// does not know it otherwise, and counting every matching row would cost a scan of the log.
struct Pager {
    /// 1 for the newest page.
    let number: Int
    let perPage: Int
    /// Rows on this page.
    let shown: Int
    /// "events", "calls", "changes": a plural that drops its "s" for one.
    let noun: String
    /// The first page (nil on it), escaped for an attribute.
    let newest: String?
    /// The next older page (nil on the last), escaped for an attribute.
    let older: String?
    /// The older link's text ("Older events").
    let olderLabel: String

    /// `page=` from a query: a positive number, else 1 (a wrong one only mislabels the page).
    static func number(_ text: String?) -> Int {
        guard let text, let value = Int(text), value > 0, value < 1_000_000 else { return 1 }
        return value
    }

    /// "All 34 events" on a single page, else "Page 2 · events 51–100" ("· the oldest" on the last).
    var position: String {
        let one = String(noun.dropLast())
        if number == 1 && older == nil { return shown == 1 ? "1 \(one)" : "All \(UsageLimits.grouped(shown)) \(noun)" }
        let first = (number - 1) * perPage + 1
        let last = first + shown - 1
        let range = switch shown {
        case 0: "no \(noun)"
        case 1: "\(one) \(UsageLimits.grouped(first))"
        default: "\(noun) \(UsageLimits.grouped(first))–\(UsageLimits.grouped(last))"
        }
        return "Page \(UsageLimits.grouped(number)) · \(range)" + (older == nil ? " · the oldest" : "")
    }

    /// Nothing when there is nothing at all (the page says "No events match." itself).
    func render() -> String {
        guard shown > 0 || number > 1 else { return "" }
        var links: [String] = []
        if let newest { links.append("<a id=\"newest\" href=\"\(newest)\" rel=\"first\">Newest</a>") }
        if let older { links.append("<a class=\"button secondary\" id=\"older\" href=\"\(older)\" rel=\"next\">\(HTML.escape(olderLabel))</a>") }
        return """
            <nav class="pager" aria-label="Pages of \(HTML.escape(noun))">
            <p class="position" id="position">\(HTML.escape(position))</p>
            \(links.joined(separator: "\n"))
            </nav>
            """
    }
}
