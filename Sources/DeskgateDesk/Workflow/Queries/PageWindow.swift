import DeskgateIdentity
/// Page-number paging as the workflow tools' callers expect it (Loonflow's semantics): pages
/// count from 1, and a page past the end serves the last page and says so, instead of an
/// empty list a model would misread as "nothing matches".
public struct PageWindow: Sendable, Equatable {
    public let requested: Int
    public let served: Int
    public let perPage: Int
    public let total: Int

    public init(requested: Int, perPage: Int, total: Int) {
        self.requested = requested
        self.perPage = perPage
        self.total = total
        let last = max(1, (total + perPage - 1) / perPage)
        served = min(max(1, requested), last)
    }

    public var offset: Int { (served - 1) * perPage }
    public var lastPage: Int { max(1, (total + perPage - 1) / perPage) }

    /// What a result says about the page, e.g. "page 3 of 3 (page 9 asked; it does not exist)".
    public var note: String? {
        served == requested ? nil : "page \(requested) does not exist; served page \(served) of \(lastPage)"
    }
}
