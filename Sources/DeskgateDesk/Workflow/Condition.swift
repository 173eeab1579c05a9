/// The condition on a transition out of an exclusive gateway: it holds when every clause of
/// at least one group holds (an OR of ANDs, as Loonflow's `condition_groups`).
public struct Condition: Sendable, Equatable {
    public var groups: [[Clause]]

    public init(groups: [[Clause]]) { self.groups = groups }

    public struct Clause: Sendable, Equatable {
        public var field: String
        public var comparison: Comparison
        public var value: FieldValue

        public init(field: String, _ comparison: Comparison, _ value: FieldValue) {
            self.field = field
            self.comparison = comparison
            self.value = value
        }
    }

    public enum Comparison: String, Sendable, CaseIterable {
        case equal = "==", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="

        /// Ordering comparisons make sense on numbers and dates only.
        var isOrdering: Bool { self != .equal && self != .notEqual }
    }

    /// Evaluates against a ticket's field values. A clause on a field without a value is false
    /// (so "amount > 500" does not hold for a ticket that never stated an amount).
    public func holds(for values: [String: FieldValue]) -> Bool {
        groups.contains { group in group.allSatisfy { $0.holds(for: values[$0.field]) } }
    }
}

extension Condition.Clause {
    func holds(for actual: FieldValue?) -> Bool {
        guard let actual else { return false }
        switch comparison {
        case .equal: return actual == value
        case .notEqual: return actual != value
        case .less, .lessOrEqual, .greater, .greaterOrEqual:
            guard let order = actual.order(comparedWith: value) else { return false }
            switch comparison {
            case .less: return order < 0
            case .lessOrEqual: return order <= 0
            case .greater: return order > 0
            default: return order >= 0
            }
        }
    }
}

/// A typed value of a form field, as stored on a ticket and compared by gateway conditions.
public enum FieldValue: Sendable, Equatable, Hashable {
    case text(String)
    case number(Double)
    case bool(Bool)
    /// `YYYY-MM-DD`; ISO dates order correctly as text.
    case date(String)
    /// A user or department, by id once resolved in a tenant.
    case reference(Int64)

    /// -1, 0 or 1 for comparable pairs (number with number, date with date), nil otherwise.
    func order(comparedWith other: FieldValue) -> Int? {
        switch (self, other) {
        case let (.number(a), .number(b)): return a < b ? -1 : (a == b ? 0 : 1)
        case let (.date(a), .date(b)): return a < b ? -1 : (a == b ? 0 : 1)
        default: return nil
        }
    }
}
