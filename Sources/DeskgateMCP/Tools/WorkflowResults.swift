import DeskgateDesk
import DeskgateIdentity
import DeskgateJSON
import DeskgateModel

/// JSON and text renderings of the workflow family's results.
enum WorkflowResults {
    static func int(_ value: Int64) -> JSONValue { .number(JSONNumber(Int(value))) }
    static func int(_ value: Int) -> JSONValue { .number(JSONNumber(value)) }

    static func person(_ person: PersonRef?) -> JSONValue { HelpDeskResults.person(person) }

    static func summary(_ s: WorkflowTicketSummary) -> JSONValue {
        let kind = AuthorKind.ofSubject(creatorID: s.ticket.creatorID, requesterContactID: s.ticket.requesterContactID)
        return .object(JSONObject([
            ("id", int(s.ticket.id)), ("number", int(s.ticket.number)), ("title", .string(kind.shown(s.ticket.subject).text)),
            ("title_author_kind", .string(kind.rawValue)),
            ("act_state", .string(s.ticket.actState.rawValue)), ("status", .string(s.ticket.status.rawValue)),
            ("workflow_info", .object(JSONObject([("id", int(s.workflowID)), ("name", .string(s.workflowName)),
                                                  ("version", int(s.version))]))),
            ("current_nodes", .array(s.nodes.map { .object(JSONObject([("id", int($0.id)), ("key", .string($0.key)),
                                                                      ("name", .string($0.name))])) })),
            ("creator_info", person(s.creator)),
            ("created_at", HelpDeskResults.time(s.ticket.createdAt)), ("updated_at", HelpDeskResults.time(s.ticket.updatedAt)),
        ]))
    }

    /// `rows`: the page's tickets as shown (`fields`, and as many as `max_chars` allows).
    static func list(_ page: WorkflowTicketPage, rows: [JSONValue], nextCursor: String?) -> JSONObject {
        var object = JSONObject([("ticket_list", .array(rows)), ("page", int(page.window.served)),
                                 ("per_page", int(page.window.perPage)), ("total", int(page.window.total)),
                                 ("total_is_lower_bound", .bool(page.totalIsLowerBound)),
                                 ("next_cursor", nextCursor.map { .string($0) } ?? .null),
                                 ("create_start", HelpDeskResults.time(page.createdFrom)),
                                 ("create_end", HelpDeskResults.time(page.createdTo))])
        if let note = page.window.note {
            object["requested_page"] = int(page.window.requested)
            object["note"] = .string(note)
        }
        return object
    }

    static func line(_ s: WorkflowTicketSummary) -> String {
        "#\(s.ticket.number) \(s.ticket.subject) [\(s.ticket.actState.rawValue)] \(s.workflowName)"
            + (s.nodes.isEmpty ? "" : " at " + s.nodes.map(\.name).joined(separator: ", "))
    }

    static func text(_ page: WorkflowTicketPage, lines: [String], nextCursor: String?) -> String {
        guard !lines.isEmpty else { return "No workflow tickets match." }
        return "Page \(page.window.served) of \(page.window.lastPage)\(page.totalIsLowerBound ? "+" : ""), "
            + "\(page.window.total)\(page.totalIsLowerBound ? "+" : "") tickets"
            + (page.window.note.map { " (\($0))" } ?? "") + ":\n" + lines.joined(separator: "\n")
            + (nextCursor.map { "\n(more: cursor \($0))" } ?? "")
    }

    static func position(_ p: FlowPositionView) -> JSONValue {
        .object(JSONObject([("node_id", .string(p.nodeKey)), ("name", .string(p.nodeName)),
                            ("assignees", .array(p.assignees.map { person($0) })),
                            ("awaiting_pickup", .bool(p.awaitingPickup)), ("consultant", person(p.consultant))]))
    }

    static func action(_ a: OfferedAction, withMissing: Bool) -> JSONValue {
        var object = JSONObject([("id", .string(a.id)), ("name", .string(a.name)), ("type", .string(a.type.rawValue)),
                                 ("node_id", a.nodeKey.map(JSONValue.string) ?? .null),
                                 ("props", .object(JSONObject([("required", .array(a.requiredProps.map(JSONValue.string))),
                                                               ("optional", .array(a.optionalProps.map(JSONValue.string)))])))])
        if withMissing { object["fields_to_supply"] = .array(a.missingFields.map(JSONValue.string)) }
        return .object(object)
    }

    /// One form field as Loonflow renders it: `component_key`, `type`, `component_permission`,
    /// and in `props` the label, the current value and (select fields) the options.
    static func component(_ f: FlowFieldView) -> JSONValue {
        // Form values are written by the tenant's users (agents), never by customers.
        var props = JSONObject([("label", .string(f.label)), ("value", f.value ?? .null), ("author_kind", "agent")])
        if !f.options.isEmpty { props["options"] = .array(f.options.map(JSONValue.string)) }
        return .object(JSONObject([("component_key", .string(f.key)), ("type", .string(f.type.rawValue)),
                                   ("props", .object(props)), ("component_permission", .string(f.access.rawValue))]))
    }

    /// Loonflow's `form_schema`: `component_info_list` (the fields, in one `row` component, as
    /// Loonflow nests them) and `workflow_metadata`. The form is given once, here.
    static func formSchema(_ d: FlowTicketDetail) -> JSONValue {
        let rows: [JSONValue] = d.fields.isEmpty ? []
            : [.object(JSONObject([("type", "row"), ("children", .array(d.fields.map(component)))]))]
        return .object(JSONObject([
            ("component_info_list", .array(rows)),
            ("workflow_metadata", .object(JSONObject([("id", int(d.workflowID)), ("name", .string(d.workflowName)),
                                                      ("version", int(d.version)),
                                                      ("description", .string(d.workflowDescription))]))),
        ]))
    }

    static func link(_ l: TicketLink) -> JSONValue {
        .object(JSONObject([("id", int(l.id)), ("number", int(l.number)),
                            ("title", .string(l.subjectAuthorKind.shown(l.subject).text)),
                            ("title_author_kind", .string(l.subjectAuthorKind.rawValue)),
                            ("act_state", .string(l.actState.rawValue))]))
    }

    static func detail(_ d: FlowTicketDetail, prepare: Bool) -> JSONObject {
        // A ticket no agent opened (a help-desk ticket from a customer's mail) has the customer's title.
        let kind: AuthorKind = d.creator == nil ? .customer : .agent
        return JSONObject([
            ("ticket", .object(JSONObject([("id", int(d.ticketID)), ("number", int(d.number)),
                                           ("title", .string(kind.shown(d.subject).text)),
                                           ("title_author_kind", .string(kind.rawValue)),
                                           ("act_state", .string(d.actState.rawValue)), ("creator_info", person(d.creator)),
                                           ("current_nodes", .array(d.positions.map(position))),
                                           ("parent_ticket", d.parent.map(link) ?? .null),
                                           ("child_tickets", .array(d.children.map(link))),
                                           ("created_at", HelpDeskResults.time(d.createdAt)),
                                           ("updated_at", HelpDeskResults.time(d.updatedAt))]))),
            ("form_schema", formSchema(d)),
            ("field_permissions", .object(JSONObject(d.fields.map { ($0.key, .string($0.access.rawValue)) }))),
            ("required_fields", .array(d.requiredFields.map(JSONValue.string))),
            ("optional_fields", .array(d.optionalFields.map(JSONValue.string))),
            ("readonly_fields", .array(d.readonlyFields.map(JSONValue.string))),
            ("actions", .array(d.actions.map { action($0, withMissing: prepare) })),
            ("action_base_node_id", d.baseNodeKey.map(JSONValue.string) ?? .null),
            ("admin_actions", .array(d.adminActions.map { action($0, withMissing: prepare) })),
            ("flow_log", .array(d.flowLog.map(HelpDeskResults.activity))),
        ])
    }

    static func text(_ d: FlowTicketDetail, prepare: Bool) -> String {
        var lines = ["Ticket #\(d.number): \(d.subject) [\(d.actState.rawValue)], workflow \(d.workflowName) v\(d.version)"]
        if let p = d.parent { lines.append("Sub-ticket of #\(p.number) \(p.subject) [\(p.actState.rawValue)]") }
        if !d.children.isEmpty {
            lines.append("Sub-tickets: " + d.children.map { "#\($0.number) \($0.subject) [\($0.actState.rawValue)]" }.joined(separator: "; "))
        }
        for p in d.positions {
            lines.append("At \(p.nodeName): " + (p.assignees.isEmpty ? "nobody" : p.assignees.map(\.name).joined(separator: ", "))
                + (p.awaitingPickup ? " (waiting for someone to accept)" : ""))
        }
        for f in d.fields {
            lines.append("- \(f.label) (\(f.key), \(f.type.rawValue), \(f.access.rawValue)): " + (f.value.map(\.text) ?? "-"))
        }
        let actions = (d.actions + d.adminActions).map { a in
            "\(a.type.rawValue):\(a.id)" + (prepare && !a.missingFields.isEmpty ? " (supply \(a.missingFields.joined(separator: ", ")))" : "")
        }
        lines.append(actions.isEmpty ? "You can take no action on it." : "Actions: " + actions.joined(separator: ", "))
        if !d.flowLog.isEmpty {
            lines.append("History (latest \(d.flowLog.count); get_ticket_activity has all):")
            lines += d.flowLog.map { "  " + HelpDeskResults.text($0) }
        }
        return lines.joined(separator: "\n")
    }

    static func outcome(_ o: FlowOutcome) -> JSONObject {
        var object = JSONObject([("dry_run", .bool(o.dryRun)), ("ticket_id", int(o.ticketID)), ("number", int(o.number)),
                    ("status", .string(o.dryRun ? "validated" : "handled")),
                    ("action_type", .string(o.actionType.rawValue)), ("action_id", .string(o.actionID)),
                    ("act_state", .string(o.actState.rawValue)), ("current_nodes", .array(o.positions.map(position))),
                    ("changed_fields", .array(o.changedFields.map(JSONValue.string))), ("summary", .string(o.summary))])
        if let child = o.openedChild { object["opened_child"] = link(child) }
        return object
    }

    static func users(_ page: UserListPage, simple: Bool) -> JSONObject {
        let users: [JSONValue] = page.users.map { entry in
            let u = entry.user
            var object = JSONObject([("id", int(u.id)), ("name", .string(u.name)), ("alias", u.alias.map(JSONValue.string) ?? .null),
                                     ("email", .string(u.email)), ("is_active", .bool(u.isActive)),
                                     ("dept_info_list", .array(entry.departments.map { d in
                                         .object(JSONObject([("id", int(d.id)), ("name", .string(d.name)), ("is_primary", .bool(d.isPrimary))]))
                                     }))])
            if !simple {
                // Loonflow's full record: what simple=true leaves out.
                object["type"] = .string(u.role.rawValue)
                object["label"] = u.label.map(JSONValue.string) ?? .null
                object["lang"] = u.lang.map(JSONValue.string) ?? .null
                object["phone"] = u.phone.map(JSONValue.string) ?? .null
                object["creator_info"] = entry.creator.map { c in
                    .object(JSONObject([("id", int(c.id)), ("name", .string(c.name)), ("alias", c.alias.map(JSONValue.string) ?? .null)]))
                } ?? .null
                object["created_at"] = HelpDeskResults.time(u.createdAt)
                object["updated_at"] = HelpDeskResults.time(u.updatedAt ?? u.createdAt)
                object["last_login"] = HelpDeskResults.time(u.lastLoginAt)
            }
            return .object(object)
        }
        var object = JSONObject([("user_list", .array(users)), ("page", int(page.window.served)),
                                 ("per_page", int(page.window.perPage)), ("total", int(page.window.total)),
                                 ("next_cursor", .null)])
        if let note = page.window.note {
            object["requested_page"] = int(page.window.requested)
            object["note"] = .string(note)
        }
        return object
    }
}
