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

    /// `maxLength` documents the limit the handler enforces (`ToolArguments.string`, whose error
    /// names it); tools/list leaves it out, as every session pays for it in tokens (issue 19).
    static func string(_ description: String, enumeration: [String]? = nil, maxLength: Int? = nil,
                       format: String? = nil) -> JSONValue {
        var object = JSONObject([("type", "string"), ("description", .string(description))])
        if let enumeration { object["enum"] = .array(enumeration.map { .string($0) }) }
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

    /// `maxItems`, like `maxLength`, documents what the handler enforces and is left out of tools/list.
    static func array(_ items: JSONValue, description: String, maxItems: Int? = nil) -> JSONValue {
        .object(JSONObject([("type", "array"), ("items", items), ("description", .string(description))]))
    }

    /// A string from a fixed list, as an array's items (the array's description says what it is).
    static func oneOf(_ values: [String]) -> JSONValue {
        .object(JSONObject([("type", "string"), ("enum", .array(values.map { .string($0) }))]))
    }

    /// A value that may be absent: the type plus null.
    static func nullable(_ schema: JSONValue) -> JSONValue {
        .object(JSONObject([("anyOf", .array([schema, .object(JSONObject([("type", "null")]))]))]))
    }

    /// Loose object shapes for outputs: named fields typed, extra fields allowed.
    static func record(_ properties: [(String, JSONValue)], required: [String]) -> JSONValue {
        object(properties, required: required, additionalProperties: true)
    }

    /// A ticket by number, "#number" or "id:<internal id>" (`ToolArguments.ticketReference`,
    /// whose error says so): one line, where an anyOf with a pattern cost three times the tokens.
    static let ticketReference: JSONValue = .object(JSONObject([
        ("type", .array(["integer", "string"])), ("description", "Ticket number, e.g. 1042 or \"#1042\"."),
    ]))

    /// `schema` with its description replaced.
    static func withDescription(_ schema: JSONValue, _ description: String) -> JSONValue {
        guard case .object(var object) = schema else { return schema }
        object["description"] = .string(description)
        return .object(object)
    }

    // The three arguments every write tool takes. Short here: the server's instructions
    // (`ServerIdentity.instructions`) say once how approvals and retries work.
    static let dryRun = boolean("true: only report what would change.")

    /// Declared by every write tool: the retry after a person approved the change on the
    /// approval page (`ApprovalGate`), for clients without URL elicitation.
    static let approvalID = string("To retry a call that returned one, once approved.", maxLength: 64)

    /// Declared by every write tool (issue 19): the same key with the same arguments within 24
    /// hours returns the first call's result and writes nothing.
    static let idempotencyKey = string("Unique string: a retry with it and the same arguments changes nothing.", maxLength: 200)

    static let timestamp = string("ISO 8601 time (UTC).", format: "date-time")

    static let nameRef: JSONValue = record([("id", .object(JSONObject([("type", "integer")]))),
                                            ("name", .object(JSONObject([("type", "string")])))], required: ["id", "name"])

    static let statuses = ["new", "open", "pending", "resolved", "closed"]
    static let priorities = ["low", "normal", "high", "urgent"]
}
