import DeskgateDesk
import DeskgateJSON
import DeskgateStore
import DeskgateModel

/// Imports the demo workflows and walks a dozen tickets through them with the real engine,
/// so the workflow tools have something in every state: drafts, tickets waiting at each kind
/// of node (a parallel review, a pick-up), finished, rejected, withdrawn and closed ones.
struct DemoWorkflowTickets {
    let database: Database
    let scope: TenantScope
    let domain: String

    /// Returns how many workflow tickets it created.
    func run() throws -> Int {
        let workflows = WorkflowService(database: database, scope: scope)
        // The documents name acme's people; another demo tenant has the same people at its own domain.
        for document in DemoWorkflows.documents {
            _ = try workflows.importDocument(document.replacingOccurrences(of: "@acme.test\"", with: "@\(domain)\""))
        }
        let service = WorkflowTicketService(database: database)
        let people = try Dictionary(uniqueKeysWithValues: ["admin", "dana", "sam", "priya", "lee"].map { name in
            (name, try database.withReader { db in
                try DeskActor.load(tenant: scope, userID: try scope.users.byEmail("\(name)@\(domain)", on: db)!.id, via: .cli, on: db)
            })
        })
        var created = 0
        @discardableResult
        func ticket(_ workflow: String, _ subject: String, by creator: String, _ fields: JSONObject, submit: Bool = true,
                    then steps: [(String, String, String, JSONObject)] = []) throws -> Int64 {
            let start = try service.create(workflow: workflow, subject: subject, fields: fields, submit: submit ? "submit" : nil,
                                           actor: people[creator]!)
            for (who, type, id, stepFields) in steps {
                _ = try service.handle(.id(start.ticketID), FlowRequest(actionType: type, actionID: id, fields: stepFields,
                                                                       comment: type == "force_close" ? "Duplicate request" : nil),
                                       actor: people[who]!)
            }
            created += 1
            return start.ticketID
        }
        let it = "IT access request", refund = "Refund approval"
        try ticket(it, "GitHub access for the new contractor", by: "sam", ["system": "GitHub", "justification": "Starts Monday"], submit: false)
        try ticket(it, "VPN for travel next week", by: "dana", ["system": "VPN", "justification": "Customer visit in Lisbon"])
        let audit = try ticket(it, "Payroll export for the audit", by: "priya", ["system": "Payroll", "justification": "Quarterly audit"],
                   then: [("sam", "agree", "approve", [:])])
        try ticket(it, "GitHub org access", by: "dana", ["system": "GitHub", "justification": "Reviewing the SDK repo"],
                   then: [("lee", "agree", "approve", ["approver_note": "Read access only"])])
        try ticket(it, "VPN for on-call", by: "sam", ["system": "VPN", "justification": "On call rotation"],
                   then: [("lee", "agree", "approve", [:]), ("lee", "agree", "provisioned", ["provisioned": true])])
        try ticket(it, "Production database read access", by: "dana", ["system": "Production database", "justification": "Debug a report"],
                   then: [("lee", "agree", "approve", [:]), ("admin", "reject", "deny", [:])])
        try ticket(it, "VPN (not needed any more)", by: "priya", ["system": "VPN", "justification": "Remote week"],
                   then: [("priya", "withdraw", "withdraw", [:])])
        try ticket(refund, "Refund: duplicate charge, Northwind", by: "dana",
                   ["customer_email": "maria.garcia0@northwind.example", "amount": 240, "reason": "Duplicate charge"])
        try ticket(refund, "Refund: unused seats, Contoso", by: "dana",
                   ["customer_email": "james.smith1@contoso.example", "amount": 180, "reason": "Unused seats"],
                   then: [("priya", "agree", "finance_done", ["finance_ok": true])])
        try ticket(refund, "Refund: outage credit, Globex", by: "sam",
                   ["customer_email": "aiko.tanaka2@globex.example", "amount": 900, "reason": "Service outage"],
                   then: [("priya", "agree", "finance_done", ["finance_ok": true]), ("dana", "agree", "lead_done", [:])])
        try ticket(refund, "Refund: seats, Initech", by: "dana",
                   ["customer_email": "omar.haddad3@initech.example", "amount": 120, "reason": "Unused seats"],
                   then: [("priya", "agree", "finance_done", ["finance_ok": true]), ("dana", "agree", "lead_done", [:]),
                          ("priya", "agree", "paid", ["payout_reference": "PO-20417"])])
        try ticket(refund, "Refund: goodwill, Umbrella", by: "dana",
                   ["customer_email": "lena.berg4@umbrella.example", "amount": 60, "reason": "Other"],
                   then: [("priya", "reject", "finance_decline", [:])])
        try ticket(refund, "Refund request sent twice", by: "sam",
                   ["customer_email": "carlos.silva5@northwind.example", "amount": 75, "reason": "Duplicate charge"],
                   then: [("admin", "force_close", "force_close", [:])])
        // Sub-tickets (made last so the numbers above stay put): the audit's payroll export needs
        // two more accesses, filed by priya as children of her request.
        _ = try service.create(workflow: it, subject: "Payroll export: VPN for the external auditor",
                               fields: ["system": "VPN", "justification": "The auditor works remotely"], submit: "submit",
                               parent: .id(audit), actor: people["priya"]!)
        _ = try service.create(workflow: it, subject: "Payroll export: GitHub read access for the audit scripts",
                               fields: ["system": "GitHub", "justification": "The export scripts live there"],
                               parent: .id(audit), actor: people["priya"]!)
        return created + 2
    }
}
