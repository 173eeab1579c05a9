import DeskgateSQL
import DeskgateStore
public import DeskgateModel

/// How a caller names a ticket: the per-tenant number people quote (1042, "1042", "#1042"),
/// or the internal id ("id:88231") that other results carry.
public enum TicketRef: Sendable, Equatable, CustomStringConvertible {
    case number(Int64)
    case id(Int64)

    /// What every refusal repeats, so a model can correct itself in one step.
    public static let accepted = "use a ticket number such as 1042 or \"#1042\", or an internal id as \"id:88231\""

    /// A JSON integer: the ticket number.
    public static func parse(integer value: Int64) throws -> TicketRef {
        guard value > 0 else { throw invalid("\(value) is not a ticket number") }
        return .number(value)
    }

    /// A JSON string: "1042", "#1042" or "id:88231" (surrounding spaces ignored).
    public static func parse(_ text: String) throws -> TicketRef {
        let trimmed = text.trimmed
        if trimmed.lowercased().hasPrefix("id:") {
            guard let id = positive(trimmed.dropFirst(3)) else { throw invalid("'\(text)' has no valid internal id after 'id:'") }
            return .id(id)
        }
        let digits = trimmed.hasPrefix("#") ? trimmed.dropFirst() : Substring(trimmed)
        guard let number = positive(digits) else { throw invalid("'\(text)' is not a ticket reference") }
        return .number(number)
    }

    /// For a JSON value of any other type (bool, float, object, null).
    public static func invalid(_ what: String) -> DeskError {
        DeskError.invalid(field: "ticket", reason: "\(what); \(accepted)")
    }

    /// How messages name the ticket; an internal id never appears unless the caller used one.
    public var description: String {
        switch self {
        case .number(let number): "ticket #\(number)"
        case .id(let id): "ticket id:\(id)"
        }
    }

    /// Decimal digits only (no sign, no spaces), at most 18 so it fits in Int64.
    private static func positive(_ text: Substring) -> Int64? {
        guard (1...18).contains(text.count), text.allSatisfy({ $0.isASCII && $0.isNumber }),
              let value = Int64(text), value > 0 else { return nil }
        return value
    }
}

extension TicketRef {
    /// The ticket this reference names in `scope`, whoever may see it (callers check that).
    func ticket(in scope: TenantScope, on db: any SQLConnection) throws -> Ticket? {
        switch self {
        case .number(let number): try scope.tickets.byNumber(number, on: db)
        case .id(let id): try scope.tickets.byID(id, on: db)
        }
    }
}
