/// The filters of the workflow family's `ticket_list`, as the store applies them.
public struct WorkflowTicketFilter: Sendable {
    /// How the caller relates to the tickets listed.
    public enum Category: String, Sendable, CaseIterable {
        /// Waiting for the caller to act (assignee, pick-up candidate or consultant).
        case duty
        /// Created by the caller.
        case owner
        /// Any relation: created, assigned, processed, consulted, copied.
        case relation
        /// In workflows the caller may view.
        case view
        /// Processed by the caller at some point.
        case worked
        /// In workflows the caller may intervene in.
        case intervene
        /// Every workflow ticket of the tenant (admins only; the domain refuses others).
        case all
    }

    public var category: Category
    public var userID: Int64
    public var departmentIDs: [Int64]
    /// Tenant admins view and intervene in every workflow.
    public var isTenantAdmin: Bool
    /// Substring of the subject, case-insensitive (Unicode), accents kept (see `TitleSubstring`).
    public var search: String?
    public var createdFrom: Int64?
    public var createdTo: Int64?
    public var workflowIDs: [Int64] = []
    public var nodeIDs: [Int64] = []
    public var ticketNumbers: [Int64] = []
    public var actStates: [ActState] = []
    public var creatorID: Int64?
    public var parentTicketID: Int64?
    public var newestFirst = true
    /// A tenant's MCP data limit (see `TicketFilter.limitDepartmentIDs`); empty: none.
    public var limitDepartmentIDs: [Int64] = []
    public var limitTagIDs: [Int64] = []

    /// The category admits every workflow ticket of the tenant: `all`, or `view` / `intervene`
    /// for a tenant admin (who views and intervenes in every workflow).
    package var listsEveryWorkflowTicket: Bool {
        switch category {
        case .all: true
        case .view, .intervene: isTenantAdmin
        case .duty, .owner, .relation, .worked: false
        }
    }

    /// No filter but the category and the creation window.
    package var onlyCategoryAndWindow: Bool {
        (search ?? "").isEmpty && workflowIDs.isEmpty && nodeIDs.isEmpty && ticketNumbers.isEmpty && actStates.isEmpty
            && creatorID == nil && parentTicketID == nil && limitDepartmentIDs.isEmpty && limitTagIDs.isEmpty
    }

    public init(category: Category, userID: Int64, departmentIDs: [Int64], isTenantAdmin: Bool) {
        self.category = category
        self.userID = userID
        self.departmentIDs = departmentIDs
        self.isTenantAdmin = isTenantAdmin
    }
}
