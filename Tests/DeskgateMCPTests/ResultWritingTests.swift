import DeskgateModel
import DeskgateJSON
import Testing
@testable import DeskgateDesk
@testable import DeskgateIdentity
@testable import DeskgateMCP

/// The one-pass writer of get_ticket_metadata must produce exactly what the value tree and the
/// text rendering produce, for every shape a ticket can take (absent relations, escapes, tags).
@Suite("Result writing")
struct ResultWritingTests {
    static let full = TicketMetadata(
        id: 88231, number: 1042, subject: "Printer \"HQ-2\" on fire\n\\ again \u{2028} café",
        status: .open, priority: .urgent, department: DepartmentRef(id: 3, name: "Billing & Co"),
        assignee: PersonRef(id: 7, name: "Ana Agent", email: "ana@acme.test"),
        creator: PersonRef(id: 8, name: "Cy \u{1}Creator", email: nil),
        requester: PersonRef(id: 9, name: "Rae Requester", email: "rae@example.com"),
        tags: ["billing", "vip", "sla breach"], createdAt: 1_764_000_000_123, updatedAt: 1_764_100_000_000,
        resolvedAt: 1_764_200_000_999, workflowNode: "Waiting on \"customer\"", messageCount: 12,
        allowedActions: ["add_tags", "remove_tags", "resolve"])

    static let bare = TicketMetadata(
        id: 1, number: 1, subject: "", status: .resolved, priority: .low, department: nil, assignee: nil,
        creator: nil, requester: PersonRef(id: 2, name: "No Mail", email: nil), tags: [], createdAt: -1,
        updatedAt: 0, resolvedAt: nil, workflowNode: nil, messageCount: 0, allowedActions: [])

    /// A customer's subject and name holding what the sanitizer removes: written, fenced and counted alike.
    static let hidden = TicketMetadata(
        id: 6, number: 78, subject: "Refund\u{200B} now\u{202E}", status: .open, priority: .high, department: nil,
        assignee: nil, creator: nil, requester: PersonRef(id: 4, name: "Mal\u{E0041}lory", email: "m@example.com"), tags: [],
        createdAt: 1, updatedAt: 2, resolvedAt: nil, workflowNode: nil, messageCount: 1, allowedActions: [])

    static let noRequester = TicketMetadata(
        id: 5, number: 77, subject: "Login loop", status: .new, priority: .normal, department: nil,
        assignee: nil, creator: nil, requester: nil, tags: ["one"], createdAt: 1, updatedAt: 2, resolvedAt: nil,
        workflowNode: nil, messageCount: 1, allowedActions: ["reopen"])

    @Test(arguments: [full, bare, noRequester, hidden])
    func writerMatchesTreeAndText(ticket: TicketMetadata) throws {
        let fence = CustomerTextFence(boundary: "0123456789abcdef")
        var w = JSONWriter()
        w.beginObject()
        HelpDeskResults.writeMetadataResult(ticket, fence: fence, to: &w)
        w.endObject()
        let written = w.bytes

        let tree = JSONValue.object(JSONObject([
            ("content", .array([.object(JSONObject([("type", "text"), ("text", .string(HelpDeskResults.metadataText(ticket, fence: fence)))]))])),
            ("structuredContent", HelpDeskResults.metadata(ticket)),
        ]))
        #expect(String(decoding: written, as: UTF8.self) == tree.text)
        #expect(try JSONParser.parse(written) == tree)
    }

    @Test func encodedResultSplicesIntoTheSameResponse() throws {
        let result: JSONValue = ["content": [["type": "text", "text": "a\nb"]], "isError": false]
        for id in [JSONRPCID.number(JSONNumber(7)), .string("x\"y")] {
            for framing in [ResponseFraming.json, .eventStream] {
                let direct = rpcResultResponse(EncodedJSON(result.encoded()), id: id, framing: framing)
                let viaTree = rpcResponse(JSONRPCResponse.result(result, id: id), framing: framing)
                #expect(direct.body == viaTree.body)
                #expect(direct.headers.fields.map(\.name) == viaTree.headers.fields.map(\.name))
            }
        }
    }
}
