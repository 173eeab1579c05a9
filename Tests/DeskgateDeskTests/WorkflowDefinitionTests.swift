@testable import DeskgateDemo
import Foundation
import Testing
@testable import DeskgateDesk
@testable import DeskgateIdentity

/// The documented examples, read from docs/workflows so the documentation cannot rot.
enum WorkflowExamples {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("docs/workflows")

    static func text(_ name: String) throws -> String {
        try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
    }

    static let names = ["it-access-request.json", "refund-approval.json"]
}

@Suite("Workflow documents")
struct WorkflowDefinitionTests {
    @Test(arguments: WorkflowExamples.names)
    func documentedExamplesAreValidAndRoundTrip(_ name: String) throws {
        let definition = try WorkflowDocument.decode(try WorkflowExamples.text(name))
        try WorkflowValidator.validate(definition)
        let again = try WorkflowDocument.decode(WorkflowDocument.encode(definition).prettyText())
        #expect(again == definition)
        #expect(WorkflowDocument.encode(again).prettyText() == WorkflowDocument.encode(definition).prettyText())
    }

    @Test func decodesEveryPartOfTheRefundExample() throws {
        let d = try WorkflowDocument.decode(try WorkflowExamples.text("refund-approval.json"))
        #expect(d.fields.map(\.key) == ["customer_email", "amount", "reason", "finance_ok", "lead_note", "payout_reference"])
        #expect(d.field("reason")?.options.count == 4)
        #expect(d.node("admin_approval")?.distribution == .voluntary)
        #expect(d.node("admin_approval")?.participant == .role(.admin))
        #expect(d.node("lead_review")?.participant == .person("dana@acme.test"))
        #expect(d.node("draft")?.access(to: "amount") == .required)
        #expect(d.node("payout")?.access(to: "amount") == .readonly)   // unmentioned → read-only
        let large = try #require(d.transitions.first { $0.key == "large" })
        #expect(large.condition == Condition(groups: [[.init(field: "amount", .greater, .number(500))]]))
        #expect(d.transitions.first { $0.key == "small" }?.condition == nil)
        #expect(d.permissions == [WorkflowGrant(permission: .view, target: .department("Billing")),
                                  WorkflowGrant(permission: .view, target: .department("Support")),
                                  WorkflowGrant(permission: .admin, target: .user("priya@acme.test"))])
    }

    @Test func conditionsAreAnOrOfAnds() {
        let c = Condition(groups: [[.init(field: "amount", .greater, .number(500)), .init(field: "vip", .equal, .bool(true))],
                                   [.init(field: "reason", .equal, .text("Outage"))]])
        #expect(c.holds(for: ["amount": .number(501), "vip": .bool(true)]))
        #expect(!c.holds(for: ["amount": .number(501), "vip": .bool(false)]))
        #expect(!c.holds(for: ["amount": .number(500), "vip": .bool(true)]))
        #expect(c.holds(for: ["reason": .text("Outage")]))
        #expect(!c.holds(for: [:]))                                                   // no value → false
        #expect(!c.holds(for: ["amount": .text("600"), "vip": .bool(true)]))          // wrong type never orders
        let dates = Condition(groups: [[.init(field: "due", .lessOrEqual, .date("2026-12-31"))]])
        #expect(dates.holds(for: ["due": .date("2026-12-31")]) && !dates.holds(for: ["due": .date("2027-01-01")]))
    }

    /// A minimal valid workflow; each case below breaks one rule of it.
    static let base = """
        {"name": "Tiny", "fields": [{"key": "amount", "label": "Amount", "type": "number"},
                                    {"key": "kind", "label": "Kind", "type": "select", "options": ["a", "b"]}],
         "nodes": [{"key": "start", "name": "Start", "type": "start", "fields": {"amount": "required"}},
                   {"key": "review", "name": "Review", "type": "normal", "participant": {"type": "creator"}},
                   {"key": "route", "name": "Route", "type": "exclusive_gateway"},
                   {"key": "end", "name": "End", "type": "end"}],
         "transitions": [{"key": "go", "name": "Go", "type": "agree", "from": "start", "to": "review"},
                         {"key": "ok", "name": "OK", "type": "agree", "from": "review", "to": "route"},
                         {"key": "big", "name": "Big", "type": "condition", "from": "route", "to": "end",
                          "condition_groups": [[{"field": "amount", "operator": ">", "value": 10}]]},
                         {"key": "small", "name": "Small", "type": "condition", "from": "route", "to": "end"}]}
        """

    @Test func baseIsValid() throws {
        try WorkflowValidator.validate(try WorkflowDocument.decode(Self.base))
    }

    struct Broken: Sendable, CustomStringConvertible {
        let description: String
        let replace: String
        let with: String
        let field: String
    }

    static let broken: [Broken] = [
        Broken(description: "unknown member", replace: #""name": "Tiny""#, with: #""name": "Tiny", "colour": "red""#, field: "colour"),
        Broken(description: "bad node type", replace: #""type": "end""#, with: #""type": "finish""#, field: "nodes[3].type"),
        Broken(description: "missing node name", replace: #""key": "end", "name": "End", "#, with: #""key": "end", "#, field: "nodes[3].name"),
        Broken(description: "duplicate node key", replace: #""key": "route""#, with: #""key": "review""#, field: "nodes[2].key"),
        Broken(description: "bad key", replace: #""key": "review", "name""#, with: #""key": "Review!", "name""#, field: "nodes[1].key"),
        Broken(description: "two starts", replace: #""type": "exclusive_gateway""#, with: #""type": "start""#, field: "nodes"),
        Broken(description: "no participant", replace: #", "participant": {"type": "creator"}"#, with: "", field: "nodes[1].participant"),
        Broken(description: "participant on a gateway", replace: #""type": "exclusive_gateway"}"#,
               with: #""type": "exclusive_gateway", "participant": {"type": "creator"}}"#, field: "nodes[2].participant"),
        Broken(description: "unknown participant type", replace: #"{"type": "creator"}"#, with: #"{"type": "robot"}"#, field: "nodes[1].participant.type"),
        Broken(description: "field participant not a user field", replace: #"{"type": "creator"}"#,
               with: #"{"type": "field", "value": "amount"}"#, field: "nodes[1].participant.value"),
        Broken(description: "permission for an undeclared field", replace: #"{"amount": "required"}"#,
               with: #"{"total": "required"}"#, field: "nodes[0].fields.total"),
        Broken(description: "bad field access", replace: #"{"amount": "required"}"#, with: #"{"amount": "mandatory"}"#,
               field: "nodes[0].fields.amount"),
        Broken(description: "select without options", replace: #", "options": ["a", "b"]"#, with: "", field: "fields[1].options"),
        Broken(description: "options on a number", replace: #""type": "number"}"#, with: #""type": "number", "options": ["1"]}"#,
               field: "fields[0].options"),
        Broken(description: "transition to nowhere", replace: #""to": "review"}"#, with: #""to": "nowhere"}"#, field: "transitions[0].to"),
        Broken(description: "people choose, not conditions", replace: #""type": "agree", "from": "review""#,
               with: #""type": "condition", "from": "review""#, field: "transitions[1].type"),
        Broken(description: "gateway route without condition type", replace: #""type": "condition", "from": "route", "to": "end"}"#,
               with: #""type": "agree", "from": "route", "to": "end"}"#, field: "transitions[3].type"),
        Broken(description: "two default routes", replace: #"{"key": "small", "name": "Small", "type": "condition", "from": "route", "to": "end"}"#,
               with: #"{"key": "small", "name": "Small", "type": "condition", "from": "route", "to": "end"}, {"key": "again", "name": "Again", "type": "condition", "from": "route", "to": "review"}"#,
               field: "transitions"),
        Broken(description: "condition on an unknown field", replace: #""field": "amount""#, with: #""field": "total""#,
               field: "transitions[2].condition_groups[0][0].field"),
        Broken(description: "ordering a select", replace: #"{"field": "amount", "operator": ">", "value": 10}"#,
               with: #"{"field": "kind", "operator": ">", "value": "a"}"#, field: "transitions[2].condition_groups[0][0].operator"),
        Broken(description: "value not an option", replace: #"{"field": "amount", "operator": ">", "value": 10}"#,
               with: #"{"field": "kind", "operator": "==", "value": "c"}"#, field: "transitions[2].condition_groups[0][0].value"),
        Broken(description: "value of the wrong type", replace: #""value": 10"#, with: #""value": "ten""#,
               field: "transitions[2].condition_groups[0][0].value"),
        Broken(description: "unreachable node", replace: #"{"key": "go", "name": "Go", "type": "agree", "from": "start", "to": "review"}"#,
               with: #"{"key": "go", "name": "Go", "type": "agree", "from": "start", "to": "end"}"#, field: "transitions"),
        Broken(description: "dead end", replace: #"{"key": "ok", "name": "OK", "type": "agree", "from": "review", "to": "route"},"#,
               with: "", field: "transitions"),
        Broken(description: "leaving an end node", replace: #""from": "route", "to": "end"}]"#,
               with: #""from": "route", "to": "end"}, {"key": "back", "name": "Back", "type": "other", "from": "end", "to": "review"}]"#,
               field: "transitions[4].from"),
        Broken(description: "not JSON", replace: #"{"name""#, with: #"{name""#, field: "document"),
    ]

    @Test(arguments: broken)
    func eachBrokenRuleIsReportedWhereItIs(_ case: Broken) throws {
        let text = Self.base.replacingOccurrences(of: `case`.replace, with: `case`.with)
        try #require(text != Self.base, "the replacement must change the document")
        let error = deskError { try WorkflowValidator.validate(try WorkflowDocument.decode(text)) }
        guard case .invalid(let field, _)? = error else {
            Issue.record("expected an invalid-document error, got \(String(describing: error))")
            return
        }
        #expect(field == `case`.field)
    }

    @Test func datesAreChecked() {
        #expect(ISODate.isValid("2024-02-29") && !ISODate.isValid("2023-02-29"))
        #expect(!ISODate.isValid("2024-13-01") && !ISODate.isValid("2024-1-01") && !ISODate.isValid("yesterday"))
    }
}

@Suite("Workflow documentation")
struct WorkflowDocumentationTests {
    /// docs/workflows.md shows the example files in full; they must not drift apart.
    @Test(arguments: WorkflowExamples.names)
    func theGuideShowsEachExampleExactly(_ name: String) throws {
        let guide = try String(contentsOf: WorkflowExamples.directory.deletingLastPathComponent()
            .appendingPathComponent("workflows.md"), encoding: .utf8)
        let example = try WorkflowExamples.text(name).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(guide.contains("```json\n" + example + "\n```"))
    }

    /// The demo tenant imports the same documents, embedded in the binary.
    @Test func theDemoEmbedsTheDocumentedFiles() throws {
        let files = try WorkflowExamples.names.map { try WorkflowExamples.text($0).trimmingCharacters(in: .whitespacesAndNewlines) }
        #expect(DemoWorkflows.documents == files)
    }
}
