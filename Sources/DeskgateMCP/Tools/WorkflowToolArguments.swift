import DeskgateModel
import DeskgateDesk
import DeskgateJSON

/// Argument shapes of the workflow family, which keeps Loonflow's conventions: ids may come
/// as numbers or strings, lists as comma-separated strings (or arrays), and `ticket_handle`
/// may carry its body as `handle_request` (an object or its JSON text).
extension ToolArguments {
    /// `ticket_id`: 12, "12", "#12" or "id:88231".
    func workflowTicket() throws -> TicketRef {
        do {
            return try ticketReference("ticket_id", example: "12 or \"#12\" (see ticket_list)")
        } catch let error as DeskError {
            throw ToolArgumentError(argument: "ticket_id", reason: "is invalid: \(error)")
        }
    }

    /// A list of ids: "1,2,3", [1, 2, 3] or ["1", "2"]; empty when absent or "".
    func idList(_ name: String, maxCount: Int = 100) throws -> [Int64] {
        guard let value = values[name], !value.isNull else { return [] }
        let parts: [String]
        switch value {
        case .string(let text): parts = text.split(separator: ",").map { String($0).trimmed }.filter { !$0.isEmpty }
        case .array(let items):
            parts = try items.map { item in
                switch item {
                case .number(let n): return n.text
                case .string(let s): return s.trimmed
                default: throw ToolArgumentError(argument: name, reason: "must list ids as numbers or strings")
                }
            }
        case .number(let n): parts = [n.text]
        default: throw ToolArgumentError(argument: name, reason: "must be a comma-separated string of ids, e.g. \"3,7\"")
        }
        guard parts.count <= maxCount else { throw ToolArgumentError(argument: name, reason: "may list at most \(maxCount) ids") }
        return try parts.map { part in
            let digits = part.hasPrefix("#") ? String(part.dropFirst()) : part
            guard let id = Int64(digits), id > 0 else {
                throw ToolArgumentError(argument: name, reason: "'\(part)' is not an id (positive whole number)")
            }
            return id
        }
    }

    /// An integer that may also arrive as a numeric string ("2"), as Loonflow clients send.
    func looseInteger(_ name: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let value = values[name], !value.isNull else { return nil }
        let number: Int?
        switch value {
        case .number(let n): number = n.int
        case .string(let s): number = Int(s.trimmed)
        default: number = nil
        }
        guard let number else { throw ToolArgumentError(argument: name, reason: "must be an integer") }
        guard range.contains(number) else {
            throw ToolArgumentError(argument: name, reason: "must be between \(range.lowerBound) and \(range.upperBound)")
        }
        return number
    }

    func object(_ name: String) throws -> JSONObject {
        guard let value = values[name], !value.isNull else { return JSONObject() }
        guard case .object(let object) = value else { throw ToolArgumentError(argument: name, reason: "must be an object") }
        return object
    }
}
