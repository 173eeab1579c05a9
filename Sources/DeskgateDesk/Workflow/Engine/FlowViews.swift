import DeskgateSQL
public import DeskgateJSON
import DeskgateStore
public import DeskgateModel

/// A node a ticket waits at, and who is asked to act there.
public struct FlowPositionView: Sendable, Equatable {
    public let nodeKey: String
    public let nodeName: String
    public let assignees: [PersonRef]
    public let awaitingPickup: Bool
    public let consultant: PersonRef?
}

/// A form field as one user sees it at the ticket's current node (hidden fields are left out).
public struct FlowFieldView: Sendable, Equatable {
    public let key: String
    public let label: String
    public let type: FieldType
    public let options: [String]
    public let value: JSONValue?
    public let access: FieldAccess
}

/// `ticket_detail` / `ticket_prepare_handle`: the ticket, its form for this user, and what they may do.
public struct FlowTicketDetail: Sendable, Equatable {
    public let ticketID: Int64
    public let number: Int64
    public let subject: String
    public let actState: ActState
    public let creator: PersonRef?
    public let workflowID: Int64
    public let workflowName: String
    public let workflowDescription: String
    public let version: Int
    public let positions: [FlowPositionView]
    /// The node whose form permissions apply to this user (where they act, else the first one).
    public let baseNodeKey: String?
    public let fields: [FlowFieldView]
    public let actions: [OfferedAction]
    public let adminActions: [OfferedAction]
    public let createdAt: Int64
    public let updatedAt: Int64
    /// The ticket this one was opened from, and those opened from it, as far as the user may see them.
    public var parent: TicketLink? = nil
    public var children: [TicketLink] = []
    /// The newest changes (the workflow product's flow log), oldest first; `get_ticket_activity` pages the rest.
    public var flowLog: [TicketActivityEntry] = []
    /// How many changes the flow log shows at most.
    public static let flowLogLimit = 20

    public var requiredFields: [String] { fields.filter { $0.access == .required }.map(\.key) }
    public var optionalFields: [String] { fields.filter { $0.access == .optional }.map(\.key) }
    public var readonlyFields: [String] { fields.filter { $0.access == .readonly }.map(\.key) }
}

/// What `ticket_handle` did, or in a dry run would do.
public struct FlowOutcome: Sendable, Equatable {
    public let dryRun: Bool
    public let ticketID: Int64
    public let number: Int64
    public let actionType: FlowActionType
    public let actionID: String
    public let actState: ActState
    /// Where the ticket waits afterwards, and who is asked to act (empty once it ended).
    public let positions: [FlowPositionView]
    public let changedFields: [String]
    public var summary: String
    /// The sub-ticket the transition opened (`open_child`), if any.
    public var openedChild: TicketLink? = nil

    /// "it is onGoing at Pay out (Priya Patel)", "it would be finished".
    var landing: String { Self.landing(dryRun: dryRun, actState: actState, positions: positions) }

    static func landing(dryRun: Bool, actState: ActState, positions: [FlowPositionView]) -> String {
        let verb = dryRun ? "would be" : "is"
        guard !positions.isEmpty else { return "it \(verb) \(actState.rawValue)" }
        return "it \(verb) \(actState.rawValue) at " + positions.map { view in
            "\(view.nodeName) (" + (view.assignees.isEmpty ? "nobody" : view.assignees.map(\.name).joined(separator: ", ")) + ")"
        }.joined(separator: " and ")
    }
}

enum FlowViewBuilder {
    /// The people of `ids` that exist in the tenant, in that order, read in one statement.
    static func people(_ ids: [Int64], scope: TenantScope, on db: any SQLConnection) throws -> [PersonRef] {
        let found = try people(byID: ids, scope: scope, on: db)
        return ids.compactMap { found[$0] }
    }

    /// The people of `ids` that exist in the tenant, by id (a listing's creators, say).
    static func people(byID ids: some Collection<Int64>, scope: TenantScope, on db: any SQLConnection) throws -> [Int64: PersonRef] {
        try scope.users.byIDs(ids, on: db).mapValues { PersonRef(id: $0.id, name: $0.name, email: $0.email) }
    }

    static func positions(_ flow: FlowTicket, scope: TenantScope, on db: any SQLConnection) throws -> [FlowPositionView] {
        try flow.positions.compactMap { position in
            guard let node = flow.graph.node(position.nodeID) else { return nil }
            return FlowPositionView(nodeKey: node.key, nodeName: node.name,
                                    assignees: try people(position.assigneeIDs, scope: scope, on: db),
                                    awaitingPickup: position.awaitingPickup,
                                    consultant: try position.consultantID.flatMap { try people([$0], scope: scope, on: db).first })
        }
    }

    /// Where this user acts (assignee or consultant), else the first position.
    static func baseNode(_ flow: FlowTicket, for userID: Int64) -> FlowGraph.Node? {
        let mine = flow.positions.first { $0.assigneeIDs.contains(userID) || $0.consultantID == userID }
        return (mine ?? flow.positions.first).flatMap { flow.graph.node($0.nodeID) }
    }

    static func detail(_ flow: FlowTicket, _ access: FlowAccess, on db: any SQLConnection) throws -> FlowTicketDetail {
        let scope = access.actor.tenant, me = access.actor.user.id
        let base = baseNode(flow, for: me)
        let acting = FlowActions.offered(flow, access).contains { $0.type.isTransition && $0.nodeKey == base?.key }
        let fields: [FlowFieldView] = flow.graph.fields.compactMap { field in
            var fieldAccess = base?.access(to: field) ?? .readonly
            if fieldAccess == .hidden { return nil }
            // Someone who cannot act at the node may read what they see there, not fill it in.
            if !acting, fieldAccess != .readonly { fieldAccess = .readonly }
            return FlowFieldView(key: field.key, label: field.label, type: field.type, options: field.options,
                                 value: flow.values[field.key].map(FlowForm.json), access: fieldAccess)
        }
        let t = flow.ticket
        return FlowTicketDetail(
            ticketID: t.id, number: t.number, subject: t.subject, actState: t.actState,
            creator: try t.creatorID.flatMap { try people([$0], scope: scope, on: db).first },
            workflowID: flow.graph.workflow.id, workflowName: flow.graph.workflow.name,
            workflowDescription: flow.graph.workflow.description, version: flow.graph.version.version,
            positions: try positions(flow, scope: scope, on: db), baseNodeKey: base?.key, fields: fields,
            actions: FlowActions.offered(flow, access), adminActions: FlowActions.adminOffered(flow, access),
            createdAt: t.createdAt, updatedAt: t.updatedAt)
    }
}
