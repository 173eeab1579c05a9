public import DeskgateSQL
import DeskgateModel
/// The deployment-wide revocation sequence. Triggers bump it in every revoking transaction
/// (PAT, grant, session, user deactivation, tenant suspension, key retirement); a resource
/// server reads it per request (one cached point read) and drops its token cache when it moved.
public struct RevocationCounter: Sendable {
    public init() {}

    public func current(on db: any SQLConnection) throws -> Int64 {
        try db.queryOne("SELECT value FROM revocation_counter WHERE id = 1") { $0.int64(0) } ?? 0
    }

    /// For revocations no trigger sees (e.g. a policy change held in settings_json).
    @discardableResult
    public func bump(in tx: WriteTransaction) throws -> Int64 {
        try tx.connection.queryOne("UPDATE revocation_counter SET value = value + 1 WHERE id = 1 RETURNING value") {
            $0.int64(0)
        } ?? 0
    }
}
