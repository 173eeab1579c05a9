public import DeskgateIdentity
public import DeskgateModel
import DeskgateStore
import DeskgateSystem

/// A write call that named an `idempotency_key` (issue 19): the key, the tool and the digest of
/// its other arguments. The write claims the key inside its own transaction, so "the write
/// happened" and "the key is taken" commit together; the same key with the same call within 24
/// hours then replays the first result and writes nothing.
public struct IdempotentCall: Sendable, Equatable {
    public let key: String
    public let tool: String
    public let argumentsDigest: String

    /// How long a key holds.
    public static let windowMilliseconds: Int64 = 24 * 3600 * 1000
    public static let maximumKeyLength = 200

    public init(key: String, tool: String, argumentsDigest: String) {
        self.key = key
        self.tool = tool
        self.argumentsDigest = argumentsDigest
    }
}

/// Thrown out of a write's transaction when its key was already used for the same call: the
/// transaction rolls back (nothing written) and the caller answers with `resultJSON`, the first
/// call's result (empty when that call could not keep it).
public struct IdempotentReplay: Error, Sendable, Equatable {
    public let resultJSON: String
    public let firstCalledAt: Int64
}

enum IdempotencyUse {
    /// Inside the write's transaction, before anything is written.
    static func claim(_ call: IdempotentCall, actor: DeskActor, now: Int64 = WallClock.milliseconds(),
                      in tx: WriteTransaction) throws {
        let keys = actor.tenant.idempotencyKeys
        if let stored = try keys.find(userID: actor.user.id, key: call.key, on: tx.connection) {
            if now - stored.createdAt >= IdempotentCall.windowMilliseconds {
                try keys.forget(userID: actor.user.id, key: call.key, in: tx)
            } else if stored.tool == call.tool && stored.argumentsDigest == call.argumentsDigest {
                throw IdempotentReplay(resultJSON: stored.resultJSON, firstCalledAt: stored.createdAt)
            } else {
                throw DeskError.invalid(field: "idempotency_key", reason: "was used in the last 24 hours for another call ("
                    + (stored.tool == call.tool ? "\(call.tool) with other arguments" : stored.tool)
                    + "); use a new key for a new call")
            }
        }
        guard try keys.claim(userID: actor.user.id, key: call.key, tool: call.tool, argumentsDigest: call.argumentsDigest,
                             at: now, in: tx) else {
            throw DeskError.conflict("another call with this idempotency_key is being written right now; "
                                     + "call again in a moment to get its result")
        }
    }
}

/// Keeps a keyed call's result for its replays (after the write committed).
public struct IdempotencyKeeper: Sendable {
    let database: Database

    public init(storage: Storage) { database = storage.database }

    /// The replay a keyed call gets before anything else is decided (an approval, say), when
    /// the same call under the key already committed within the window.
    public func replay(_ call: IdempotentCall, tenant: Tenant, userID: Int64, on reader: ReadHandle) throws -> IdempotentReplay? {
        guard let stored = try tenant.scope.idempotencyKeys.find(userID: userID, key: call.key, on: reader.connection),
              WallClock.milliseconds() - stored.createdAt < IdempotentCall.windowMilliseconds,
              stored.tool == call.tool, stored.argumentsDigest == call.argumentsDigest else { return nil }
        return IdempotentReplay(resultJSON: stored.resultJSON, firstCalledAt: stored.createdAt)
    }

    public func keep(_ call: IdempotentCall, resultJSON: String, tenant: Tenant, userID: Int64) throws {
        let scope = tenant.scope
        try database.write { tx in
            try scope.idempotencyKeys.keepResult(userID: userID, key: call.key, resultJSON: resultJSON, in: tx)
        }
    }
}
