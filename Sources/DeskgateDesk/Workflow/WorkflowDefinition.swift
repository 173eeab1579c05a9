/// A workflow as an operator writes it (docs/workflows.md): typed form fields, a graph of
/// nodes joined by transitions, and who may view, intervene in or administer its tickets.
/// References are by key and by name (user emails, department names), never by database id,
/// so one document can be imported into any tenant and exported back unchanged.
public struct WorkflowDefinition: Sendable, Equatable {
    public var name: String
    public var description: String
    public var fields: [FieldDefinition]
    public var nodes: [NodeDefinition]
    public var transitions: [TransitionDefinition]
    public var permissions: [WorkflowGrant]

    public init(name: String, description: String = "", fields: [FieldDefinition] = [], nodes: [NodeDefinition],
                transitions: [TransitionDefinition], permissions: [WorkflowGrant] = []) {
        self.name = name
        self.description = description
        self.fields = fields
        self.nodes = nodes
        self.transitions = transitions
        self.permissions = permissions
    }

    public func node(_ key: String) -> NodeDefinition? { nodes.first { $0.key == key } }
    public func field(_ key: String) -> FieldDefinition? { fields.first { $0.key == key } }
    public func transitions(from key: String) -> [TransitionDefinition] { transitions.filter { $0.from == key } }
}

public enum FieldType: String, Sendable, CaseIterable {
    case text, number, date, select, user, department, boolean
    case richText = "rich_text"
}

public struct FieldDefinition: Sendable, Equatable {
    public var key: String
    public var label: String
    public var type: FieldType
    /// The choices of a `select` field, in display order; empty for every other type.
    public var options: [String]

    public init(key: String, label: String, type: FieldType, options: [String] = []) {
        self.key = key
        self.label = label
        self.type = type
        self.options = options
    }
}

public enum NodeType: String, Sendable, CaseIterable {
    case start, normal, end
    case exclusiveGateway = "exclusive_gateway"
    case parallelGateway = "parallel_gateway"

    /// Gateways route by themselves; nobody is ever asked to act on one.
    public var isGateway: Bool { self == .exclusiveGateway || self == .parallelGateway }
}

/// What a person at a node may do with a field: fill it in (required / optional), read it,
/// or not see it at all.
public enum FieldAccess: String, Sendable, CaseIterable {
    case required, optional, readonly, hidden
}

/// Who acts on a ticket while it waits at a node.
public enum Participant: Sendable, Equatable {
    /// One agent, by email.
    case person(String)
    /// Several agents, by email.
    case people([String])
    /// Every member of a department, by name.
    case department(String)
    /// Every active user of a role (`admin`, `agent`).
    case role(UserRoleName)
    /// Whoever created the ticket.
    case creator
    /// The agent named by a `user` field of the ticket.
    case field(String)
}

/// Role names a participant may name; viewers never act on tickets, so they are not offered.
public enum UserRoleName: String, Sendable, CaseIterable {
    case admin, agent
}

/// How a node with several candidate participants hands the ticket out.
public enum Distribution: String, Sendable, CaseIterable {
    /// Every candidate may act; the first action moves the ticket.
    case direct
    /// One candidate, picked at random, is assigned.
    case random
    /// Every candidate must act before the ticket moves on.
    case whole
    /// The ticket waits until a candidate accepts it.
    case voluntary
}

public struct NodeDefinition: Sendable, Equatable {
    public var key: String
    public var name: String
    public var type: NodeType
    public var participant: Participant?
    public var distribution: Distribution
    /// The creator may withdraw the ticket while it waits here.
    public var allowWithdraw: Bool
    /// Field key → access at this node. A field a node does not mention is read-only there.
    public var fieldAccess: [(key: String, access: FieldAccess)]

    public init(key: String, name: String, type: NodeType, participant: Participant? = nil,
                distribution: Distribution = .direct, allowWithdraw: Bool = false,
                fieldAccess: [(key: String, access: FieldAccess)] = []) {
        self.key = key
        self.name = name
        self.type = type
        self.participant = participant
        self.distribution = distribution
        self.allowWithdraw = allowWithdraw
        self.fieldAccess = fieldAccess
    }

    public func access(to field: String) -> FieldAccess {
        fieldAccess.first { $0.key == field }?.access ?? .readonly
    }

    public static func == (lhs: NodeDefinition, rhs: NodeDefinition) -> Bool {
        lhs.key == rhs.key && lhs.name == rhs.name && lhs.type == rhs.type && lhs.participant == rhs.participant
            && lhs.distribution == rhs.distribution && lhs.allowWithdraw == rhs.allowWithdraw
            && lhs.fieldAccess.map(\.key) == rhs.fieldAccess.map(\.key)
            && lhs.fieldAccess.map(\.access) == rhs.fieldAccess.map(\.access)
    }
}

/// `agree`, `reject` and `other` are actions a participant chooses; `condition` transitions
/// leave exclusive gateways and are taken by the engine when their condition holds.
public enum TransitionType: String, Sendable, CaseIterable {
    case agree, reject, other, condition
}

public struct TransitionDefinition: Sendable, Equatable {
    public var key: String
    public var name: String
    public var type: TransitionType
    public var from: String
    public var to: String
    /// Only on transitions out of an exclusive gateway. Nil there marks the default route,
    /// taken when no other condition holds.
    public var condition: Condition?
    /// A sub-ticket the transition opens when someone takes it.
    public var openChild: ChildTicket?

    public init(key: String, name: String, type: TransitionType, from: String, to: String, condition: Condition? = nil,
                openChild: ChildTicket? = nil) {
        self.openChild = openChild
        self.key = key
        self.name = name
        self.type = type
        self.from = from
        self.to = to
        self.condition = condition
    }
}

/// `open_child`: the child ticket a transition opens, in a workflow named by name (this one or
/// another of the tenant), created by whoever takes the transition and waiting at its start
/// node for them; `subject` defaults to the transition's name and the parent's subject.
public struct ChildTicket: Sendable, Equatable {
    public var workflow: String
    public var subject: String?

    public init(workflow: String, subject: String? = nil) {
        self.workflow = workflow
        self.subject = subject
    }
}

public enum WorkflowPermission: String, Sendable, CaseIterable {
    /// See the workflow's tickets (`ticket_list` category `view`).
    case view
    /// Act on its tickets out of turn (`ticket_list` category `intervene`).
    case intervene
    /// Administer it: force-forward and force-close its tickets.
    case admin
}

/// A workflow permission given to one user (by email) or one department (by name).
public struct WorkflowGrant: Sendable, Equatable {
    public enum Target: Sendable, Equatable {
        case user(String)
        case department(String)
    }

    public var permission: WorkflowPermission
    public var target: Target

    public init(permission: WorkflowPermission, target: Target) {
        self.permission = permission
        self.target = target
    }
}
