import DeskgateCrypto
import DeskgateJSON
import DeskgateStore
public import DeskgateSystem
import DeskgateSQL

/// Pending consent in the database, so that the consent page served by one deskgate-auth
/// process can be answered at another (`docs/scale-out.md`). The form carries the id; the row
/// is keyed by its SHA-256, so reading the table gives no id that completes a request.
/// Expired rows are never returned and are swept with the other short-lived state
/// (`SharedStateSweep`).
public struct DatabasePendingAuthorizations: PendingAuthorizationStore {
    let database: Database
    let clock: @Sendable () -> Int64

    public init(storage: Storage, clock: @escaping @Sendable () -> Int64 = { WallClock.milliseconds() }) {
        database = storage.database
        self.clock = clock
    }

    public func add(_ pending: PendingAuthorization) throws -> String {
        let id = SecureRandom.base64URL(byteCount: 24)
        let json = Self.encode(pending)
        let stored = try database.write { tx -> Bool in
            guard let tenant = try TenantDirectory().bySlug(pending.slug, on: tx.connection) else { return false }
            try tenant.scope.pendingAuthorizations.add(idDigest: OpaqueToken.storageHash(id), loginSessionID: pending.sessionID,
                                                       requestJSON: json, at: pending.createdAt, in: tx)
            return true
        }
        guard stored else { throw StoreError.invalidInput("no tenant \(pending.slug)") }
        return id
    }

    public func find(_ id: String, slug: String, sessionID: Int64) throws -> PendingAuthorization? {
        let notBefore = clock() - PendingAuthorization.lifetimeMilliseconds
        let json = try database.withReader { db -> String? in
            guard let tenant = try TenantDirectory().bySlug(slug, on: db) else { return nil }
            return try tenant.scope.pendingAuthorizations.find(idDigest: OpaqueToken.storageHash(id), loginSessionID: sessionID,
                                                               notBefore: notBefore, on: db)
        }
        return json.flatMap { Self.decode($0, slug: slug, sessionID: sessionID) }
    }

    public func complete(_ id: String, slug: String, sessionID: Int64) throws -> PendingAuthorization? {
        let notBefore = clock() - PendingAuthorization.lifetimeMilliseconds
        let json = try database.write { tx -> String? in
            guard let tenant = try TenantDirectory().bySlug(slug, on: tx.connection) else { return nil }
            return try tenant.scope.pendingAuthorizations.take(idDigest: OpaqueToken.storageHash(id), loginSessionID: sessionID,
                                                               notBefore: notBefore, in: tx)
        }
        return json.flatMap { Self.decode($0, slug: slug, sessionID: sessionID) }
    }


    // MARK: the row's JSON

    static func encode(_ pending: PendingAuthorization) -> String {
        var fields: [(String, JSONValue)] = [
            ("client_id", .string(pending.request.clientID)),
            ("redirect_uri", .string(pending.request.redirectURI)),
            ("code_challenge", .string(pending.request.codeChallenge)),
            ("resource", .string(pending.request.resource)),
            ("scope", .string(pending.request.scopes.text)),
            ("app_name", .string(pending.appName)),
            ("metadata_document", .bool(pending.isMetadataDocument)),
            ("created_at", .number(JSONNumber(Int(pending.createdAt)))),
        ]
        if let state = pending.state { fields.append(("state", .string(state))) }
        return String(decoding: JSONValue.object(JSONObject(fields)).encoded(), as: UTF8.self)
    }

    static func decode(_ json: String, slug: String, sessionID: Int64) -> PendingAuthorization? {
        guard let value = try? JSONParser.parse(json),
              let clientID = value["client_id"]?.stringValue, let redirectURI = value["redirect_uri"]?.stringValue,
              let challenge = value["code_challenge"]?.stringValue, let resource = value["resource"]?.stringValue,
              let scope = value["scope"]?.stringValue, let appName = value["app_name"]?.stringValue,
              let isDocument = value["metadata_document"]?.boolValue, let createdAt = value["created_at"]?.intValue
        else { return nil }
        let request = ApprovedRequest(clientID: clientID, redirectURI: redirectURI, codeChallenge: challenge,
                                      resource: resource, scopes: Scopes(known: scope))
        return PendingAuthorization(slug: slug, sessionID: sessionID, request: request, state: value["state"]?.stringValue,
                                    appName: appName, isMetadataDocument: isDocument, createdAt: Int64(createdAt))
    }
}
