
/// An authorization request waiting on the consent page, bound to the browser session that
/// saw the page: another session (or a forged form) cannot complete it.
public struct PendingAuthorization: Sendable, Equatable {
    public let slug: String
    public let sessionID: Int64
    public let request: ApprovedRequest
    public let state: String?
    public let appName: String
    public let isMetadataDocument: Bool
    public let createdAt: Int64

    public init(slug: String, sessionID: Int64, request: ApprovedRequest, state: String?, appName: String,
                isMetadataDocument: Bool, createdAt: Int64) {
        self.slug = slug
        self.sessionID = sessionID
        self.request = request
        self.state = state
        self.appName = appName
        self.isMetadataDocument = isMetadataDocument
        self.createdAt = createdAt
    }

    /// Long enough to read the page, short enough that a forgotten tab cannot be completed later.
    public static let lifetimeMilliseconds: Int64 = 10 * 60 * 1000
}

/// Where pending consent waits between the page and its answer. Every implementation keeps
/// the same promises: an entry lives `PendingAuthorization.lifetimeMilliseconds`, is found only
/// by its own tenant and session, and `complete` hands it out at most once.
public protocol PendingAuthorizationStore: Sendable {
    /// Keeps `pending`; returns its id (unguessable: it is the only thing the form carries).
    func add(_ pending: PendingAuthorization) throws -> String
    /// The request for showing the page again; it stays pending.
    func find(_ id: String, slug: String, sessionID: Int64) throws -> PendingAuthorization?
    /// The request for its answer; removed, so a second answer finds nothing.
    func complete(_ id: String, slug: String, sessionID: Int64) throws -> PendingAuthorization?
}
