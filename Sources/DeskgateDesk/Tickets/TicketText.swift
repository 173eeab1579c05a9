import DeskgateModel
/// Rules for free text a command writes: message bodies and subjects.
enum TicketText {
    static let maxBodyLength = 20_000

    /// Notes and first messages: not blank, bounded; newlines and tabs are fine.
    static func body(_ text: String, field: String) throws -> String {
        let trimmed = text.trimmed
        guard !trimmed.isEmpty else { throw DeskError.invalid(field: field, reason: "must not be empty") }
        guard trimmed.count <= maxBodyLength else {
            throw DeskError.invalid(field: field, reason: "must be at most \(maxBodyLength) characters (got \(trimmed.count))")
        }
        return trimmed
    }

    static func subject(_ text: String) throws -> String {
        try Validation.name(text, field: "subject", maxLength: 200)
    }
}
