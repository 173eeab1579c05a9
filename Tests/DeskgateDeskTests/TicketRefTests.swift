import Testing
@testable import DeskgateDesk
@testable import DeskgateIdentity

@Suite("Ticket references and selectors")
struct TicketRefTests {
    @Test(arguments: [
        ("1042", TicketRef.number(1042)), ("#1042", .number(1042)), (" #7 ", .number(7)), ("id:88231", .id(88231)),
        ("ID:5", .id(5)), ("000123", .number(123)),
    ])
    func acceptedText(_ text: String, _ expected: TicketRef) throws {
        #expect(try TicketRef.parse(text) == expected)
    }

    @Test(arguments: ["", "#", "abc", "-5", "0", "#0", "12.5", "1 042", "id:", "id:x", "id:-1", "ticket 5", "#12a",
                      "99999999999999999999"])
    func refusedText(_ text: String) {
        guard case .invalid(let field, let reason)? = deskError({ _ = try TicketRef.parse(text) }) else {
            Issue.record("'\(text)' was accepted")
            return
        }
        #expect(field == "ticket")
        #expect(reason.hasSuffix("use a ticket number such as 1042 or \"#1042\", or an internal id as \"id:88231\""))
    }

    @Test func integersMustBePositive() throws {
        #expect(try TicketRef.parse(integer: 1042) == .number(1042))
        #expect(deskError { _ = try TicketRef.parse(integer: 0) }
                == .invalid(field: "ticket", reason: "0 is not a ticket number; " + TicketRef.accepted))
        #expect(deskError { _ = try TicketRef.parse("id:x") }
                == .invalid(field: "ticket", reason: "'id:x' has no valid internal id after 'id:'; " + TicketRef.accepted))
    }

    @Test func agentAndDepartmentSelectors() throws {
        #expect(try AgentSelector.parse("12") == .id(12))
        #expect(try AgentSelector.parse("#12") == .id(12))
        #expect(try AgentSelector.parse(" Dana@Acme.Test ") == .email("dana@acme.test"))
        #expect(deskError { _ = try AgentSelector.parse("dana") }
                == .invalid(field: "assignee", reason: "'dana' is neither a user id nor an email; use list_agents to find one"))
        #expect(DepartmentSelector.parse("3") == .id(3))
        #expect(DepartmentSelector.parse(" Billing ") == .name("Billing"))
    }

    @Test(arguments: [
        ("billing", "billing"), (" VIP ", "VIP"), ("Hello World", "Hello World"), ("feature-request", "feature-request"), ("on_hold 2", "on_hold 2"),
    ])
    func tagNamesAccepted(_ input: String, _ stored: String) throws {
        #expect(try TagNames.validate(input) == stored)
    }

    @Test(arguments: ["", "   ", "naïve", "a/b", "#urgent", String(repeating: "x", count: 51)])
    func tagNamesRefused(_ input: String) {
        #expect(deskError { _ = try TagNames.validate(input) }
                == .invalid(field: "tags", reason: "'\(input)' is not a valid tag: use " + TagNames.rule))
    }

    @Test func tagListsAreBoundedAndDeduplicated() throws {
        #expect(try TagNames.validate(list: ["b", "A", "a", "b", "B"]) == ["b", "A"])  // the first spelling wins
        #expect(deskError { _ = try TagNames.validate(list: []) } == .invalid(field: "tags", reason: "give at least one tag"))
        #expect(deskError { _ = try TagNames.validate(list: (1...21).map { "t\($0)" }) }
                == .invalid(field: "tags", reason: "at most 20 tags per call (got 21)"))
    }
}
