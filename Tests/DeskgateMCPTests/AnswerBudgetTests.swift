import DeskgateJSON
import DeskgateModel
import Testing
@testable import DeskgateDesk
@testable import DeskgateMCP

/// Answers that fit a model's budget (issue 19): the rules as values, no socket.
@Suite("Answer budgets")
struct AnswerBudgetTests {
    /// (body, start, room) → (piece, scalars left). Quotes and controls cost their JSON escape
    /// (counted as 6, the longest); a character is never split; at least one always goes.
    @Test(arguments: [
        ("abcdef", 0, 3, "abc", 3 as Int?),
        ("abcdef", 2, 3, "cde", 1),
        ("abcdef", 2, 100, "cdef", nil),
        ("a\"b", 0, 3, "a", 2),
        ("a\"b", 0, 7, "a\"", 1),
        ("e\u{301}x", 0, 2, "e\u{301}", 1),   // é as e + combining accent (3 bytes): not split; over the room...
        ("\u{1F600}abc", 0, 1, "\u{1F600}", 3),   // ...but the first character always goes, even over the room
        ("", 0, 10, "", nil),
    ] as [(String, Int, Int, String, Int?)])
    func bodiesAreCutBetweenCharacters(body: String, start: Int, room: Int, piece: String, more: Int?) {
        let cut = BodyPiece.cut(body, from: start, room: room)
        #expect(cut.text == piece && cut.more == more && cut.start == start)
    }

    @Test func theFirstRowAlwaysGoesThenOnlyWhatFits() {
        var budget = AnswerBudget(limit: 2_000)
        #expect(budget.forRows == 2_000 - AnswerBudget.frameReserve)
        #expect(!budget.fits(structured: 5_000, text: 10))
        let first = budget.take(structured: 5_000, text: 10), second = budget.take(structured: 1, text: 1)
        #expect(first, "a page always moves on")
        #expect(!second)
        var fresh = AnswerBudget(limit: 2_000)
        let rows: [JSONValue] = (0..<100).map { .object(JSONObject([("id", .number(JSONNumber($0))), ("name", .string("agent \($0)"))])) }
        let lines = (0..<100).map { "agent \($0)" }
        let count = fresh.fit(rows, lines: lines)
        let used = rows.prefix(count).map { $0.encoded().count + 1 }.reduce(0, +)
        #expect(count > 10 && count < 100 && used <= fresh.forRows)
        #expect(used + rows[count].encoded().count + 1 > fresh.forRows, "stops at the first row that does not fit")
    }

    @Test func maxCharsIsRangeChecked() throws {
        let arguments = { (value: Int) in try ToolArguments(JSONObject([("max_chars", .number(JSONNumber(value)))]), allowed: ["max_chars"]) }
        #expect(try AnswerBudget(arguments(5_000)).limit == 5_000)
        #expect(try AnswerBudget(ToolArguments(JSONObject(), allowed: [])).limit == AnswerBudget.defaultChars)
        #expect(throws: ToolArgumentError.self) { try AnswerBudget(arguments(10)) }
        #expect(throws: ToolArgumentError.self) { try AnswerBudget(arguments(1_000_000)) }
    }

    @Test func fieldsKeepWhatWasAskedAndWhoWroteTheText() throws {
        let row = JSONObject([("id", 1), ("number", 7), ("subject", "Printer"), ("subject_author_kind", "customer"),
                              ("status", "open"), ("tags", .array(["a"]))])
        let ask = { (names: [String]) in
            try FieldSelection(ToolArguments(JSONObject([("fields", .array(names.map { .string($0) }))]), allowed: ["fields"]),
                               known: ["id", "number", "subject", "subject_author_kind", "status", "tags"])
        }
        #expect(try ask(["status"]).apply(row).keys == ["id", "number", "subject_author_kind", "status"])
        #expect(try ask(["tags"]).apply(row, keeping: ["subject"]).keys == ["id", "number", "subject", "subject_author_kind", "tags"])
        #expect(try FieldSelection(ToolArguments(JSONObject(), allowed: []), known: []).apply(row).keys == row.keys)
        do {
            _ = try ask(["stauts"])
            Issue.record("an unknown field was accepted")
        } catch let error as ToolArgumentError {
            #expect(error.argument == "fields" && error.reason.contains("'stauts' is not a field here") && error.reason.contains("status"))
        }
    }

    static func message(_ id: Int64, _ body: String, customer: Bool = true) -> HelpDeskResults.ShownMessage {
        HelpDeskResults.ShownMessage(TicketMessage(
            id: id, kind: .reply, author: TicketMessage.Author(type: customer ? "contact" : "agent", id: 3, name: "Carla", email: nil),
            body: body, createdAt: 1_764_000_000_000))
    }

    /// A page of messages under a budget: whole messages while they fit, then the next one cut
    /// inside its fence, the fence closed, the marker after it, and the cursor into it.
    @Test func aLongBodyIsCutInsideItsFenceWithACursorIntoIt() throws {
        let fence = CustomerTextFence(boundary: "0123456789abcdef")
        let long = String(repeating: "toner everywhere. ", count: 300)
        var budget = AnswerBudget(limit: 2_000)
        let page = BudgetedMessages([Self.message(1, "short"), Self.message(2, long), Self.message(3, "after")], resumeOffset: 0,
                                    budget: &budget, fields: FieldSelection(names: nil), tool: "get_ticket_messages", fence: fence,
                                    rest: nil, after: { "after-\($0)" }, resuming: { "into-\($0)-\($1)" })
        #expect(page.rows.count == 2 && page.shown.map(\.message.id) == [1, 2])
        let cut = try #require(page.rows[1].objectValue)
        let piece = try #require(cut["body"]?.stringValue)
        #expect(long.hasPrefix(piece) && piece.count > 200 && piece.count < long.count)
        #expect(page.nextCursor == "into-2-\(piece.unicodeScalars.count)")
        #expect(cut["body_cut"]?["more_chars"] == .number(JSONNumber(long.unicodeScalars.count - piece.unicodeScalars.count)))
        #expect(cut["body_cut"]?["next_cursor"]?.stringValue == page.nextCursor)
        #expect(page.lines[1].hasSuffix(piece + "\n" + fence.closing + "\n[message cut here: "
            + "\(long.unicodeScalars.count - piece.unicodeScalars.count) more characters; get_ticket_messages with cursor "
            + "\(page.nextCursor!) reads on]"))
        let sizes = page.rows.map { $0.encoded().count + 1 }.reduce(0, +)
        #expect(sizes <= budget.forRows && page.lines.map { $0.utf8.count + 2 }.reduce(0, +) <= budget.forRows)

        // The next page resumes inside it: body_from says where, and the rest fits.
        var next = AnswerBudget(limit: 200_000)
        let resumed = BudgetedMessages([Self.message(2, long), Self.message(3, "after")], resumeOffset: piece.unicodeScalars.count,
                                       budget: &next, fields: FieldSelection(names: nil), tool: "get_ticket_messages", fence: fence,
                                       rest: nil, after: { "after-\($0)" }, resuming: { "into-\($0)-\($1)" })
        #expect(resumed.rows.count == 2 && resumed.nextCursor == nil)
        #expect(piece + (resumed.rows[0]["body"]?.stringValue ?? "") == long)
        #expect(resumed.rows[0]["body_from"] == .number(JSONNumber(piece.unicodeScalars.count)))
        #expect(resumed.lines[0].contains(", continued from character \(piece.unicodeScalars.count):\n"))
    }

    /// When too little is left for a useful piece, the page ends before the message instead.
    @Test func aPageEndsBeforeAMessageWhenLittleIsLeft() {
        let fence = CustomerTextFence(boundary: "0123456789abcdef")
        var budget = AnswerBudget(limit: 2_000)
        let first = String(repeating: "x", count: 1_050)
        let page = BudgetedMessages([Self.message(1, first, customer: false), Self.message(2, String(repeating: "y", count: 5_000))],
                                    resumeOffset: 0, budget: &budget, fields: FieldSelection(names: nil), tool: "get_ticket_messages",
                                    fence: fence, rest: "service-next", after: { "after-\($0)" }, resuming: { "into-\($0)-\($1)" })
        #expect(page.rows.count == 1 && page.nextCursor == "after-1")
        var roomy = AnswerBudget(limit: 200_000)
        let whole = BudgetedMessages([Self.message(1, "a"), Self.message(2, "b")], resumeOffset: 0, budget: &roomy,
                                     fields: FieldSelection(names: nil), tool: "get_ticket_messages", fence: fence,
                                     rest: "service-next", after: { "after-\($0)" }, resuming: { "into-\($0)-\($1)" })
        #expect(whole.rows.count == 2 && whole.nextCursor == "service-next", "everything fit: the service's own next page")
    }

    /// tools/list's output schemas name only the members always there, so `fields` never breaks a
    /// client's validation; get_ticket_metadata and ticket_detail may drop all but their identity.
    @Test func listedOutputSchemasRequireOnlyWhatIsAlwaysThere() {
        for tool in HelpDeskTools.registry.tools {
            let listed = tool.listedOutputSchema
            #expect(listed["type"] == "object" && listed["properties"] == nil, "\(tool.name)")
            let required = listed["required"]?.arrayValue?.compactMap(\.stringValue) ?? []
            #expect(required == tool.alwaysPresent, "\(tool.name)")
        }
        #expect(HelpDeskTools.registry["get_ticket_metadata"]?.alwaysPresent == ["id", "number"])
        #expect(HelpDeskTools.registry["ticket_detail"]?.alwaysPresent == ["ticket"])
        #expect(HelpDeskTools.registry["search_tickets"]?.alwaysPresent == ["tickets", "next_cursor", "content_warnings"])
    }
}
