public import DeskgateSQL
public import DeskgateStore
import DeskgateModel

/// What a tenant lets MCP calls reach, beyond the caller's own role and scopes (design: the
/// admin's "data limit for MCP"): tickets of these departments, carrying one of these tags,
/// readable, and writable only when `allowsWrites`. Each non-empty set narrows; empty sets
/// limit nothing. Enforced in the domain for every token and app, so both tool families obey
/// it; the web pages and the CLI carry no limit.
///
/// A ticket outside the limit is "not found" to MCP, exactly like a missing one, and lists
/// and searches never return it. A write that would land outside (a transfer to another
/// department, removing the last limited tag, a new ticket elsewhere) is refused.
public struct MCPDataLimit: Sendable, Equatable {
    public var departmentIDs: Set<Int64>
    public var tagIDs: Set<Int64>
    public var allowsWrites: Bool

    public init(departmentIDs: Set<Int64> = [], tagIDs: Set<Int64> = [], allowsWrites: Bool = true) {
        self.departmentIDs = departmentIDs
        self.tagIDs = tagIDs
        self.allowsWrites = allowsWrites
    }

    /// Limits nothing: the default, and what the hot path skips.
    public var isUnlimited: Bool { departmentIDs.isEmpty && tagIDs.isEmpty && allowsWrites }

    /// Whether the data set is narrowed (writes aside).
    public var narrowsTickets: Bool { !departmentIDs.isEmpty || !tagIDs.isEmpty }

    /// One point read at most (the tag probe), and none without tags.
    func admits(_ ticket: Ticket, in scope: TenantScope, on db: any SQLConnection) throws -> Bool {
        if !departmentIDs.isEmpty {
            guard let department = ticket.departmentID, departmentIDs.contains(department) else { return false }
        }
        if !tagIDs.isEmpty {
            return try scope.tags.ticket(ticket.id, hasAnyOf: tagIDs.sorted(), on: db)
        }
        return true
    }

    func requireWrites() throws {
        guard allowsWrites else {
            throw DeskError.forbidden("this tenant's MCP data limit lets MCP read these tickets but not change them "
                                      + "(a tenant admin can allow writing in the MCP settings)")
        }
    }

    static func outside(_ what: String) -> DeskError {
        .forbidden("\(what) would be outside this tenant's MCP data limit (the departments and tags MCP may reach); "
                   + "a tenant admin can change the limit in the MCP settings")
    }
}

extension DeskActor {
    /// The MCP data limit that applies to this actor, if any (nil: not limited).
    var activeLimit: MCPDataLimit? {
        guard let dataLimit, !dataLimit.isUnlimited else { return nil }
        return dataLimit
    }

    /// Throws `notFound(ref)` when the actor's data limit hides the ticket.
    /// `ref` names the ticket in the "not found" error; built only for that error (the text
    /// cost ~0.5k instructions per call when it was built up front; callgrind).
    func requireWithinLimit(_ ticket: Ticket, ref: @autoclosure () -> String, on db: any SQLConnection) throws {
        guard let limit = activeLimit else { return }
        guard try limit.admits(ticket, in: tenant, on: db) else { throw DeskError.notFound(ref()) }
    }
}

extension MCPDataLimit {
    /// A limit named the way people write it (department and tag names, any case), for the MCP
    /// settings page and `deskgate tenant settings`. Unknown names are an error that lists them,
    /// reported against `limit_departments` or `limit_tags`.
    public static func named(departments: [String], tags: [String], allowsWrites: Bool,
                             in scope: TenantScope, on db: any SQLConnection) throws -> MCPDataLimit {
        func ids<T>(_ names: [String], among rows: [T], name: (T) -> String, id: (T) -> Int64, field: String, what: String) throws -> Set<Int64> {
            var found: Set<Int64> = [], unknown: [String] = []
            for raw in names {
                let wanted = raw.trimmed.lowercased()
                guard !wanted.isEmpty else { continue }
                if let row = rows.first(where: { name($0).lowercased() == wanted }) { found.insert(id(row)) } else { unknown.append(wanted) }
            }
            guard unknown.isEmpty else {
                throw DeskError.invalid(field: field, reason: "no \(what) named " + unknown.map { "'\($0)'" }.joined(separator: ", ")
                                        + " in this help desk")
            }
            return found
        }
        return MCPDataLimit(
            departmentIDs: try ids(departments, among: try scope.departments.list(on: db), name: \.name, id: \.id,
                                   field: "limit_departments", what: "department"),
            tagIDs: try ids(tags, among: try scope.tags.list(on: db), name: \.name, id: \.id, field: "limit_tags", what: "tag"),
            allowsWrites: allowsWrites)
    }
}
