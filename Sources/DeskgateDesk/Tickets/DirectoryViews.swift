public import DeskgateModel

/// A user of the tenant as `list_agents` shows them.
public struct AgentView: Sendable, Equatable {
    public let id: Int64
    public let name: String
    public let email: String
    public let role: UserRole
    public let departments: [DepartmentRef]
    public let active: Bool
}

/// A department as `list_departments` shows it.
public struct DepartmentView: Sendable, Equatable {
    public let id: Int64
    public let name: String
    public let memberCount: Int
    /// Tickets still in play: new, open or pending.
    public let openTicketCount: Int
}
