import Testing
@testable import DeskgateDesk
@testable import DeskgateIdentity
import DeskgateModel

@Suite("Ticket queries")
struct TicketQueryTests {
    @Test func metadataCarriesPeopleTagsAndCounts() throws {
        let f = try HelpDeskFixture()
        let sam = try f.actor(f.sam)
        let m = try f.read { try f.service.metadata(.id(f.t1.id), actor: sam, on: $0) }
        #expect(m.number == 1 && m.subject == "Printer on fire" && m.status == .open && m.priority == .high)
        #expect(m.department == DepartmentRef(id: f.support.id, name: "Support"))
        #expect(m.assignee == nil && m.creator == nil)
        #expect(m.requester == PersonRef(id: f.carla.id, name: "Carla Customer", email: "carla@customer.test"))
        #expect(m.tags == ["hardware"] && m.messageCount == 2 && m.workflowNode == "Open")
        #expect(m.createdAt == 1_000 && m.updatedAt == 1_200 && m.resolvedAt == nil)
        let two = try f.read { try f.service.metadata(.number(2), actor: sam, on: $0) }
        #expect(two.assignee == PersonRef(id: f.sam.id, name: "Sam Support", email: "sam@acme.test"))
    }

    @Test func contextHasTheNewestMessagesOldestFirst() throws {
        let f = try HelpDeskFixture()
        let sam = try f.actor(f.sam)
        let one = try f.read { try f.service.context(.number(1), recentMessages: 1, actor: sam, on: $0) }
        #expect(one.recentMessages.map(\.body) == ["Told facilities"] && one.hasMoreMessages)
        let all = try f.read { try f.service.context(.number(1), actor: sam, on: $0) }
        #expect(all.recentMessages.map(\.body) == ["Smoke is coming out of the toner tray", "Told facilities"])
        #expect(!all.hasMoreMessages)
        #expect(all.recentMessages[0].author == TicketMessage.Author(type: "contact", id: f.carla.id, name: "Carla Customer",
                                                                     email: "carla@customer.test"))
        #expect(all.recentMessages[1].author.type == "agent" && all.recentMessages[1].kind == .note)
        #expect(deskError { _ = try f.read { try f.service.context(.number(1), recentMessages: 51, actor: sam, on: $0) } }
                == .invalid(field: "recent_messages", reason: "must be between 0 and 50"))
    }

    @Test func messagesPageWithAnOpaqueCursorBoundToTheTicket() throws {
        let f = try HelpDeskFixture()
        let sam = try f.actor(f.sam)
        for index in 1...5 { _ = try f.service.addNote(.number(1), body: "note \(index)", actor: sam) }
        var pages: [[String]] = []
        var cursor: String?
        repeat {
            let page = try f.read { try f.service.messages(.number(1), cursor: cursor, limit: 3, actor: sam, on: $0) }
            pages.append(page.messages.map(\.body))
            cursor = page.nextCursor
        } while cursor != nil && pages.count < 10
        #expect(pages == [["Smoke is coming out of the toner tray", "Told facilities", "note 1"], ["note 2", "note 3", "note 4"],
                          ["note 5"]])

        let first = try f.read { try f.service.messages(.number(1), limit: 3, actor: sam, on: $0) }
        let cursorOfOne = try #require(first.nextCursor)
        #expect(!cursorOfOne.contains(String(f.t1.id)), "cursor should be opaque")
        let refusal = DeskError.invalid(field: "cursor", reason: "not a next_cursor from this ticket's messages; pass the next_cursor "
                                        + "of the previous page unchanged, or omit it to start at the first message")
        #expect(deskError { _ = try f.read { try f.service.messages(.number(2), cursor: cursorOfOne, actor: sam, on: $0) } } == refusal)
        for garbage in ["", "abc", "bTEuMQ", String(cursorOfOne.dropLast()), cursorOfOne + "A"] {
            #expect(deskError { _ = try f.read { try f.service.messages(.number(1), cursor: garbage, actor: sam, on: $0) } } == refusal,
                    "accepted '\(garbage)'")
        }
        #expect(deskError { _ = try f.read { try f.service.messages(.number(1), limit: 101, actor: sam, on: $0) } }
                == .invalid(field: "limit", reason: "must be between 1 and 100 (default 25)"))
        // A page that ends exactly at the last message has no cursor.
        let exact = try f.read { try f.service.messages(.number(1), limit: 7, actor: sam, on: $0) }
        #expect(exact.messages.count == 7 && exact.nextCursor == nil)
    }

    /// A size budget may end a page early or cut a message (issue 19): the cursors the tool then
    /// makes continue after a given message, or inside it (the page starts with that message and
    /// says where its body resumes); a cursor into another ticket is refused like any other.
    @Test func budgetCursorsContinueAfterOrInsideAMessage() throws {
        let f = try HelpDeskFixture()
        let sam = try f.actor(f.sam)
        for index in 1...3 { _ = try f.service.addNote(.number(1), body: "note \(index)", actor: sam) }
        let all = try f.read { try f.service.messages(.number(1), actor: sam, on: $0) }
        #expect(all.messages.count == 5 && all.resumeOffset == 0 && all.ticketID == f.t1.id)
        let ids = all.messages.map(\.id)
        let after = try f.read {
            try f.service.messages(.number(1), cursor: TicketService.messagesCursor(ticketID: f.t1.id, after: ids[1]), actor: sam, on: $0)
        }
        #expect(after.messages.map(\.id) == Array(ids[2...]) && after.resumeOffset == 0)
        let inside = try f.read {
            try f.service.messages(.number(1), cursor: TicketService.messagesCursor(ticketID: f.t1.id, resuming: ids[2], at: 4),
                                   limit: 2, actor: sam, on: $0)
        }
        #expect(inside.messages.map(\.id) == [ids[2], ids[3]] && inside.resumeOffset == 4 && inside.nextCursor != nil)
        let elsewhere = TicketService.messagesCursor(ticketID: f.t1.id, resuming: ids[2], at: 4)
        #expect(deskError { _ = try f.read { try f.service.messages(.number(2), cursor: elsewhere, actor: sam, on: $0) } } != nil)
    }

    /// Position cursors (ticket_list, user_list, directories) carry the offset and are bound to
    /// the listing's criteria and kind.
    @Test(arguments: [0, 1, 37, 99_999])
    func offsetCursorsRoundTripAndAreBound(offset: Int) throws {
        let text = OffsetCursor(offset: offset).text(kind: "tl", criteria: "category=\"duty\"")
        #expect(try OffsetCursor.parse(text, kind: "tl", criteria: "category=\"duty\"").offset == offset)
        #expect(throws: DeskError.self) { try OffsetCursor.parse(text, kind: "tl", criteria: "category=\"all\"") }
        #expect(throws: DeskError.self) { try OffsetCursor.parse(text, kind: "ul", criteria: "category=\"duty\"") }
        #expect(throws: DeskError.self) { try OffsetCursor.parse(String(text.dropLast()), kind: "tl", criteria: "category=\"duty\"") }
    }

    @Test func directoryListings() throws {
        let f = try HelpDeskFixture()
        let vera = try f.actor(f.vera)
        let agents = try f.read { try f.service.agents(actor: vera, on: $0) }
        #expect(agents.map(\.email) == ["ada@acme.test", "sam@acme.test", "bill@acme.test", "vera@acme.test", "idle@acme.test"])
        #expect(agents[1].departments == [DepartmentRef(id: f.support.id, name: "Support")] && agents[1].role == .agent)
        #expect(agents[4].active == false)
        let departments = try f.read { try f.service.departments(actor: vera, on: $0) }
        #expect(departments == [
            DepartmentView(id: f.billing.id, name: "Billing", memberCount: 1, openTicketCount: 1),
            DepartmentView(id: f.support.id, name: "Support", memberCount: 3, openTicketCount: 1),
        ])
    }
}
