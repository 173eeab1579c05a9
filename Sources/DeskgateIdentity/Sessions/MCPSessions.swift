import DeskgateCrypto
import DeskgateStore
import DeskgateSystem
import Synchronization

/// Handshake-era MCP sessions (`Mcp-Session-Id`) that every deskgate-mcp process of the
/// deployment accepts, whichever process opened them (`docs/scale-out.md`).
///
/// An id is `base64url(issued-at ‖ version ‖ features ‖ nonce ‖ tag)`: the tag is an HMAC-SHA256 (cut to
/// 128 bits) over those bytes *and* the tenant and user the session belongs to, keyed by a
/// secret the processes share through the database. Any process checks an id with one MAC and
/// no read; another user's token computes another tag, so it gets the same "not found" as an
/// unknown id and ids cannot be probed. Opening a session writes nothing.
///
/// Ending one (DELETE) is the shared part: the end is recorded in the database and bumps the
/// revocation counter. A process confirms a session against that list once per counter value
/// (its cache is keyed by it, like the token caches), so an ended session is unknown at every
/// process from the next request on. A session is never authentication: each request still
/// carries its own token.
public final class MCPSessions: Sendable {
    public struct Session: Sendable, Equatable {
        public let protocolVersion: String
        public let issuedAt: Int64
        /// The client declared URL-mode elicitation at `initialize` (writes that wait for a
        /// person then ask through it).
        public var elicitsURL: Bool = false
    }

    /// How long an id is accepted after it was issued. Clients that get the 404 open a new
    /// session (the spec's rule), so this bounds the list of ended sessions, not a conversation.
    public static let lifetimeMilliseconds: Int64 = 7 * 24 * 3600 * 1000

    static let secretName = "mcp-session-id-v1"
    private static let tagLength = 16

    private let key: [UInt8]
    private let database: Database?
    private let clock: @Sendable () -> Int64
    /// Session ids confirmed not ended, with the revocation counter value they were confirmed at.
    private let confirmed = Mutex<[String: Int64]>([:])
    private let capacity: Int

    /// The deployment's sessions: loads (or makes, the first time) the shared key.
    public convenience init(storage: Storage) throws {
        let key = try storage.database.write { tx in
            try DeploymentState().secret(named: Self.secretName, fresh: SecureRandom.bytes(32), at: WallClock.milliseconds(), in: tx)
        }
        self.init(key: key, database: storage.database, clock: { WallClock.milliseconds() })
    }

    init(key: [UInt8], database: Database?, capacity: Int = 100_000, clock: @escaping @Sendable () -> Int64) {
        self.key = key
        self.database = database
        self.capacity = capacity
        self.clock = clock
    }

    /// A new session of `userID` (0 for a token-less party) at `tenantID`.
    public func open(tenantID: Int64, userID: Int64, protocolVersion: String, elicitsURL: Bool = false) -> String {
        var body = Self.bigEndian(clock())
        let version = Array(protocolVersion.utf8.prefix(64))
        body.append(UInt8(version.count))
        body += version
        body.append(elicitsURL ? 1 : 0)
        body += SecureRandom.bytes(16)
        return Base64URL.encode(body + tag(body, tenantID: tenantID, userID: userID))
    }

    /// The session `id` names, if it is this user's at this tenant, not too old and not ended.
    /// `reader` is the request's read connection (its revocation counter keys the cache).
    public func resume(_ id: String, tenantID: Int64, userID: Int64, reader: ReadHandle) throws -> Session? {
        guard let session = check(id, tenantID: tenantID, userID: userID) else { return nil }
        let generation = try reader.revocationGeneration()
        if confirmed.withLock({ $0[id] }) == generation { return session }
        if try DeploymentState().sessionEnded(digest: OpaqueToken.storageHash(id), on: reader.connection) { return nil }
        confirmed.withLock { confirmed in
            if confirmed.count >= capacity { confirmed.removeAll() }
            confirmed[id] = generation
        }
        return session
    }

    /// Ends the session (DELETE): false when it is not this user's, too old, or already ended.
    public func end(_ id: String, tenantID: Int64, userID: Int64) throws -> Bool {
        guard check(id, tenantID: tenantID, userID: userID) != nil, let database else { return false }
        let now = clock()
        let ended = try database.write { tx in
            try DeploymentState().endSession(digest: OpaqueToken.storageHash(id), tenantID: tenantID, at: now, in: tx)
        }
        _ = confirmed.withLock { $0.removeValue(forKey: id) }
        return ended
    }

    /// The id's own claims, if its tag is right for this tenant and user and it is not too old.
    func check(_ id: String, tenantID: Int64, userID: Int64) -> Session? {
        guard id.utf8.count <= 200, let bytes = Base64URL.decode(id), bytes.count > 10 + 16 + Self.tagLength else { return nil }
        let versionLength = Int(bytes[8])
        // issued-at, version length, version, features (bit 0: URL elicitation), nonce.
        let bodyLength = 9 + versionLength + 1 + 16
        guard bytes.count == bodyLength + Self.tagLength else { return nil }
        let body = Array(bytes[..<bodyLength])
        guard ConstantTime.equals(Array(bytes[bodyLength...]), tag(body, tenantID: tenantID, userID: userID)) else { return nil }
        let issuedAt = body[..<8].reduce(Int64(0)) { $0 << 8 | Int64($1) }
        let now = clock()
        guard issuedAt <= now + 60_000, now - issuedAt < Self.lifetimeMilliseconds,
              let version = String(validating: body[9..<(9 + versionLength)], as: UTF8.self) else { return nil }
        return Session(protocolVersion: version, issuedAt: issuedAt, elicitsURL: body[9 + versionLength] & 1 == 1)
    }

    private func tag(_ body: [UInt8], tenantID: Int64, userID: Int64) -> [UInt8] {
        let data = Array("deskgate mcp session\n".utf8) + Self.bigEndian(tenantID) + Self.bigEndian(userID) + body
        return Array(HMACSHA256.authenticate(key: key, data: data).prefix(Self.tagLength))
    }

    /// A MAC of `text` under the deployment's key (96 bits, base64url): what one process of
    /// the deployment issues, any other can recognize (the legacy SSE stream ids).
    public func mac(_ text: String) -> String {
        Base64URL.encode(HMACSHA256.authenticate(key: key, data: "deskgate mac\n" + text).prefix(12))
    }


    private static func bigEndian(_ value: Int64) -> [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: value >> (56 - 8 * $0)) }
    }
}
