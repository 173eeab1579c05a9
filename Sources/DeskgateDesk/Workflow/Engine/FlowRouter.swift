import DeskgateModel

/// Where following a transition leaves a ticket.
struct Route: Sendable, Equatable {
    /// The ticket's positions afterwards (the branch that moved is replaced; others are kept).
    var positions: [FlowPosition]
    /// Set when an end node was reached: `finished`, or `rejected` through a reject transition.
    var ended: ActState?
    /// Nodes entered on the way, in order (gateways included), for results and history.
    var entered: [Int64]
}

/// Walks the graph from a transition to the next places where people act: through
/// exclusive gateways (first route whose condition holds, else the default), parallel
/// splits (every branch) and joins (wait until no other branch is still open), to normal,
/// start or end nodes. It only computes; the caller writes the outcome.
struct FlowRouter {
    let graph: FlowGraph
    let values: [String: FieldValue]
    let creatorID: Int64?
    let now: Int64
    /// Active agents and admins a participant names (empty when nobody can act).
    let candidates: (ResolvedParticipant) throws -> [Int64]
    /// Picks one of several candidates (`random` distribution); injectable for tests.
    var pick: ([Int64]) -> Int64 = { $0.randomElement()! }

    /// Follows `transition` out of the position at its source node; `others` are the
    /// ticket's remaining positions (other parallel branches).
    func follow(_ transition: FlowGraph.Transition, others: [FlowPosition]) throws -> Route {
        var route = Route(positions: others, ended: nil, entered: [])
        try enter(transition.to, via: transition, into: &route, depth: 0)
        if route.ended != nil { route.positions = [] }
        return route
    }

    /// The position a ticket takes when it is created: at the start node, with its creator.
    func startPosition() -> FlowPosition {
        FlowPosition(nodeID: graph.start.id, assigneeIDs: creatorID.map { [$0] } ?? [], enteredAt: now)
    }

    private func enter(_ nodeID: Int64, via transition: FlowGraph.Transition, into route: inout Route, depth: Int) throws {
        guard depth < 64 else {
            throw DeskError.conflict("workflow '\(graph.workflow.name)' loops between gateways without reaching a person")
        }
        guard let node = graph.node(nodeID) else {
            throw DeskError.conflict("workflow '\(graph.workflow.name)' names a node that does not exist (#\(nodeID))")
        }
        route.entered.append(node.id)
        switch node.type {
        case .end:
            route.ended = transition.type == .reject ? .rejected : .finished
        case .start:
            add(startPosition(), to: &route)
        case .normal:
            add(try position(at: node), to: &route)
        case .exclusiveGateway:
            let routes = graph.outgoing(node.id)
            guard let next = routes.first(where: { $0.condition?.holds(for: values) == true })
                    ?? routes.first(where: { $0.condition == nil }) else {
                throw DeskError.invalid(field: "fields", reason: "gateway '\(node.name)' has no route for these values: "
                    + routes.compactMap { $0.condition.map { "\($0)" } }.joined(separator: " or ") + " (set the fields it tests)")
            }
            try enter(next.to, via: next, into: &route, depth: depth + 1)
        case .parallelGateway:
            let outgoing = graph.outgoing(node.id)
            if outgoing.count > 1 {
                for branch in outgoing where route.ended == nil {
                    try enter(branch.to, via: branch, into: &route, depth: depth + 1)
                }
            } else if route.positions.isEmpty {
                // The last open branch arrived: the join lets the ticket through.
                try enter(outgoing[0].to, via: outgoing[0], into: &route, depth: depth + 1)
            }
            // Otherwise this branch is done and waits here for the others.
        }
    }

    private func add(_ position: FlowPosition, to route: inout Route) {
        route.positions.removeAll { $0.nodeID == position.nodeID }
        route.positions.append(position)
    }

    /// Who is asked to act at a normal node, by its participant and distribution.
    func position(at node: FlowGraph.Node) throws -> FlowPosition {
        guard let participant = node.participant else {
            throw DeskError.conflict("node '\(node.name)' has no participant")
        }
        let people = try candidates(participant)
        guard !people.isEmpty else {
            throw DeskError.conflict("nobody can act at '\(node.name)': its participant (\(participant.description)) names no active agent")
        }
        switch node.distribution {
        case .direct, .whole: return FlowPosition(nodeID: node.id, assigneeIDs: people, enteredAt: now)
        case .random: return FlowPosition(nodeID: node.id, assigneeIDs: [pick(people)], enteredAt: now)
        case .voluntary: return FlowPosition(nodeID: node.id, assigneeIDs: people, awaitingPickup: true, enteredAt: now)
        }
    }
}

extension ResolvedParticipant: CustomStringConvertible {
    public var description: String {
        switch self {
        case .person(let id): return "person #\(id)"
        case .people(let ids): return "people " + ids.map { "#\($0)" }.joined(separator: ", ")
        case .department(let id): return "department #\(id)"
        case .role(let role): return "role \(role.rawValue)"
        case .creator: return "the creator"
        case .field(let key): return "field \(key)"
        }
    }
}

extension Condition: CustomStringConvertible {
    public var description: String {
        groups.map { group in
            group.map { "\($0.field) \($0.comparison.rawValue) \($0.value)" }.joined(separator: " and ")
        }.joined(separator: " or ")
    }
}

extension FieldValue: CustomStringConvertible {
    public var description: String {
        switch self {
        case .text(let s), .date(let s): return "'\(s)'"
        case .number(let d): return d.rounded() == d && abs(d) < 1e15 ? String(Int(d)) : String(d)
        case .bool(let b): return String(b)
        case .reference(let id): return "#\(id)"
        }
    }
}
