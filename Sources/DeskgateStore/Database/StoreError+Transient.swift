public import DeskgateSQL
public import DeskgateSystem

/// Which store errors are worth a retry (`TransientFailure`): the database was away, busy or
/// out of readers; anything else (a constraint, a corrupt value) would fail the same again.
extension StoreError: TransientFailure {
    public var isTransient: Bool {
        switch self {
        case .unavailable, .busy, .readerPoolExhausted, .closed: true
        default: false
        }
    }
}

/// A statement stopped at its time budget (`DatabaseConfiguration.readBudgetMilliseconds`).
extension StoreError: OverBudgetFailure {
    public var exceededBudgetMilliseconds: Int? {
        if case let .overBudget(milliseconds) = self { return milliseconds }
        return nil
    }
}
