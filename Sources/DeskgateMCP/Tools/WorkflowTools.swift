import DeskgateDesk
import DeskgateIdentity
import DeskgateJSON
import DeskgateModel
import DeskgateSystem

/// The workflow family: Loonflow's five tools with its parameter names and meanings, on the
/// same domain services as the help-desk family (WorkflowTicketService, WorkflowTicketList,
/// UserListing).
enum WorkflowTools {
    static let idsString = Schema.string("Comma-separated ids, e.g. \"3,7\".", maxLength: 2000)
    static let ticketID: JSONValue = .object(JSONObject([
        ("type", .array(["integer", "string"])), ("description", "Ticket number, e.g. 12 or \"#12\"."),
    ]))
    static let anything = Schema.object([], additionalProperties: true)

    /// Workflow tickets are opened by the tenant's users (agent); a help-desk ticket a customer
    /// opened carries the customer's title (sanitized, and untrusted data).
    static let titleAuthorKind = Schema.string("Who wrote the title: agent (the tenant's users) or customer.",
                                               enumeration: ["agent", "customer", "system"])

    static let listOutput = Schema.object([
        ("ticket_list", Schema.array(Schema.record([("id", Schema.integer("Internal id.")), ("number", Schema.integer("Ticket number.")),
                                                    ("title", Schema.string("Subject.")), ("title_author_kind", titleAuthorKind),
                                                    ("act_state", Schema.string("Workflow state."))],
                                                   required: ["id", "number", "title", "title_author_kind", "act_state"]),
                                     description: "This page of tickets.")),
        ("page", Schema.integer("The page served.")), ("per_page", Schema.integer("Page size.")),
        ("total", Schema.integer("Tickets matching in all, or at least this many when total_is_lower_bound.")),
        ("total_is_lower_bound", Schema.boolean("True when a search_value many titles hold was counted only among the "
            + "first tickets of the listing: total is then a lower bound (the page itself is exact).")),
        ("next_cursor", Schema.nullable(Schema.string("Continues right after this page's last ticket (null at the end)."))),
    ], required: ["ticket_list", "page", "per_page", "total", "total_is_lower_bound", "next_cursor"], additionalProperties: true)

    /// A field component as Loonflow nests it: in a `row` component's `children`.
    static let component = Schema.record([
        ("component_key", Schema.string("The field's key: what fields takes in ticket_handle.")),
        ("type", Schema.string("text, number, date, select, user, department, boolean or rich_text.")),
        ("props", Schema.record([("label", Schema.string("The label people see.")),
                                 ("value", .object(JSONObject([("description", "The current value; null when empty.")]))),
                                 ("options", Schema.array(Schema.string("Option."), description: "A select field's choices.")),
                                 ("author_kind", Schema.string("Who wrote the value: the tenant's users (agent).", enumeration: ["agent"]))],
                                required: ["label", "value"])),
        ("component_permission", Schema.string("Your access here.", enumeration: ["required", "optional", "readonly"])),
    ], required: ["component_key", "type", "props", "component_permission"])

    static let formSchema = Schema.record([
        ("component_info_list", Schema.array(Schema.record([("type", Schema.string("row")),
                                                            ("children", Schema.array(component, description: "The fields."))],
                                                           required: ["type", "children"]),
                                             description: "The form: row components whose children are the fields you may see.")),
        ("workflow_metadata", Schema.record([("id", Schema.integer("Workflow id.")), ("name", Schema.string("Workflow name.")),
                                             ("version", Schema.integer("Version the ticket follows.")),
                                             ("description", Schema.string("What the workflow is for."))],
                                            required: ["id", "name", "version"])),
    ], required: ["component_info_list", "workflow_metadata"])

    static let link = Schema.record([("id", Schema.integer("Internal id (ticket_list's parent_ticket_id takes it).")),
                                     ("number", Schema.integer("Ticket number.")), ("title", Schema.string("Subject.")),
                                     ("title_author_kind", titleAuthorKind),
                                     ("act_state", Schema.string("Workflow state."))],
                                    required: ["id", "number", "title", "title_author_kind", "act_state"])

    static let detailOutput = Schema.object([
        ("ticket", Schema.record([("id", Schema.integer("Internal id.")), ("number", Schema.integer("Ticket number.")),
                                  ("title", Schema.string("Subject.")), ("title_author_kind", titleAuthorKind),
                                  ("act_state", Schema.string("Workflow state.")),
                                  ("parent_ticket", Schema.nullable(link)),
                                  ("child_tickets", Schema.array(link, description: "Sub-tickets opened from this one that you can see."))],
                                 required: ["id", "number", "title", "title_author_kind", "act_state", "parent_ticket", "child_tickets"])),
        ("form_schema", formSchema), ("field_permissions", anything),
        ("required_fields", Schema.array(Schema.string("Field key."), description: "Fields you must fill in here.")),
        ("optional_fields", Schema.array(Schema.string("Field key."), description: "Fields you may fill in here.")),
        ("readonly_fields", Schema.array(Schema.string("Field key."), description: "Fields you may only read.")),
        ("actions", Schema.array(anything, description: "What you may do now: id, name, type, node_id, props.")),
        ("admin_actions", Schema.array(anything, description: "Force actions for workflow admins.")),
        ("flow_log", Schema.array(HelpDeskReadTools.activityEntryOutput,
                                  description: "The flow log: the latest \(FlowTicketDetail.flowLogLimit) changes, oldest first, "
                                    + "who made each and through what (get_ticket_activity pages them all).")),
    ], required: ["ticket", "form_schema", "field_permissions", "required_fields", "optional_fields", "readonly_fields",
                  "actions", "admin_actions", "flow_log"], additionalProperties: true)

    static let handleOutput = Schema.object([
        ("dry_run", Schema.boolean("true when nothing was changed.")), ("ticket_id", Schema.integer("Internal id.")),
        ("number", Schema.integer("Ticket number.")), ("status", Schema.string("validated (dry run) or handled.")),
        ("action_type", Schema.string("The action.")), ("action_id", Schema.string("The action id.")),
        ("act_state", Schema.string("The ticket's workflow state afterwards.")),
        ("current_nodes", Schema.array(anything, description: "Where the ticket waits afterwards, and who is asked to act.")),
        ("summary", Schema.string("One line for people.")),
        ("opened_child", link),
    ], required: ["dry_run", "ticket_id", "status", "action_type", "action_id", "act_state", "current_nodes", "summary"],
       additionalProperties: true)

    static let usersOutput = Schema.object([
        ("user_list", Schema.array(Schema.record([("id", Schema.integer("User id.")), ("name", Schema.string("Name.")),
                                                  ("alias", Schema.nullable(Schema.string("Alias."))),
                                                  ("email", Schema.string("Email.")),
                                                  ("type", Schema.string("Role (simple=false).", enumeration: UserRole.allCases.map(\.rawValue))),
                                                  ("label", Schema.nullable(Schema.string("Label (simple=false)."))),
                                                  ("lang", Schema.nullable(Schema.string("Language tag (simple=false)."))),
                                                  ("phone", Schema.nullable(Schema.string("Phone (simple=false)."))),
                                                  ("creator_info", Schema.nullable(Schema.record([("id", Schema.integer("User id.")),
                                                                                                  ("name", Schema.string("Name."))],
                                                                                                 required: ["id", "name"]))),
                                                  ("last_login", Schema.nullable(Schema.timestamp))],
                                                 required: ["id", "name", "email"]),
                                   description: "This page of users.")),
        ("page", Schema.integer("The page served.")), ("per_page", Schema.integer("Page size.")),
        ("total", Schema.integer("Users matching in all.")),
        ("next_cursor", Schema.nullable(Schema.string("Continues right after this page's last user (null at the end)."))),
    ], required: ["user_list", "page", "per_page", "total", "next_cursor"], additionalProperties: true)

    /// The arguments that decide which rows a listing has, as text: a position cursor
    /// (`OffsetCursor`) is bound to them, so it cannot continue another listing.
    static func criteria(_ a: ToolArguments) -> String {
        let paging: Set<String> = ["page", "per_page", "cursor", "max_chars", "fields", "simple", ToolRegistry.tokenArgument]
        return a.values.filter { !paging.contains($0.key) }.sorted { $0.key < $1.key }
            .map { $0.key + "=" + String(decoding: $0.value.encoded(), as: UTF8.self) }.joined(separator: "&")
    }

    /// A page of a listing paged by number under a budget: `cursor` (when given) starts it at a
    /// position instead of `page`; the next cursor continues right after the last row shown,
    /// whether the page ended or the budget cut it.
    struct BudgetedPage {
        let rows: [JSONValue]
        let lines: [String]
        let nextCursor: String?

        init(rows: [JSONValue], lines: [String], start: Int, total: Int, totalIsLowerBound: Bool, perPage: Int,
             budget: inout AnswerBudget, kind: String, criteria: String) {
            let count = budget.fit(rows, lines: lines)
            let end = start + count
            let more = count < rows.count || (totalIsLowerBound ? rows.count == perPage : end < total)
            self.rows = Array(rows.prefix(count))
            self.lines = Array(lines.prefix(count))
            nextCursor = more ? OffsetCursor(offset: end).text(kind: kind, criteria: criteria) : nil
        }
    }

    static func start(_ a: ToolArguments, kind: String) throws -> Int? {
        try a.string("cursor", maxLength: 200).map { try OffsetCursor.parse($0, kind: kind, criteria: criteria(a)).offset }
    }

    static let ticketListFields = ["id", "number", "title", "title_author_kind", "act_state", "status", "workflow_info",
                                   "current_nodes", "creator_info", "created_at", "updated_at"]
    static let userFields = ["id", "name", "alias", "email", "is_active", "dept_info_list", "type", "label", "lang", "phone",
                             "creator_info", "created_at", "updated_at", "last_login"]

    static func time(_ arguments: ToolArguments, _ name: String) throws -> Int64? {
        guard let text = try arguments.string(name, maxLength: 40), !text.isEmpty else { return nil }
        guard let ms = ISOTime.milliseconds(text) else {
            throw ToolArgumentError(argument: name, reason: "must be a date or time such as \"2026-11-01\" or \"2026-11-01 09:30:00\" (UTC)")
        }
        return ms
    }

    static func filter(_ a: ToolArguments) throws -> WorkflowTicketFilter {
        let raw = try a.string("category", maxLength: 20) ?? "duty"
        guard let category = WorkflowTicketFilter.Category(rawValue: raw) else {
            throw ToolArgumentError(argument: "category", reason: "must be one of "
                + WorkflowTicketFilter.Category.allCases.map(\.rawValue).joined(separator: ", "))
        }
        var filter = WorkflowTicketFilter(category: category, userID: 0, departmentIDs: [], isTenantAdmin: false)
        filter.search = try a.string("search_value", maxLength: 200)
        filter.createdFrom = try time(a, "create_start")
        filter.createdTo = try time(a, "create_end")
        filter.workflowIDs = try a.idList("workflow_ids")
        filter.nodeIDs = try a.idList("node_ids")
        filter.ticketNumbers = try a.idList("ticket_ids")
        filter.actStates = try (a.string("act_state", maxLength: 200) ?? "").split(separator: ",").map { part in
            let name = part.filter { !$0.isWhitespace }
            guard let state = ActState(rawValue: name) else {
                throw ToolArgumentError(argument: "act_state", reason: "'\(name)' is not one of "
                    + ActState.allCases.map(\.rawValue).joined(separator: ", "))
            }
            return state
        }
        filter.creatorID = try a.idList("creator_id", maxCount: 1).first
        filter.parentTicketID = try a.idList("parent_ticket_id", maxCount: 1).first
        filter.newestFirst = (try a.looseInteger("reverse", in: 0...1) ?? 1) == 1
        return filter
    }

    /// `user_list`'s dept_id: nil (every department) for absent, "", 0 and the all-zero UUID,
    /// Loonflow's "no filter" values; otherwise one department id.
    static func department(_ a: ToolArguments) throws -> Int64? {
        guard let raw = a.values["dept_id"], !raw.isNull else { return nil }
        let text = raw.stringValue ?? (raw.numberValue?.text ?? "")
        guard text.contains(where: { $0 != "0" && $0 != "-" && !$0.isWhitespace }) else { return nil }
        return try a.idList("dept_id", maxCount: 1).first
    }

    static func request(_ a: ToolArguments) throws -> FlowRequest {
        // handle_request (Loonflow's API body) overrides the flat arguments key by key.
        var body = JSONObject()
        switch a.values["handle_request"] {
        case .object(let object)?: body = object
        case .string(let text)?:
            guard case .object(let object)? = try? JSONParser.parse(text) else {
                throw ToolArgumentError(argument: "handle_request", reason: "must be an object or its JSON text")
            }
            body = object
        case nil, .null?: break
        default: throw ToolArgumentError(argument: "handle_request", reason: "must be an object or its JSON text")
        }
        func text(_ key: String) throws -> String {
            if case .string(let s)? = body[key] { return s }
            return try a.string(key, maxLength: 200) ?? ""
        }
        var props = try a.object("action_props")
        if case .object(let extra)? = body["action_props"] { for (k, v) in extra { props[k] = v } }
        var fields = try a.object("fields")
        if case .object(let extra)? = body["fields"] { for (k, v) in extra { fields[k] = v } }
        var target: AgentSelector?
        switch props["target_assignee_id"] {
        case .number(let n)?:
            guard let id = n.int, id > 0 else { throw ToolArgumentError(argument: "action_props.target_assignee_id", reason: "must be a user id") }
            target = .id(Int64(id))
        case .string(let s)?:
            do { target = try AgentSelector.parse(s) } catch {
                throw ToolArgumentError(argument: "action_props.target_assignee_id", reason: "must be a user id or email (see user_list)")
            }
        case nil, .null?: target = nil
        default: throw ToolArgumentError(argument: "action_props.target_assignee_id", reason: "must be a user id or email")
        }
        let comment = props["comment"]?.stringValue
        guard comment.map({ $0.count <= 10_000 }) ?? true else {
            throw ToolArgumentError(argument: "action_props.comment", reason: "must be at most 10000 characters")
        }
        return FlowRequest(actionType: try text("action_type"), actionID: try text("action_id"), fields: fields,
                           nodeKey: props["node_id"]?.stringValue, target: target, comment: comment)
    }

    static let detailFields = FieldSelection.names(of: detailOutput, adding: ["action_base_node_id"])

    /// `fields` picks members of the detail (ticket always comes); under `max_chars` the flow
    /// log gives way first, oldest entries first (get_ticket_activity pages all of it).
    static func detailTool(_ name: String, title: String, description: String, prepare: Bool) -> ToolDefinition {
        ToolDefinition(
            name: name, title: title, description: description,
            inputSchema: Schema.object([("ticket_id", ticketID), ("fields", FieldSelection.schema(of: "detail (ticket always comes)")),
                                        ("max_chars", AnswerBudget.schema)], required: ["ticket_id"]),
            outputSchema: detailOutput, alwaysPresent: ["ticket"],
            readOnly: true, destructive: false, idempotent: true, scope: .ticketsRead, family: .workflow, execution: .onLoop
        ) { call in
            let budget = try AnswerBudget(call.arguments)
            let fields = try FieldSelection(call.arguments, known: detailFields)
            var detail = try WorkflowTicketService(storage: call.storage).detail(try call.arguments.workflowTicket(),
                                                                                   actor: call.actor, on: call.reader)
            var structured = fields.apply(WorkflowResults.detail(detail, prepare: prepare), keeping: ["ticket"])
            var text = WorkflowResults.text(detail, prepare: prepare)
            var omitted = 0
            while !detail.flowLog.isEmpty,
                  max(JSONValue.object(structured).encoded().count, text.utf8.count) > budget.limit - AnswerBudget.frameReserve {
                detail.flowLog.removeFirst()
                omitted += 1
                structured = fields.apply(WorkflowResults.detail(detail, prepare: prepare), keeping: ["ticket"])
                text = WorkflowResults.text(detail, prepare: prepare)
            }
            if omitted > 0 { structured["flow_log_omitted"] = .number(JSONNumber(omitted)) }
            return ToolOutput(structured: structured, text: text)
        }
    }

    static let all: [ToolDefinition] = [
        ToolDefinition(
            name: "ticket_list", title: "List workflow tickets",
            description: "Workflow tickets by category: duty (waiting for you: start here), owner (you created), relation "
                + "(any), view / intervene (workflows you may view / intervene in), worked (you acted on), all (tenant admins). "
                + "Default dates: the last three years. A page past the end serves the last page. Then ticket_detail.",
            inputSchema: Schema.object([
                ("category", Schema.string("Which tickets (default duty).", enumeration: WorkflowTicketFilter.Category.allCases.map(\.rawValue))),
                ("search_value", Schema.string("Text in the title (case-insensitive; 1-2 characters: newest 5000 tickets only).",
                                               maxLength: 200)),
                ("create_start", Schema.string("Created at or after, e.g. 2026-11-01 or 2026-11-01 09:30:00 (UTC).", maxLength: 40)),
                ("create_end", Schema.string("Created at or before.", maxLength: 40)),
                ("workflow_ids", idsString), ("node_ids", idsString),
                ("ticket_ids", Schema.string("Comma-separated ticket numbers.", maxLength: 2000)),
                ("act_state", Schema.string("Comma-separated states: in_draft, on_going, rejected, withdrawn, finished, closed.", maxLength: 200)),
                ("creator_id", Schema.string("Creator's user id.", maxLength: 20)),
                ("parent_ticket_id", Schema.string("Parent ticket's internal id (ticket_detail's ticket.id): lists its sub-tickets.", maxLength: 20)),
                ("reverse", Schema.integer("1: newest first (default); 0: oldest first.", minimum: 0, maximum: 1)),
                ("page", Schema.integer("Page, from 1 (default 1).", minimum: 1)),
                ("per_page", Schema.integer("Tickets per page (default 10).", minimum: 1, maximum: 100)),
                ("cursor", Schema.string("next_cursor of the previous call (instead of page).", maxLength: 200)),
                ("fields", FieldSelection.schema(of: "ticket")), ("max_chars", AnswerBudget.schema),
            ]),
            outputSchema: listOutput,
            readOnly: true, destructive: false, idempotent: true, scope: .ticketsRead, family: .workflow, execution: .onWorker
        ) { call in
            let a = call.arguments
            var budget = try AnswerBudget(a)
            let fields = try FieldSelection(a, known: ticketListFields)
            let perPage = try a.looseInteger("per_page", in: 1...100) ?? 10
            let page = try WorkflowTicketList().page(try filter(a), page: try a.looseInteger("page", in: 1...1_000_000) ?? 1,
                                                     perPage: perPage, start: try start(a, kind: "tl"),
                                                     actor: call.actor, on: call.reader)
            let shown = BudgetedPage(rows: page.tickets.map { fields.apply(WorkflowResults.summary($0)) },
                                     lines: page.tickets.map(WorkflowResults.line), start: page.start, total: page.window.total,
                                     totalIsLowerBound: page.totalIsLowerBound, perPage: perPage, budget: &budget, kind: "tl",
                                     criteria: criteria(a))
            return ToolOutput(structured: WorkflowResults.list(page, rows: shown.rows, nextCursor: shown.nextCursor),
                              text: WorkflowResults.text(page, lines: shown.lines, nextCursor: shown.nextCursor))
        },
        detailTool("ticket_detail", title: "Workflow ticket detail",
                   description: "A workflow ticket as you see it at its current node: the form (form_schema.component_info_list: "
                    + "rows whose children are the fields: component_key, type, component_permission, props label, value, "
                    + "options), where it waits and who acts there, your actions (actions, admin_actions) with the "
                    + "action_props each needs, ticket.parent_ticket and ticket.child_tickets.",
                   prepare: false),
        detailTool("ticket_prepare_handle", title: "Prepare to handle a workflow ticket",
                   description: "Like ticket_detail, and for each action also fields_to_supply: the required fields that still have "
                    + "no value. Call it before ticket_handle and pass the action's type and id.",
                   prepare: true),
        ToolDefinition(
            name: "ticket_handle", title: "Handle a workflow ticket",
            description: "Takes an action on a workflow ticket, action_type and action_id as ticket_prepare_handle lists them "
                + "(force_*: admins). fields sets form values your node allows; action_props: node_id (ticket at several "
                + "nodes), target_assignee_id (consult, forward, force_forward), comment. The result says where the ticket "
                + "lands, who acts there, and opened_child (a sub-ticket it opened). dry_run runs the action and undoes it.",
            inputSchema: Schema.object([
                ("ticket_id", ticketID),
                ("action_type", Schema.string("The action's type.", enumeration: FlowActionType.allCases.map(\.rawValue))),
                ("action_id", Schema.string("The action's id (a transition id, or the type for the other actions).", maxLength: 200)),
                ("fields", Schema.object([], additionalProperties: true)),
                ("action_props", Schema.object([("node_id", Schema.string("Node id (key).", maxLength: 64)),
                                                ("target_assignee_id", Schema.string("User id or email.", maxLength: 254)),
                                                ("comment", Schema.string("Comment, kept as a note.", maxLength: 10_000))],
                                               additionalProperties: false)),
                ("handle_request", Schema.object([], additionalProperties: true)),
                ("dry_run", Schema.dryRun),
                ("approval_id", Schema.approvalID),
                ("idempotency_key", Schema.idempotencyKey),
            ], required: ["ticket_id"]),
            outputSchema: handleOutput,
            readOnly: false, destructive: true, idempotent: false, scope: .ticketsWrite, family: .workflow, execution: .onWorker
        ) { call in
            let outcome = try WorkflowTicketService(storage: call.storage).handle(
                try call.arguments.workflowTicket(), try request(call.arguments), actor: call.actor, dryRun: try call.arguments.dryRun)
            return ToolOutput(structured: WorkflowResults.outcome(outcome), text: outcome.summary)
        },
        ToolDefinition(
            name: "user_list", title: "List users",
            description: "People of your tenant (to consult or forward to): search_value matches name, alias or email; "
                + "each lists departments, the primary marked; simple=false adds the full record (type, label, lang, phone, "
                + "creator_info, created_at, updated_at, last_login). A page past the end serves the last page.",
            inputSchema: Schema.object([
                ("search_value", Schema.string("Part of a name, alias or email.", maxLength: 200)),
                ("user_ids", idsString),
                ("dept_id", Schema.string("Department id; 0 for all.", maxLength: 40)),
                ("page", Schema.integer("Page, from 1 (default 1).", minimum: 1)),
                ("per_page", Schema.integer("Users per page (default 10).", minimum: 1, maximum: 100)),
                ("simple", Schema.boolean("true (default): the essentials; false: the full record.")),
                ("cursor", Schema.string("next_cursor of the previous call (instead of page).", maxLength: 200)),
                ("fields", FieldSelection.schema(of: "user")), ("max_chars", AnswerBudget.schema),
            ]),
            outputSchema: usersOutput,
            readOnly: true, destructive: false, idempotent: true, scope: .directoryRead, family: .workflow, execution: .onWorker
        ) { call in
            let a = call.arguments
            var budget = try AnswerBudget(a)
            let fields = try FieldSelection(a, known: userFields)
            var listing = UserListing.Filter(search: try a.string("search_value", maxLength: 200),
                                             userIDs: try a.idList("user_ids"), departmentID: try department(a),
                                             page: try a.looseInteger("page", in: 1...1_000_000) ?? 1,
                                             perPage: try a.looseInteger("per_page", in: 1...100) ?? 10)
            listing.start = try start(a, kind: "ul")
            let page = try UserListing().page(listing, actor: call.actor, on: call.reader)
            var structured = WorkflowResults.users(page, simple: try a.bool("simple") ?? true)
            let shown = BudgetedPage(rows: (structured["user_list"]?.arrayValue ?? []).map(fields.apply),
                                     lines: page.users.map { "\($0.user.name) <\($0.user.email)> (id \($0.user.id))" },
                                     start: page.start, total: page.window.total, totalIsLowerBound: false,
                                     perPage: listing.perPage, budget: &budget, kind: "ul", criteria: criteria(a))
            structured["user_list"] = .array(shown.rows)
            structured["next_cursor"] = shown.nextCursor.map { .string($0) } ?? .null
            let text = shown.lines.joined(separator: "\n") + (shown.nextCursor.map { "\n(more: cursor \($0))" } ?? "")
            return ToolOutput(structured: structured, text: shown.lines.isEmpty ? "No users match." : text)
        },
    ]
}
