public import DeskgateSQL
import DeskgateStore
import DeskgateModel

/// `search_tickets`: filters, full text, newest-updated first, only tickets the actor may see.
extension TicketService {
    public static let searchPageLimits = 1...100

    public func search(_ search: TicketSearch, actor: DeskActor, on db: any SQLConnection) throws -> TicketSearchPage {
        try actor.permissions.requireActive()
        let scope = actor.tenant
        var filter = try storeFilter(for: search, scope: scope, on: db)
        filter.visibility = actor.permissions.visibility
        if let limit = actor.activeLimit {
            filter.limitDepartmentIDs = limit.departmentIDs.sorted()
            filter.limitTagIDs = limit.tagIDs.sorted()
        }
        let fingerprint = PageCursor.fingerprint(search.fingerprint)
        if let cursor = search.cursor {
            guard let values = PageCursor.decode(cursor, kind: "s1", count: 3), values[2] == fingerprint else {
                throw DeskError.invalid(field: "cursor", reason: "not a next_cursor of this search; repeat the same "
                                        + "criteria with the next_cursor unchanged, or omit it to start from the newest")
            }
            filter.after = TicketPosition(updatedAt: values[0], id: values[1])
        }
        // An unknown tag matches nothing; no need to ask the database.
        if search.tag != nil, filter.tagID == nil { return TicketSearchPage(tickets: [], nextCursor: nil) }

        filter.limit = search.limit + 1
        let rows = try scope.tickets.find(filter, on: db)
        let page = Array(rows.prefix(search.limit))
        let departments = Dictionary(uniqueKeysWithValues: try scope.departments.list(on: db).map { ($0.id, $0.name) })
        var assignees: [Int64: String] = [:]
        let summaries = try page.map { match in
            let ticket = match.ticket
            if let id = ticket.assigneeID, assignees[id] == nil { assignees[id] = try scope.users.byID(id, on: db)?.name }
            let place = ticket.workflowVersionID == nil ? nil : try scope.tickets.workflowPlace(ticketID: ticket.id, on: db)
            return TicketSummary(id: ticket.id, number: ticket.number, subject: ticket.subject, status: ticket.status,
                                 priority: ticket.priority, departmentName: ticket.departmentID.flatMap { departments[$0] },
                                 assigneeName: ticket.assigneeID.flatMap { assignees[$0] }, updatedAt: ticket.updatedAt,
                                 workflowName: place?.workflow ?? SupportWorkflow.name,
                                 workflowNodes: place?.nodes ?? [SupportWorkflow.nodeName(ticket.status)],
                                 snippet: match.snippet,
                                 subjectAuthorKind: AuthorKind.ofSubject(creatorID: ticket.creatorID,
                                                                         requesterContactID: ticket.requesterContactID))
        }
        let next = rows.count > search.limit
            ? page.last.map { PageCursor.encode(kind: "s1", [$0.ticket.updatedAt, $0.ticket.id, fingerprint]) } : nil
        return TicketSearchPage(tickets: summaries, nextCursor: next)
    }

    /// C0 and C1 controls other than the whitespace a pasted query may carry (tab, line breaks).
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A, 0x0D: false
        case 0x00...0x1F, 0x7F...0x9F: true
        default: false
        }
    }

    /// Validates the criteria and names what is accepted when they are wrong.
    private func storeFilter(for search: TicketSearch, scope: TenantScope, on db: any SQLConnection) throws -> TicketFilter {
        guard Self.searchPageLimits.contains(search.limit) else {
            throw DeskError.invalid(field: "limit", reason: "must be between 1 and 100 (default 20)")
        }
        if search.unassigned, search.assigneeID != nil {
            throw DeskError.invalid(field: "unassigned", reason: "cannot be combined with assignee_id; use one or the other")
        }
        var filter = TicketFilter()
        if let text = search.text?.trimmed, !text.isEmpty {
            guard text.count <= 200 else { throw DeskError.invalid(field: "text", reason: "must be at most 200 characters") }
            // No ticket text holds a control character, and U+0000 cuts a full-text query short.
            if let control = text.unicodeScalars.first(where: TicketService.isControl) {
                let hex = String(control.value, radix: 16, uppercase: true)
                throw DeskError.invalid(field: "text", reason: "contains the control character U+"
                    + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
                    + "; search with words (letters, digits, punctuation) only")
            }
            filter.text = text
        }
        filter.statuses = Array(Set(search.statuses)).sorted { $0.rawValue < $1.rawValue }
        filter.priorities = Array(Set(search.priorities)).sorted { $0.rawValue < $1.rawValue }
        if let id = search.departmentID {
            guard try scope.departments.byID(id, on: db) != nil else {
                throw try DirectoryChoices.unknownDepartment("#\(id)", field: "department_id", scope: scope, on: db)
            }
            filter.departmentID = id
        }
        if let id = search.assigneeID {
            guard try scope.users.byID(id, on: db) != nil else {
                throw try DirectoryChoices.unknownAgent("#\(id)", field: "assignee_id", scope: scope, on: db)
            }
            filter.assigneeID = id
        }
        filter.unassignedOnly = search.unassigned
        if let tag = search.tag {
            filter.tagID = try scope.tags.byName(TagNames.validate(tag, field: "tag"), on: db)?.id
        }
        filter.createdAfter = search.createdAfter
        filter.createdBefore = search.createdBefore
        filter.updatedAfter = search.updatedAfter
        filter.updatedBefore = search.updatedBefore
        return filter
    }
}
