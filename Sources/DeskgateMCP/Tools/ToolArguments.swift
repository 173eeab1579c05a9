import DeskgateDesk
import DeskgateJSON

/// A tool argument that is missing or of the wrong shape. Reported to the model as a tool
/// error (`isError: true`) naming the argument and what it must be, so it can fix the call.
struct ToolArgumentError: Error, CustomStringConvertible {
    let argument: String
    let reason: String
    var description: String { "argument '\(argument)' \(reason)" }
}

/// Typed access to `tools/call` arguments, refusing unknown keys (a typo must not be ignored).
struct ToolArguments {
    let values: JSONObject

    init(_ values: JSONObject, allowed: Set<String>) throws {
        if let unknown = values.keys.first(where: { !allowed.contains($0) }) { throw Self.unknown(unknown, allowed) }
        self.values = values
    }

    /// The same check against the input schema's `properties` object, without building a Set of
    /// its names per call (a tool has a handful of parameters: a scan is cheaper than hashing).
    init(_ values: JSONObject, inputSchema: JSONValue) throws {
        let properties = inputSchema["properties"]?.objectValue ?? JSONObject()
        for (key, _) in values where properties[key] == nil {
            throw Self.unknown(key, ToolRegistry.parameterNames(of: inputSchema))
        }
        self.values = values
    }

    private static func unknown(_ argument: String, _ allowed: Set<String>) -> ToolArgumentError {
        let names = allowed.sorted().joined(separator: ", ")
        return ToolArgumentError(argument: argument, reason: "is not a parameter of this tool (parameters: \(names))")
    }

    func string(_ name: String, maxLength: Int = 10_000) throws -> String? {
        guard let value = values[name], !value.isNull else { return nil }
        guard case .string(let text) = value else { throw ToolArgumentError(argument: name, reason: "must be a string") }
        guard text.count <= maxLength else {
            throw ToolArgumentError(argument: name, reason: "must be at most \(maxLength) characters")
        }
        return text
    }

    func requiredString(_ name: String, maxLength: Int = 10_000) throws -> String {
        guard let text = try string(name, maxLength: maxLength), !text.isEmpty else {
            throw ToolArgumentError(argument: name, reason: "is required (a non-empty string)")
        }
        return text
    }

    func integer(_ name: String, in range: ClosedRange<Int>? = nil) throws -> Int? {
        guard let value = values[name], !value.isNull else { return nil }
        guard case .number(let number) = value, let integer = number.int else {
            throw ToolArgumentError(argument: name, reason: "must be an integer")
        }
        if let range, !range.contains(integer) {
            throw ToolArgumentError(argument: name, reason: "must be between \(range.lowerBound) and \(range.upperBound)")
        }
        return integer
    }

    func bool(_ name: String) throws -> Bool? {
        guard let value = values[name], !value.isNull else { return nil }
        guard case .bool(let flag) = value else { throw ToolArgumentError(argument: name, reason: "must be true or false") }
        return flag
    }

    func strings(_ name: String, maxCount: Int = 50) throws -> [String]? {
        guard let value = values[name], !value.isNull else { return nil }
        guard case .array(let items) = value else {
            throw ToolArgumentError(argument: name, reason: "must be an array of strings")
        }
        guard items.count <= maxCount else {
            throw ToolArgumentError(argument: name, reason: "must have at most \(maxCount) items")
        }
        return try items.map { item in
            guard case .string(let text) = item else {
                throw ToolArgumentError(argument: name, reason: "must be an array of strings")
            }
            return text
        }
    }

    /// `dry_run`: every write tool takes it; default false.
    var dryRun: Bool { get throws { try bool("dry_run") ?? false } }

    /// The ticket a tool names, in either family (`ticket`, `ticket_id`): 1042, "1042", "#1042"
    /// or "id:88231". One reading for every tool: a string's surrounding white space is ignored
    /// (`TicketRef.parse`), anything else malformed is refused.
    func ticketReference(_ name: String = "ticket", example: String = "1042 or \"#1042\"") throws -> TicketRef {
        guard let value = values[name], !value.isNull else {
            throw ToolArgumentError(argument: name, reason: "is required: the ticket number, e.g. \(example)")
        }
        switch value {
        case .number(let number):
            guard let int = number.int else { throw TicketRef.invalid(number.text) }
            return try TicketRef.parse(integer: Int64(int))
        case .string(let text): return try TicketRef.parse(text)
        default: throw ToolArgumentError(argument: name, reason: "must be a ticket number (\(example))")
        }
    }
}
