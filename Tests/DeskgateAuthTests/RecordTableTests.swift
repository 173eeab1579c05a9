import Testing
@testable import DeskgateAuth

/// The admin and profile lists' markup (issue 20): a real table with column headers for desk
/// widths, every cell labelled for the narrow cards, details as members that wrap between each
/// other, and paging that says where you are.
struct RecordTableTests {
    static let table = RecordTable(id: "events", caption: "Security events", columns: [
        .init("When", cellClass: "when"), .init("By", cellClass: "actor"), .init("Calls", numeric: true),
    ])

    @Test func headersAreColumnHeadersAndEveryCellCarriesItsLabel() {
        let html = Self.table.render([RecordTable.Row(attributes: "data-kind=\"login\"", cells: ["today", "Ann", "1,204"])])
        #expect(html.contains("<table class=\"records\" id=\"events\">"))
        #expect(html.contains("<caption class=\"visually-hidden\">Security events</caption>"))
        #expect(html.contains("<thead><tr><th scope=\"col\">When</th><th scope=\"col\">By</th><th scope=\"col\" class=\"num\">Calls</th></tr></thead>"))
        #expect(html.contains("<tr data-kind=\"login\"><td data-label=\"When\" class=\"when\">today</td>"
            + "<td data-label=\"By\" class=\"actor\">Ann</td><td data-label=\"Calls\" class=\"num\">1,204</td></tr>"))
        #expect(!html.contains("<ul"))
    }

    @Test func labelsAndCaptionAreEscaped() {
        let table = RecordTable(id: "x\"y", caption: "<b>", columns: [.init("A \"quoted\" <label>")])
        let html = table.render([RecordTable.Row(cells: ["cell"])])
        #expect(html.contains("id=\"x&quot;y\"") && html.contains("<caption class=\"visually-hidden\">&lt;b&gt;</caption>"))
        #expect(html.contains("data-label=\"A &quot;quoted&quot; &lt;label&gt;\""))
        #expect(!html.contains("<label>"))
    }

    @Test func detailsAreOneSpanPerMemberSeparatedBySpaces() {
        let html = RecordTable.details([(key: "access_token_argument", value: "false"), (key: "note", value: "<script>")])
        #expect(html == "<span class=\"kv\"><span class=\"k\">access_token_argument</span>=false</span> "
            + "<span class=\"kv\"><span class=\"k\">note</span>=&lt;script&gt;</span>")
    }

    static func pager(_ number: Int, shown: Int, older: Bool) -> Pager {
        Pager(number: number, perPage: 50, shown: shown, noun: "events", newest: number > 1 ? "/log" : nil,
              older: older ? "/log?before=9&amp;page=\(number + 1)" : nil, olderLabel: "Older events")
    }

    @Test func thePagerSaysWhereYouAre() {
        #expect(Self.pager(1, shown: 34, older: false).position == "All 34 events")
        #expect(Self.pager(1, shown: 1, older: false).position == "1 event")
        #expect(Self.pager(1, shown: 50, older: true).position == "Page 1 · events 1–50")
        #expect(Self.pager(2, shown: 50, older: true).position == "Page 2 · events 51–100")
        #expect(Self.pager(25, shown: 4, older: false).position == "Page 25 · events 1,201–1,204 · the oldest")
        #expect(Self.pager(3, shown: 1, older: false).position == "Page 3 · event 101 · the oldest")
    }

    @Test func thePagerLinksNewestAndOlderOnlyWhereTheyLead() {
        let first = Self.pager(1, shown: 50, older: true).render()
        #expect(first.contains("<nav class=\"pager\" aria-label=\"Pages of events\">"))
        #expect(first.contains("<a class=\"button secondary\" id=\"older\" href=\"/log?before=9&amp;page=2\" rel=\"next\">Older events</a>"))
        #expect(!first.contains("id=\"newest\""))
        let last = Self.pager(2, shown: 3, older: false).render()
        #expect(last.contains("<a id=\"newest\" href=\"/log\" rel=\"first\">Newest</a>") && !last.contains("id=\"older\""))
        #expect(Self.pager(1, shown: 0, older: false).render() == "")
    }

    @Test func aPageNumberFromTheQueryIsPositiveOrOne() {
        #expect(Pager.number("3") == 3)
        for text in [nil, "", "0", "-2", "x", "99999999999"] as [String?] { #expect(Pager.number(text) == 1) }
    }
}
