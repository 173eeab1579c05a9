import DeskgateModel
public import DeskgateJSON

/// Reading a workflow document (docs/workflows.md). Every complaint names the JSON path of
/// the offending member (`nodes[2].participant.type`) so the author knows where to look.
/// Shape only: graph and reference rules are `WorkflowValidator`'s.
public enum WorkflowDocument {
    public static func decode(_ text: String) throws -> WorkflowDefinition {
        let value: JSONValue
        do {
            value = try JSONParser.parse(text)
        } catch {
            throw DeskError.invalid(field: "document", reason: "is not JSON: \(error)")
        }
        return try decode(value)
    }

    public static func decode(_ value: JSONValue) throws -> WorkflowDefinition {
        let root = try Reader(value, path: "")
        try root.allowOnly(["name", "description", "fields", "nodes", "transitions", "permissions"])
        return WorkflowDefinition(
            name: try root.string("name"),
            description: try root.optionalString("description") ?? "",
            fields: try root.objects("fields", required: false).map(field),
            nodes: try root.objects("nodes").map(node),
            transitions: try root.objects("transitions").map(transition),
            permissions: try root.objects("permissions", required: false).map(grant))
    }

    private static func field(_ r: Reader) throws -> FieldDefinition {
        try r.allowOnly(["key", "label", "type", "options"])
        let type: FieldType = try r.choice("type")
        let options = try r.array("options", required: false).map { try $0.asString() }
        return FieldDefinition(key: try r.string("key"), label: try r.string("label"), type: type, options: options)
    }

    private static func node(_ r: Reader) throws -> NodeDefinition {
        try r.allowOnly(["key", "name", "type", "participant", "distribution", "allow_withdraw", "fields"])
        var access: [(key: String, access: FieldAccess)] = []
        if let fields = try r.optionalObject("fields") {
            for (key, _) in fields.object {
                access.append((key, try fields.choice(key)))
            }
        }
        return NodeDefinition(
            key: try r.string("key"), name: try r.string("name"), type: try r.choice("type"),
            participant: try r.optionalObject("participant").map(participant),
            distribution: try r.optionalChoice("distribution") ?? .direct,
            allowWithdraw: try r.optionalBool("allow_withdraw") ?? false,
            fieldAccess: access)
    }

    private static func participant(_ r: Reader) throws -> Participant {
        try r.allowOnly(["type", "value"])
        switch try r.string("type") {
        case "person": return .person(try r.string("value"))
        case "people": return .people(try r.array("value").map { try $0.asString() })
        case "department": return .department(try r.string("value"))
        case "role": return .role(try r.choice("value"))
        case "creator": return .creator
        case "field": return .field(try r.string("value"))
        case let other:
            throw r.invalid("type", "'\(other)' is not a participant type; use person, people, department, role, creator or field")
        }
    }

    private static func transition(_ r: Reader) throws -> TransitionDefinition {
        try r.allowOnly(["key", "name", "type", "from", "to", "condition_groups", "open_child"])
        let condition = r.has("condition_groups") ? try conditionGroups(r) : nil
        let child = try r.optionalObject("open_child").map { c in
            try c.allowOnly(["workflow", "subject"])
            return ChildTicket(workflow: try c.string("workflow"), subject: try c.optionalString("subject"))
        }
        return TransitionDefinition(key: try r.string("key"), name: try r.string("name"), type: try r.choice("type"),
                                    from: try r.string("from"), to: try r.string("to"), condition: condition, openChild: child)
    }

    /// A `condition_groups` array (as documents and `workflow_transitions.condition_json` hold it).
    static func condition(_ groups: JSONValue) throws -> Condition {
        try conditionGroups(try Reader(.object(JSONObject([("condition_groups", groups)])), path: ""))
    }

    private static func conditionGroups(_ r: Reader) throws -> Condition {
        Condition(groups: try r.array("condition_groups").map { group in try group.asArray().map(clause) })
    }

    private static func clause(_ r: Reader) throws -> Condition.Clause {
        try r.allowOnly(["field", "operator", "value"])
        let value: FieldValue
        switch r.object["value"] {
        case .string(let s)?: value = .text(s)
        case .number(let n)?: value = .number(n.double ?? 0)
        case .bool(let b)?: value = .bool(b)
        default: throw r.invalid("value", "must be a string, number or boolean")
        }
        return Condition.Clause(field: try r.string("field"), try r.choice("operator"), value)
    }

    private static func grant(_ r: Reader) throws -> WorkflowGrant {
        try r.allowOnly(["permission", "user", "department"])
        let permission: WorkflowPermission = try r.choice("permission")
        switch (try r.optionalString("user"), try r.optionalString("department")) {
        case (let user?, nil): return WorkflowGrant(permission: permission, target: .user(user))
        case (nil, let department?): return WorkflowGrant(permission: permission, target: .department(department))
        default: throw r.invalid("user", "give exactly one of user (an email) or department (a name)")
        }
    }
}

/// A JSON object with the path it was found at, and typed getters that fail with that path.
struct Reader {
    let object: JSONObject
    let path: String

    init(_ value: JSONValue, path: String) throws {
        guard let object = value.objectValue else {
            throw DeskError.invalid(field: path.isEmpty ? "document" : path, reason: "must be an object")
        }
        self.object = object
        self.path = path
    }

    func at(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }
    func invalid(_ key: String, _ reason: String) -> DeskError { .invalid(field: at(key), reason: reason) }
    func has(_ key: String) -> Bool { object[key] != nil && object[key]?.isNull == false }

    /// Unknown members are refused: a typo like `"allow_withdrawl"` must not be ignored silently.
    func allowOnly(_ keys: Set<String>) throws {
        if let unknown = object.keys.first(where: { !keys.contains($0) }) {
            throw invalid(unknown, "is not a known member here (known: \(keys.sorted().joined(separator: ", ")))")
        }
    }

    func string(_ key: String) throws -> String {
        guard let value = try optionalString(key) else { throw invalid(key, "is required") }
        return value
    }

    func optionalString(_ key: String) throws -> String? {
        guard has(key) else { return nil }
        guard let s = object[key]?.stringValue else { throw invalid(key, "must be a string") }
        return s
    }

    func optionalBool(_ key: String) throws -> Bool? {
        guard has(key) else { return nil }
        guard let b = object[key]?.boolValue else { throw invalid(key, "must be true or false") }
        return b
    }

    func choice<T: RawRepresentable & CaseIterable>(_ key: String) throws -> T where T.RawValue == String {
        guard let value: T = try optionalChoice(key) else { throw invalid(key, "is required") }
        return value
    }

    func optionalChoice<T: RawRepresentable & CaseIterable>(_ key: String) throws -> T? where T.RawValue == String {
        guard let raw = try optionalString(key) else { return nil }
        guard let value = T(rawValue: raw) else {
            throw invalid(key, "'\(raw)' is not one of \(T.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return value
    }

    func optionalObject(_ key: String) throws -> Reader? {
        guard has(key) else { return nil }
        return try Reader(object[key]!, path: at(key))
    }

    /// Elements as `Element`s carrying their own paths (`nodes[3]`).
    func array(_ key: String, required: Bool = true) throws -> [Element] {
        guard has(key) else {
            if required { throw invalid(key, "is required") }
            return []
        }
        guard let items = object[key]?.arrayValue else { throw invalid(key, "must be an array") }
        return items.enumerated().map { Element(value: $0.element, path: "\(at(key))[\($0.offset)]") }
    }

    /// Elements that must be objects, as readers with their own paths.
    func objects(_ key: String, required: Bool = true) throws -> [Reader] {
        try array(key, required: required).map { try Reader($0.value, path: $0.path) }
    }

    struct Element {
        let value: JSONValue
        let path: String

        func asString() throws -> String {
            guard let s = value.stringValue else { throw DeskError.invalid(field: path, reason: "must be a string") }
            return s
        }

        func asArray() throws -> [Reader] {
            guard let items = value.arrayValue else { throw DeskError.invalid(field: path, reason: "must be an array") }
            return try items.enumerated().map { try Reader($0.element, path: "\(path)[\($0.offset)]") }
        }
    }
}

