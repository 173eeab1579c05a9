public import DeskgateJSON

extension WorkflowDocument {
    /// The document form of a definition, members in a fixed order and defaults left out, so
    /// that decoding it gives the same definition and equal definitions encode to equal text
    /// (which is how an unchanged re-import is recognised).
    public static func encode(_ definition: WorkflowDefinition) -> JSONValue {
        var root = JSONObject()
        root["name"] = .string(definition.name)
        root["description"] = .string(definition.description)
        root["fields"] = .array(definition.fields.map(encode))
        root["nodes"] = .array(definition.nodes.map(encode))
        root["transitions"] = .array(definition.transitions.map(encode))
        root["permissions"] = .array(definition.permissions.map(encode))
        return .object(root)
    }

    private static func encode(_ field: FieldDefinition) -> JSONValue {
        var object: JSONObject = ["key": .string(field.key), "label": .string(field.label),
                                  "type": .string(field.type.rawValue)]
        if !field.options.isEmpty { object["options"] = .array(field.options.map(JSONValue.string)) }
        return .object(object)
    }

    private static func encode(_ node: NodeDefinition) -> JSONValue {
        var object: JSONObject = ["key": .string(node.key), "name": .string(node.name), "type": .string(node.type.rawValue)]
        if let participant = node.participant { object["participant"] = encode(participant) }
        if node.distribution != .direct { object["distribution"] = .string(node.distribution.rawValue) }
        if node.allowWithdraw { object["allow_withdraw"] = .bool(true) }
        if !node.fieldAccess.isEmpty {
            object["fields"] = .object(JSONObject(node.fieldAccess.map { ($0.key, .string($0.access.rawValue)) }))
        }
        return .object(object)
    }

    private static func encode(_ participant: Participant) -> JSONValue {
        switch participant {
        case .person(let email): return ["type": "person", "value": .string(email)]
        case .people(let emails): return ["type": "people", "value": .array(emails.map(JSONValue.string))]
        case .department(let name): return ["type": "department", "value": .string(name)]
        case .role(let role): return ["type": "role", "value": .string(role.rawValue)]
        case .creator: return ["type": "creator"]
        case .field(let key): return ["type": "field", "value": .string(key)]
        }
    }

    private static func encode(_ transition: TransitionDefinition) -> JSONValue {
        var object: JSONObject = ["key": .string(transition.key), "name": .string(transition.name),
                                  "type": .string(transition.type.rawValue),
                                  "from": .string(transition.from), "to": .string(transition.to)]
        if let condition = transition.condition { object["condition_groups"] = encode(condition) }
        if let child = transition.openChild { object["open_child"] = encode(child) }
        return .object(object)
    }

    /// `open_child` as documents and `workflow_transitions.props_json` hold it.
    static func encode(_ child: ChildTicket) -> JSONValue {
        var object: JSONObject = ["workflow": .string(child.workflow)]
        if let subject = child.subject { object["subject"] = .string(subject) }
        return .object(object)
    }

    /// The `condition_groups` array of a condition.
    static func encode(_ condition: Condition) -> JSONValue {
        .array(condition.groups.map { group in .array(group.map(encode)) })
    }

    private static func encode(_ clause: Condition.Clause) -> JSONValue {
        ["field": .string(clause.field), "operator": .string(clause.comparison.rawValue), "value": encode(clause.value)]
    }

    static func encode(_ value: FieldValue) -> JSONValue {
        switch value {
        case .text(let s), .date(let s): return .string(s)
        case .bool(let b): return .bool(b)
        case .reference(let id): return .number(JSONNumber(Int(id)))
        case .number(let d):
            // Whole numbers are written without a fraction, as the author most likely wrote them.
            if d.rounded() == d, abs(d) < 1e15 { return .number(JSONNumber(Int(d))) }
            return .number(JSONNumber(d))
        }
    }

    private static func encode(_ grant: WorkflowGrant) -> JSONValue {
        switch grant.target {
        case .user(let email): return ["permission": .string(grant.permission.rawValue), "user": .string(email)]
        case .department(let name): return ["permission": .string(grant.permission.rawValue), "department": .string(name)]
        }
    }
}
