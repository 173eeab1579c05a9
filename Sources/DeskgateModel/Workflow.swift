/// A workflow of one tenant; its graph lives in versions (a ticket pins the version it started on).
public struct Workflow: Sendable, Equatable, Identifiable {
    public let id: Int64
    public let tenantID: Int64
    public let name: String
    public let description: String
    /// The tenant's default workflow receives help-desk tickets created without one.
    public let isDefault: Bool
    public let createdAt: Int64

    public init(id: Int64, tenantID: Int64, name: String, description: String, isDefault: Bool, createdAt: Int64) {
        self.id = id
        self.tenantID = tenantID
        self.name = name
        self.description = description
        self.isDefault = isDefault
        self.createdAt = createdAt
    }
}

public enum WorkflowVersionStatus: String, Sendable {
    /// New tickets start on it; one per workflow.
    case `default`
    case candidate
    /// Replaced; tickets that started on it stay on it.
    case archived
}

public struct WorkflowVersion: Sendable, Equatable, Identifiable {
    public let id: Int64
    public let workflowID: Int64
    public let version: Int
    public let name: String
    public let status: WorkflowVersionStatus
    /// The document the version was imported from, in canonical form (what `workflow export` prints).
    public let definitionJSON: String
    public let createdAt: Int64

    public init(id: Int64, workflowID: Int64, version: Int, name: String, status: WorkflowVersionStatus,
                definitionJSON: String, createdAt: Int64) {
        self.id = id
        self.workflowID = workflowID
        self.version = version
        self.name = name
        self.status = status
        self.definitionJSON = definitionJSON
        self.createdAt = createdAt
    }
}

/// A listing row: a workflow, its current version and how many tickets use it.
public struct WorkflowSummary: Sendable, Equatable {
    public let workflow: Workflow
    public let currentVersion: Int?
    public let versionCount: Int
    public let ticketCount: Int

    public init(workflow: Workflow, currentVersion: Int?, versionCount: Int, ticketCount: Int) {
        self.workflow = workflow
        self.currentVersion = currentVersion
        self.versionCount = versionCount
        self.ticketCount = ticketCount
    }
}

/// One version's graph as the store writes it: references are keys within the version and
/// ids of this tenant's users and departments, resolved by the caller.
public struct NewWorkflowVersion: Sendable {
    public struct Field: Sendable {
        public var key, label, type: String
        public var optionsJSON: String?
        public init(key: String, label: String, type: String, optionsJSON: String?) {
            (self.key, self.label, self.type, self.optionsJSON) = (key, label, type, optionsJSON)
        }
    }

    public struct Node: Sendable {
        public var key, name, type: String
        public var participantType: String?
        /// A user id, comma-separated user ids, a department id, a role name or a field key.
        public var participantValue: String?
        public var distribution: String
        public var allowWithdraw: Bool
        public var fieldAccess: [(fieldKey: String, permission: String)]
        public init(key: String, name: String, type: String, participantType: String?, participantValue: String?,
                    distribution: String, allowWithdraw: Bool, fieldAccess: [(fieldKey: String, permission: String)]) {
            (self.key, self.name, self.type) = (key, name, type)
            (self.participantType, self.participantValue) = (participantType, participantValue)
            (self.distribution, self.allowWithdraw, self.fieldAccess) = (distribution, allowWithdraw, fieldAccess)
        }
    }

    public struct Transition: Sendable {
        public var key, name, type, from, to: String
        public var conditionJSON: String?
        /// `workflow_transitions.props_json`: `{"open_child": {...}}` or `{}`.
        public var propsJSON: String
        public init(key: String, name: String, type: String, from: String, to: String, conditionJSON: String?, propsJSON: String = "{}") {
            (self.key, self.name, self.type, self.from, self.to, self.conditionJSON) = (key, name, type, from, to, conditionJSON)
            self.propsJSON = propsJSON
        }
    }

    public struct Permission: Sendable {
        public var permission: String
        public var targetType: String
        public var targetID: Int64
        public init(permission: String, targetType: String, targetID: Int64) {
            (self.permission, self.targetType, self.targetID) = (permission, targetType, targetID)
        }
    }

    public var workflowName: String
    public var description: String
    public var definitionJSON: String
    public var fields: [Field]
    public var nodes: [Node]
    public var transitions: [Transition]
    public var permissions: [Permission]

    public init(workflowName: String, description: String, definitionJSON: String, fields: [Field], nodes: [Node],
                transitions: [Transition], permissions: [Permission]) {
        self.workflowName = workflowName
        self.description = description
        self.definitionJSON = definitionJSON
        self.fields = fields
        self.nodes = nodes
        self.transitions = transitions
        self.permissions = permissions
    }
}
