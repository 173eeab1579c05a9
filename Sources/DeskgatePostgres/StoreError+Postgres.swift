import DeskgateSQL

extension StoreError {
    /// Classifies a PostgreSQL failure into the store's vocabulary.
    ///
    /// `message` must be the server's primary message only: its DETAIL repeats bound values
    /// ("Key (token_hash)=(…) already exists"). Data exceptions (class 22) quote the offending
    /// value even in the primary message, so theirs is cut down by `dataExceptionSummary`.
    /// `connectionLost` (libpq's status is CONNECTION_BAD) wins over any SQLSTATE: the work was
    /// not done, and the connection is of no further use.
    static func postgres(state: SQLState?, message: String, connectionLost: Bool) -> StoreError {
        let code = state?.code ?? SQLState.noStateCode
        let stated = state.map { "\(message) (SQLSTATE \($0))" } ?? message
        if connectionLost { return .unavailable(stated) }
        guard let state else { return .engine(code: code, message: message) }
        switch (state.errorClass, state.text) {
        // 57P01-57P03: the server is shutting down, crashed or still starting.
        case ("08", _), (_, "57P01"), (_, "57P02"), (_, "57P03"):
            return .unavailable(stated)
        case ("23", _):
            return .constraintViolation(code: code, message: message)
        // Serialization failure, deadlock, lock not available: retrying the transaction can succeed.
        case (_, "40001"), (_, "40P01"), (_, "55P03"):
            return .busy(code: code, message: message)
        case ("22", _):
            return .invalidInput("\(dataExceptionSummary(message)) (SQLSTATE \(state))")
        default:
            return .engine(code: code, message: message)
        }
    }

    /// A data exception's message without the value it quotes: everything from the first ": "
    /// is dropped (`invalid input syntax for type bigint: "…"`), and any double-quoted part left
    /// is blanked (`value "…" is out of range for type integer`).
    static func dataExceptionSummary(_ message: String) -> String {
        let head = message.firstRange(of: ": ").map { message[..<$0.lowerBound] } ?? message[...]
        var summary = ""
        var quoted = false
        for character in head {
            if character == "\"" {
                summary += quoted ? "\"" : "\"…"
                quoted.toggle()
            } else if !quoted {
                summary.append(character)
            }
        }
        if quoted { summary += "\"" }
        return summary
    }
}
