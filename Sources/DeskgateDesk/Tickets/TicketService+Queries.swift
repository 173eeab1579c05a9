public import DeskgateSQL
import DeskgateStore
import DeskgateModel

/// Reading single tickets: metadata, context, messages, tags.
extension TicketService {
    public static let messagePageLimits = 1...100
    public static let recentMessageLimits = 0...50

    /// One statement: the ticket with its relations (`TicketRepository.detail`); the visibility
    /// rule is the same as `visibleTicket`'s, applied to the row before anything is shown.
    public func metadata(_ ref: TicketRef, actor: DeskActor, on db: any SQLConnection) throws -> TicketMetadata {
        try actor.permissions.requireActive()
        let detail = switch ref {
        case .number(let number): try actor.tenant.tickets.detail(byNumber: number, on: db)
        case .id(let id): try actor.tenant.tickets.detail(byID: id, on: db)
        }
        guard let detail, actor.permissions.canSee(detail.ticket) else { throw DeskError.notFound(ref.description) }
        try actor.requireWithinLimit(detail.ticket, ref: ref.description, on: db)
        return metadata(of: detail.ticket, relations: detail.relations, workflowNode: detail.workflowNodeName, actor: actor)
    }

    public func context(_ ref: TicketRef, recentMessages: Int = 5, actor: DeskActor, on db: any SQLConnection) throws -> TicketContext {
        guard Self.recentMessageLimits.contains(recentMessages) else {
            throw DeskError.invalid(field: "recent_messages", reason: "must be between 0 and 50")
        }
        let ticket = try visibleTicket(ref, actor: actor, on: db)
        let metadata = try metadata(of: ticket, actor: actor, on: db)
        let recent = recentMessages == 0 ? [] : try actor.tenant.messages.latest(ticketID: ticket.id, limit: recentMessages, on: db)
        var names = AuthorNames(scope: actor.tenant)
        return TicketContext(metadata: metadata, recentMessages: try recent.map { try names.view(of: $0, on: db) },
                             hasMoreMessages: metadata.messageCount > recent.count)
    }

    /// Oldest first. The cursor is opaque and bound to this ticket.
    public func messages(_ ref: TicketRef, cursor: String? = nil, limit: Int = 25, actor: DeskActor,
                         on db: any SQLConnection) throws -> TicketMessagePage {
        guard Self.messagePageLimits.contains(limit) else {
            throw DeskError.invalid(field: "limit", reason: "must be between 1 and 100 (default 25)")
        }
        let ticket = try visibleTicket(ref, actor: actor, on: db)
        let cursors = TicketRowCursor(kind: "m1", rows: "messages", first: "message")
        // A cursor into one message's body (a size budget cut it): the page starts with that message.
        var resume: (messageID: Int64, offset: Int)?
        if let cursor, let values = PageCursor.decode(cursor, kind: "m2", count: 3), values[0] == ticket.id,
           values[1] > 0, (0...10_000_000).contains(values[2]) {
            resume = (values[1], Int(values[2]))
        }
        let after = try resume.map { $0.messageID - 1 } ?? cursors.after(cursor, ticketID: ticket.id)
        // One extra row tells whether another page exists, so the last page has no cursor.
        let rows = try actor.tenant.messages.list(ticketID: ticket.id, after: after, limit: limit + 1, on: db).items
        let page = Array(rows.prefix(limit))
        var names = AuthorNames(scope: actor.tenant)
        let next = cursors.next(ticketID: ticket.id, lastID: page.last?.id, more: rows.count > limit)
        var listed = TicketMessagePage(ticketNumber: ticket.number, ticketID: ticket.id,
                                       messages: try page.map { try names.view(of: $0, on: db) }, nextCursor: next)
        if let resume, page.first?.id == resume.messageID { listed.resumeOffset = resume.offset }
        return listed
    }

    public func tags(_ ref: TicketRef, actor: DeskActor, on db: any SQLConnection) throws -> [String] {
        let ticket = try visibleTicket(ref, actor: actor, on: db)
        return try actor.tenant.tags.tags(forTicket: ticket.id, on: db).map(\.name)
    }

    func metadata(of ticket: Ticket, actor: DeskActor, on db: any SQLConnection) throws -> TicketMetadata {
        let scope = actor.tenant
        guard let relations = try scope.tickets.relations(ofTicket: ticket.id, on: db) else {
            throw DeskError.notFound("ticket #\(ticket.number)")
        }
        let node = ticket.nodeID == nil ? nil : try scope.tickets.workflowNodeName(ticketID: ticket.id, on: db)
        return metadata(of: ticket, relations: relations, workflowNode: node, actor: actor)
    }

    func metadata(of ticket: Ticket, relations: TicketRelations, workflowNode: String?, actor: DeskActor) -> TicketMetadata {
        func person(_ named: TicketRelations.Named?) -> PersonRef? {
            named.map { PersonRef(id: $0.id, name: $0.name, email: $0.email) }
        }
        return TicketMetadata(
            id: ticket.id, number: ticket.number, subject: ticket.subject, status: ticket.status, priority: ticket.priority,
            department: relations.department.map { DepartmentRef(id: $0.id, name: $0.name) },
            assignee: person(relations.assignee), creator: person(relations.creator), requester: person(relations.requester),
            tags: relations.tags, createdAt: ticket.createdAt, updatedAt: ticket.updatedAt, resolvedAt: ticket.resolvedAt,
            // A help-desk ticket stands at its status's node of the built-in Support workflow.
            workflowNode: workflowNode ?? (ticket.workflowVersionID == nil ? SupportWorkflow.nodeName(ticket.status) : nil),
            messageCount: relations.messageCount,
            allowedActions: actor.permissions.allowedActions(on: ticket, hasTags: !relations.tags.isEmpty).map(\.rawValue))
    }

    private func person(_ userID: Int64?, scope: TenantScope, on db: any SQLConnection) throws -> PersonRef? {
        try userID.flatMap { try scope.users.byID($0, on: db) }.map { PersonRef(id: $0.id, name: $0.name, email: $0.email) }
    }
}

/// Resolves message authors to names once per result (a thread has few distinct authors).
struct AuthorNames {
    let scope: TenantScope
    private var agents: [Int64: User] = [:]
    private var contacts: [Int64: Contact] = [:]

    init(scope: TenantScope) { self.scope = scope }

    mutating func view(of message: Message, on db: any SQLConnection) throws -> TicketMessage {
        TicketMessage(id: message.id, kind: message.kind, author: try author(message.author, on: db),
                      body: message.body, createdAt: message.createdAt)
    }

    private mutating func author(_ author: MessageAuthor, on db: any SQLConnection) throws -> TicketMessage.Author {
        switch author {
        case .agent(let id):
            if agents[id] == nil { agents[id] = try scope.users.byID(id, on: db) }
            return TicketMessage.Author(type: "agent", id: id, name: agents[id]?.name ?? "agent #\(id)", email: agents[id]?.email)
        case .contact(let id):
            if contacts[id] == nil { contacts[id] = try scope.contacts.byID(id, on: db) }
            return TicketMessage.Author(type: "contact", id: id, name: contacts[id]?.name ?? "contact #\(id)",
                                        email: contacts[id]?.email)
        case .system:
            return TicketMessage.Author(type: "system", id: nil, name: "Deskgate", email: nil)
        }
    }
}
