/// A query stopped because it ran past its time budget (a statement timeout). Nothing was
/// written; the same request would run as long again, so it is not a `TransientFailure`: the
/// caller is told to narrow it. MCP answers a tool error, HTTP a 503 naming the budget.
public protocol OverBudgetFailure: Error {
    /// The budget the query exceeded; nil when this error is not an exceeded budget.
    var exceededBudgetMilliseconds: Int? { get }
}

extension OverBudgetFailure {
    /// The one wording every layer uses.
    public var overBudgetReason: String? {
        exceededBudgetMilliseconds.map { "the query took longer than its \($0) ms budget; narrow the filters" }
    }
}
