public import DeskgateSQL
import DeskgateStore
public import DeskgateModel

/// A person in `user_list`, with their departments (primary marked).
public struct UserListEntry: Sendable, Equatable {
    public struct Membership: Sendable, Equatable {
        public let id: Int64
        public let name: String
        public let isPrimary: Bool
    }

    public let user: User
    public let departments: [Membership]
    /// Who created the user (nil: the operator's CLI, the demo, or before schema 12).
    public let creator: User?
}

public struct UserListPage: Sendable, Equatable {
    public let users: [UserListEntry]
    public let window: PageWindow
    /// The position of the first user in the whole listing (a cursor may start between pages).
    public var start = 0
}

/// The tenant's people for the workflow family's `user_list`: filtered by a search over name,
/// alias and email, by ids and by department, paged by number. Reads `AgentDirectory`, the
/// same listing `list_agents` and the CLI use.
public struct UserListing: Sendable {
    public struct Filter: Sendable {
        public var search: String?
        public var userIDs: [Int64]
        /// Nil: every department.
        public var departmentID: Int64?
        public var page: Int
        public var perPage: Int
        /// The position to list from instead of `page` (a cursor user_list handed out when a
        /// size budget cut a page short).
        public var start: Int?

        public init(search: String? = nil, userIDs: [Int64] = [], departmentID: Int64? = nil, page: Int = 1, perPage: Int = 10) {
            self.search = search
            self.userIDs = userIDs
            self.departmentID = departmentID
            self.page = page
            self.perPage = perPage
        }
    }

    public init() {}

    public func page(_ filter: Filter, actor: DeskActor, on db: any SQLConnection) throws -> UserListPage {
        try actor.permissions.requireActive()
        let needle = filter.search?.trimmed.lowercased() ?? ""
        let wanted = Set(filter.userIDs)
        let everyone = try AgentDirectory.list(actor.tenant, on: db)
        let byID = Dictionary(uniqueKeysWithValues: everyone.map { ($0.user.id, $0.user) })
        let matches = everyone.filter { entry in
            let user = entry.user
            if !needle.isEmpty, !([user.name, user.alias ?? "", user.email].contains { $0.lowercased().contains(needle) }) { return false }
            if !wanted.isEmpty, !wanted.contains(user.id) { return false }
            if let department = filter.departmentID, !entry.departments.contains(where: { $0.id == department }) { return false }
            return true
        }
        let window = PageWindow(requested: filter.start.map { $0 / filter.perPage + 1 } ?? filter.page, perPage: filter.perPage,
                                total: matches.count)
        let start = filter.start ?? window.offset
        let slice = matches.dropFirst(start).prefix(window.perPage)
        return UserListPage(users: slice.map { entry in
            UserListEntry(user: entry.user, departments: entry.departments.map {
                UserListEntry.Membership(id: $0.id, name: $0.name, isPrimary: $0.id == entry.primaryDepartmentID)
            }, creator: entry.user.creatorID.flatMap { byID[$0] })
        }, window: window, start: start)
    }
}
