import DeskgateSQL
import DeskgateDesk
import DeskgateJSON
import DeskgateStore
import DeskgateModel
import DeskgateSystem

/// Many workflow tickets at once, for benchmarks (`deskgate demo --workflow-tickets 1000000`):
/// rows written in batches straight through the repositories, placed the way the engine would
/// leave them (positions, relations, form values), spread over the nodes where people act.
/// The engine itself then handles them like any other ticket.
struct DemoWorkflowBulk {
    let database: Database
    let scope: TenantScope
    let domain: String

    /// One kind of ticket to make: where it waits and what its form holds.
    private struct Placement {
        let versionID: Int64
        let nodeID: Int64
        let assignees: [Int64]
        let actState: ActState
        let fields: [(Int64, String)]
        let subject: String
    }

    func run(count: Int, batchSize: Int, seed: UInt64, progress: (Int, Int) -> Void) throws -> Int {
        let placements = try database.withReader { try self.placements(on: $0) }
        let creators = try database.withReader { db in
            try ["dana", "sam", "priya", "lee"].map { try scope.users.byEmail("\($0)@\(domain)", on: db)!.id }
        }
        var random = SeededRandom(seed: seed)
        let now = WallClock.milliseconds()
        var made = 0
        progress(0, count)
        while made < count {
            let size = min(batchSize, count - made)
            let plans = (0..<size).map { _ -> (Placement, NewTicket) in
                let placement = random.pick(placements)
                let creator = random.pick(creators)
                let created = now - Int64.random(in: 0..<(700 * 86_400_000), using: &random)
                let ticket = NewTicket(subject: placement.subject, status: placement.actState.ticketStatus,
                                       assigneeID: placement.assignees.count == 1 ? placement.assignees[0] : nil,
                                       creatorID: creator, workflowVersionID: placement.versionID, nodeID: placement.nodeID,
                                       actState: placement.actState, createdAt: created)
                return (placement, ticket)
            }
            try database.write { tx in
                let ids = try scope.tickets.createBatch(plans.map(\.1), in: tx)
                for (id, (placement, ticket)) in zip(ids, plans) {
                    if placement.actState == .onGoing || placement.actState == .inDraft {
                        let assignees = placement.actState == .inDraft ? [ticket.creatorID!] : placement.assignees
                        try scope.ticketFlow.setPositions([FlowPosition(nodeID: placement.nodeID, assigneeIDs: assignees,
                                                                        enteredAt: ticket.createdAt ?? now)], ticketID: id, in: tx)
                        for assignee in assignees where assignee != ticket.assigneeID {
                            try scope.ticketFlow.relate(userID: assignee, ticketID: id, as: .assignee, in: tx)
                        }
                    }
                    for (fieldID, json) in placement.fields {
                        try scope.ticketFlow.setFieldValue(json, fieldID: fieldID, ticketID: id, in: tx)
                    }
                }
            }
            made += size
            progress(made, count)
        }
        return made
    }

    /// Where bulk tickets wait: IT requests at approval, provisioning, security review and in
    /// draft, refunds at the lead review and payout, and (most of them) finished, each with the
    /// form filled in.
    private func placements(on db: any SQLConnection) throws -> [Placement] {
        var result: [Placement] = []
        // Most tickets of a help desk are done: about one in five is still in flight.
        for (name, spots) in [("IT access request", ["request", "it_approval", "provisioning", "security_review"]
                                                    + Array(repeating: "done", count: 16)),
                              ("Refund approval", ["lead_review", "payout"] + Array(repeating: "refunded", count: 8))] {
            guard let workflow = try scope.workflows.byName(name, on: db),
                  let version = try scope.workflows.currentVersion(of: workflow.id, on: db),
                  let rows = try scope.ticketFlow.graph(versionID: version.id, on: db) else { continue }
            let graph = try FlowGraph(rows: rows)
            let values: [String: JSONValue] = name == "Refund approval"
                ? ["customer_email": "bulk@example.test", "amount": 120, "reason": "Unused seats", "finance_ok": true]
                : ["system": "VPN", "justification": "Bulk demo request"]
            let fields = graph.fields.compactMap { field in values[field.key].map { (field.id, $0.text) } }
            for key in spots {
                guard let node = graph.node(key: key) else { continue }
                let assignees: [Int64]
                switch node.participant {
                case .department(let id)?: assignees = try scope.ticketFlow.actors(inDepartment: id, on: db)
                case .person(let id)?: assignees = [id]
                case .role(let role)?: assignees = try scope.ticketFlow.actors(withRole: role.rawValue, on: db)
                default: assignees = []
                }
                let state: ActState = node.type == .end ? .finished : (node.type == .start ? .inDraft : .onGoing)
                result.append(Placement(versionID: version.id, nodeID: node.id, assignees: assignees, actState: state,
                                        fields: fields, subject: "\(name): bulk ticket at \(node.name)"))
            }
        }
        return result
    }
}
