import DeskgateCrypto
import DeskgateStore
public import DeskgateModel
public import DeskgateSystem

/// One-shot page banners in the database, so that the page a POST redirects to may be served
/// by another deskgate-auth process (`docs/scale-out.md`). The caller seals what it stores;
/// the row is keyed by the SHA-256 of the id, bound to the tenant and login session, and
/// deleted by the first read, matching or not.
public struct PageFlashes: Sendable {
    public static let lifetimeMilliseconds: Int64 = 2 * 60 * 1000

    let database: Database
    let clock: @Sendable () -> Int64

    public init(storage: Storage, clock: @escaping @Sendable () -> Int64 = { WallClock.milliseconds() }) {
        database = storage.database
        self.clock = clock
    }

    /// Stores `sealed` for the session; returns its new id.
    public func put(_ sealed: [UInt8], tenant: Tenant, sessionID: Int64) throws -> String {
        let id = SecureRandom.base64URL(byteCount: 24), now = clock()
        try database.write { tx in
            try tenant.scope.pageFlashes.put(idDigest: OpaqueToken.storageHash(id), loginSessionID: sessionID, sealed: sealed, at: now, in: tx)
        }
        return id
    }

    /// What `put` stored, once, if it is this session's and still fresh.
    public func take(_ id: String, tenant: Tenant, sessionID: Int64) throws -> [UInt8]? {
        let notBefore = clock() - Self.lifetimeMilliseconds
        return try database.write { tx in
            try tenant.scope.pageFlashes.take(idDigest: OpaqueToken.storageHash(id), loginSessionID: sessionID, notBefore: notBefore, in: tx)
        }
    }

}
