import DeskgateDesk
public import DeskgateCrypto
public import DeskgateStore
public import DeskgateModel
import DeskgateSystem

/// Builds a realistic demo tenant: three departments, six agents (one admin, one viewer),
/// customers, and tickets across every status and priority with threaded replies, notes and tags.
///
/// Large runs (`--tickets 1000000`, for benchmarks) insert in batches, one write
/// transaction per batch, so memory stays flat and progress can be shown.
public struct DemoDataGenerator: Sendable {
    public struct Options: Sendable {
        public var tenantSlug = "acme"
        public var tenantName = "Acme Inc."
        public var tickets = 500
        public var customers = 200
        public var seed: UInt64 = 20261121
        public var batchSize = 2000
        /// The password of every demo agent: printed by `deskgate demo` and `up`. Demo data only.
        public var password = "deskgate-demo"
        /// Lower scrypt cost is used only by tests that create many demo tenants.
        public var passwordHasher = PasswordHasher()
        /// Import the documented workflows and add tickets in every workflow state.
        public var workflows = true
        /// Extra workflow tickets written in bulk (benchmarks), on top of the walked-through ones.
        public var bulkWorkflowTickets = 0

        public init() {}
    }

    public struct Summary: Sendable {
        public let tenant: Tenant
        public let adminEmail: String
        public let password: String
        public let agents: Int
        public let customers: Int
        public let tickets: Int
        public let messages: Int
        /// Tickets in the demo workflows (on top of `tickets`).
        public let workflowTickets: Int
    }

    let database: Database

    public init(database: Database) { self.database = database }

    public func run(_ options: Options, progress: (_ done: Int, _ total: Int) -> Void = { _, _ in }) throws -> Summary {
        guard options.tickets >= 0, options.tickets <= 10_000_000 else {
            throw DeskError.invalid(field: "tickets", reason: "must be between 0 and 10000000")
        }
        let tenant = try TenantService(database: database).create(slug: options.tenantSlug, name: options.tenantName)
        let scope = tenant.scope
        let directory = DirectoryService(database: database, scope: scope, passwords: options.passwordHasher)
        for name in DemoCatalog.departments { _ = try directory.createDepartment(name: name) }
        let domain = "\(options.tenantSlug).test"
        var agentsByDepartment: [String: [Int64]] = [:]
        var agentIDs: [Int64] = []
        for agent in DemoCatalog.agents {
            let created = try directory.createAgent(AgentDraft(
                email: "\(agent.email)@\(domain)", name: agent.name, role: UserRole(rawValue: agent.role)!,
                departments: agent.departments, password: options.password,
                profile: UserProfileEdit(alias: agent.alias, lang: agent.lang)))
            if created.user.role != .viewer {
                agentIDs.append(created.user.id)
                for department in agent.departments { agentsByDepartment[department, default: []].append(created.user.id) }
            }
        }
        let departments = Dictionary(uniqueKeysWithValues: try directory.departments().map { ($0.name, $0.id) })

        var random = SeededRandom(seed: options.seed)
        let customerSeeds = (0..<options.customers).map { index -> (String, String) in
            let first = DemoCatalog.firstNames[index % DemoCatalog.firstNames.count]
            let last = DemoCatalog.lastNames[(index / DemoCatalog.firstNames.count + index) % DemoCatalog.lastNames.count]
            let company = DemoCatalog.companies[index % DemoCatalog.companies.count]
            return ("\(first) \(last)", "\(first.lowercased()).\(last.lowercased())\(index)@\(company)")
        }
        let (customerIDs, tagIDs) = try database.write { tx -> ([Int64], [String: Int64]) in
            let customers = try customerSeeds.map { try scope.contacts.create(email: $0.1, name: $0.0, in: tx).id }
            var tags: [String: Int64] = [:]
            for name in DemoCatalog.tags { tags[name] = try scope.tags.ensure(name: name, in: tx).id }
            return (customers, tags)
        }

        let now = WallClock.milliseconds()
        var made = 0, messages = 0
        progress(0, options.tickets)
        while made < options.tickets {
            let count = min(options.batchSize, options.tickets - made)
            var plans: [TicketPlan] = []
            plans.reserveCapacity(count)
            for _ in 0..<count {
                plans.append(TicketPlan.make(random: &random, now: now, departments: departments,
                                             agentsByDepartment: agentsByDepartment, allAgents: agentIDs,
                                             customers: customerIDs, tags: tagIDs))
            }
            let batch = plans
            messages += try database.write { tx -> Int in
                var written = 0
                _ = try scope.tickets.bulkWrite(in: tx) {
                    let ids = try scope.tickets.createBatch(batch.map(\.ticket), in: tx)
                    var newMessages: [NewMessage] = []
                    for (id, plan) in zip(ids, batch) {
                        for message in plan.messages {
                            newMessages.append(NewMessage(ticketID: id, kind: message.kind, author: message.author,
                                                          body: message.body, createdAt: message.createdAt))
                        }
                        for tagID in plan.tagIDs { _ = try scope.tags.attach(tagID: tagID, toTicket: id, in: tx) }
                    }
                    written = try scope.messages.appendBatch(newMessages, in: tx).count
                    return ids
                }
                return written
            }
            made += count
            progress(made, options.tickets)
        }
        var workflowTickets = options.workflows ? try DemoWorkflowTickets(database: database, scope: scope, domain: domain).run() : 0
        if options.workflows, options.bulkWorkflowTickets > 0 {
            workflowTickets += try DemoWorkflowBulk(database: database, scope: scope, domain: domain)
                .run(count: options.bulkWorkflowTickets, batchSize: options.batchSize, seed: options.seed &+ 1, progress: progress)
        }
        return Summary(tenant: tenant, adminEmail: "admin@\(domain)", password: options.password,
                       agents: DemoCatalog.agents.count, customers: customerIDs.count, tickets: made, messages: messages,
                       workflowTickets: workflowTickets)
    }
}

/// One ticket to insert, with its thread and tags, decided before the write transaction.
struct TicketPlan {
    struct PlannedMessage {
        let kind: MessageKind
        let author: MessageAuthor
        let body: String
        let createdAt: Int64
    }

    let ticket: NewTicket
    let messages: [PlannedMessage]
    let tagIDs: [Int64]

    static func make(random: inout SeededRandom, now: Int64, departments: [String: Int64],
                     agentsByDepartment: [String: [Int64]], allAgents: [Int64],
                     customers: [Int64], tags: [String: Int64]) -> TicketPlan {
        let topic = random.pick(DemoCatalog.topics)
        let status: TicketStatus = random.weighted([(.new, 12), (.open, 30), (.pending, 18), (.resolved, 28), (.closed, 12)])
        let priority: TicketPriority = random.weighted([(.low, 20), (.normal, 50), (.high, 22), (.urgent, 8)])
        let dayMilliseconds: Int64 = 86_400_000
        let createdAt = now - Int64.random(in: 0..<(180 * dayMilliseconds), using: &random)
        let requester = random.pick(customers)
        let candidates = agentsByDepartment[topic.department] ?? allAgents
        let assignee: Int64? = status == .new && random.chance(70) ? nil : random.pick(candidates)
        let actState: ActState = status == .closed ? .closed : (status == .resolved ? .finished : .onGoing)

        var thread: [PlannedMessage] = []
        var at = createdAt
        thread.append(PlannedMessage(kind: .reply, author: .contact(contactID: requester),
                                     body: random.pick(topic.openings), createdAt: at))
        let exchanges = status == .new ? 0 : Int.random(in: 1...3, using: &random)
        for exchange in 0..<exchanges {
            at += Int64.random(in: 600_000...(2 * dayMilliseconds), using: &random)
            let agent = assignee ?? random.pick(candidates)
            thread.append(PlannedMessage(kind: .reply, author: .agent(userID: agent),
                                         body: random.pick(DemoCatalog.agentReplies), createdAt: min(at, now)))
            if random.chance(30) {
                thread.append(PlannedMessage(kind: .note, author: .agent(userID: agent),
                                             body: random.pick(DemoCatalog.notes), createdAt: min(at + 60_000, now)))
            }
            if exchange < exchanges - 1 || status == .pending || random.chance(40) {
                at += Int64.random(in: 600_000...dayMilliseconds, using: &random)
                thread.append(PlannedMessage(kind: .reply, author: .contact(contactID: requester),
                                             body: random.pick(DemoCatalog.customerFollowUps), createdAt: min(at, now)))
            }
        }
        var tagIDs: [Int64] = []
        for name in topic.tags where random.chance(25) { if let id = tags[name] { tagIDs.append(id) } }
        if priority == .urgent, let id = tags["escalated"], !tagIDs.contains(id) { tagIDs.append(id) }

        var ticket = NewTicket(subject: random.pick(topic.subjects), status: status, priority: priority,
                               departmentID: departments[topic.department], assigneeID: assignee,
                               creatorID: assignee, requesterContactID: requester, actState: actState,
                               createdAt: createdAt)
        ticket.updatedAt = thread.map(\.createdAt).max()
        return TicketPlan(ticket: ticket, messages: thread, tagIDs: tagIDs)
    }
}
