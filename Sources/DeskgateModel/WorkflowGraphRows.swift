/// One version's graph as stored: the engine (DeskgateDesk) turns these rows into its model.
public struct WorkflowNodeRow: Sendable, Equatable {
    public let id: Int64
    public let key: String
    public let name: String
    public let type: String
    public let participantType: String?
    public let participantValue: String?
    public let allowWithdraw: Bool
    public let distribution: String

    public init(id: Int64, key: String, name: String, type: String, participantType: String?, participantValue: String?,
                allowWithdraw: Bool, distribution: String) {
        self.id = id
        self.key = key
        self.name = name
        self.type = type
        self.participantType = participantType
        self.participantValue = participantValue
        self.allowWithdraw = allowWithdraw
        self.distribution = distribution
    }
}

public struct WorkflowTransitionRow: Sendable, Equatable {
    public let id: Int64
    public let key: String
    public let name: String
    public let fromNodeID: Int64
    public let toNodeID: Int64
    public let type: String
    public let conditionJSON: String?
    public let propsJSON: String

    public init(id: Int64, key: String, name: String, fromNodeID: Int64, toNodeID: Int64, type: String,
                conditionJSON: String?, propsJSON: String = "{}") {
        self.propsJSON = propsJSON
        self.id = id
        self.key = key
        self.name = name
        self.fromNodeID = fromNodeID
        self.toNodeID = toNodeID
        self.type = type
        self.conditionJSON = conditionJSON
    }
}

public struct WorkflowFieldRow: Sendable, Equatable {
    public let id: Int64
    public let key: String
    public let label: String
    public let type: String
    public let optionsJSON: String?

    public init(id: Int64, key: String, label: String, type: String, optionsJSON: String?) {
        self.id = id
        self.key = key
        self.label = label
        self.type = type
        self.optionsJSON = optionsJSON
    }
}

public struct WorkflowFieldAccessRow: Sendable, Equatable {
    public let nodeID: Int64
    public let fieldID: Int64
    public let permission: String

    public init(nodeID: Int64, fieldID: Int64, permission: String) {
        self.nodeID = nodeID
        self.fieldID = fieldID
        self.permission = permission
    }
}

public struct WorkflowGraphRows: Sendable, Equatable {
    public let workflow: Workflow
    public let version: WorkflowVersion
    public let nodes: [WorkflowNodeRow]
    public let transitions: [WorkflowTransitionRow]
    public let fields: [WorkflowFieldRow]
    public let fieldAccess: [WorkflowFieldAccessRow]

    public init(workflow: Workflow, version: WorkflowVersion, nodes: [WorkflowNodeRow],
                transitions: [WorkflowTransitionRow], fields: [WorkflowFieldRow],
                fieldAccess: [WorkflowFieldAccessRow]) {
        self.workflow = workflow
        self.version = version
        self.nodes = nodes
        self.transitions = transitions
        self.fields = fields
        self.fieldAccess = fieldAccess
    }
}

/// Where a workflow ticket waits (migration 3, `ticket_positions`).
public struct FlowPosition: Sendable, Equatable {
    public var nodeID: Int64
    public var assigneeIDs: [Int64]
    public var awaitingPickup: Bool
    public var consultantID: Int64?
    public var consultedByID: Int64?
    public var actedIDs: [Int64]
    public var enteredAt: Int64

    public init(nodeID: Int64, assigneeIDs: [Int64], awaitingPickup: Bool = false, consultantID: Int64? = nil,
                consultedByID: Int64? = nil, actedIDs: [Int64] = [], enteredAt: Int64) {
        self.nodeID = nodeID
        self.assigneeIDs = assigneeIDs
        self.awaitingPickup = awaitingPickup
        self.consultantID = consultantID
        self.consultedByID = consultedByID
        self.actedIDs = actedIDs
        self.enteredAt = enteredAt
    }
}

/// How a user relates to a ticket, for the list categories (`ticket_participants`).
public enum TicketRelation: String, Sendable {
    case creator = "as_creator", assignee = "as_assignee", processor = "as_processor"
    case consultant = "as_consultant", cc = "as_cc"
}
