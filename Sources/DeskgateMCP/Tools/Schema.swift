import DeskgateJSON

/// A small vocabulary for the JSON Schemas of tool inputs and outputs, so each tool's
/// contract reads as a list of fields rather than nested literals.
enum Schema {
    static func object(_ properties: [(String, JSONValue)], required: [String] = [],
                       additionalProperties: Bool = false) -> JSONValue {
        var object = JSONObject([("type", "object"), ("properties", .object(JSONObject(properties)))])
        if !required.isEmpty { object["required"] = .array(required.map { .string($0) }) }
        object["additionalProperties"] = .bool(additionalProperties)
        return .object(object)
    }

    static func string(_ description: String, enumeration: [String]? = nil, maxLength: Int? = nil,
                       format: String? = nil) -> JSONValue {
        var object = JSONObject([("type", "string"), ("description", .string(description))])
        if let enumeration { object["enum"] = .array(enumeration.map { .string($0) }) }
        if let maxLength { object["maxLength"] = .number(JSONNumber(maxLength)) }
        if let format { object["format"] = .string(format) }
        return .object(object)
    }

    static func integer(_ description: String, minimum: Int? = nil, maximum: Int? = nil) -> JSONValue {
        var object = JSONObject([("type", "integer"), ("description", .string(description))])
        if let minimum { object["minimum"] = .number(JSONNumber(minimum)) }
        if let maximum { object["maximum"] = .number(JSONNumber(maximum)) }
        return .object(object)
    }

    /// An object of counts by name (names not fixed in advance).
    static func counts(_ description: String) -> JSONValue {
        .object(JSONObject([("type", "object"), ("description", .string(description)),
                            ("additionalProperties", .object(JSONObject([("type", "integer")])))]))
    }

    /// An object of text values by name (names not fixed in advance).
    static func texts(_ description: String) -> JSONValue {
        .object(JSONObject([("type", "object"), ("description", .string(description)),
                            ("additionalProperties", .object(JSONObject([("type", "string")])))]))
    }

    static func boolean(_ description: String) -> JSONValue {
        .object(JSONObject([("type", "boolean"), ("description", .string(description))]))
    }

    static func array(_ items: JSONValue, description: String, maxItems: Int? = nil) -> JSONValue {
        var object = JSONObject([("type", "array"), ("items", items), ("description", .string(description))])
        if let maxItems { object["maxItems"] = .number(JSONNumber(maxItems)) }
        return .object(object)
    }

    /// A value that may be absent: the type plus null.
    static func nullable(_ schema: JSONValue) -> JSONValue {
        .object(JSONObject([("anyOf", .array([schema, .object(JSONObject([("type", "null")]))]))]))
    }

    /// Loose object shapes for outputs: named fields typed, extra fields allowed.
    static func record(_ properties: [(String, JSONValue)], required: [String]) -> JSONValue {
        object(properties, required: required, additionalProperties: true)
    }

    static let ticketReference: JSONValue = .object(JSONObject([
        ("description", "The ticket: its number (1042 or \"#1042\"), or \"id:<internal id>\"."),
        ("anyOf", .array([
            .object(JSONObject([("type", "integer"), ("minimum", 1)])),
            .object(JSONObject([("type", "string"), ("pattern", "^(#?[0-9]+|id:[0-9]+)$")])),
        ])),
    ]))

    /// `schema` with its description replaced.
    static func withDescription(_ schema: JSONValue, _ description: String) -> JSONValue {
        guard case .object(var object) = schema else { return schema }
        object["description"] = .string(description)
        return .object(object)
    }

    static let dryRun = boolean("true: validate and report exactly what would change, without changing anything.")

    /// Declared by every write tool: the retry after a person approved the change on the
    /// approval page (`ApprovalGate`), for clients without URL elicitation.
    static let approvalID = string("Only when a previous call of this tool said the change needs a person's approval and "
                                   + "returned an approval_id: that id, once the person approved it, with exactly the same "
                                   + "other arguments.", maxLength: 64)

    static let timestamp = string("ISO 8601 time (UTC).", format: "date-time")

    static let nameRef: JSONValue = record([("id", .object(JSONObject([("type", "integer")]))),
                                            ("name", .object(JSONObject([("type", "string")])))], required: ["id", "name"])

    static let statuses = ["new", "open", "pending", "resolved", "closed"]
    static let priorities = ["low", "normal", "high", "urgent"]
}
