public import DeskgateSQL
import DeskgateCrypto
public import DeskgateStore
public import DeskgateModel
public import DeskgateSystem

/// An authorization request that passed every check and waits for (or skipped) consent.
public struct ApprovedRequest: Sendable, Equatable {
    public var clientID: String
    public var redirectURI: String
    public var codeChallenge: String
    public var resource: String
    public var scopes: Scopes

    public init(clientID: String, redirectURI: String, codeChallenge: String, resource: String, scopes: Scopes) {
        self.clientID = clientID
        self.redirectURI = redirectURI
        self.codeChallenge = codeChallenge
        self.resource = resource
        self.scopes = scopes
    }
}

/// Consent and authorization codes: the grant row is the remembered consent, and every code
/// hangs off a grant, so revoking the grant takes everything issued under it.
public struct AuthorizationGrants: Sendable {
    let database: Database
    let codeLifetimeMilliseconds: Int64
    let clock: @Sendable () -> Int64

    public init(database: Database, codeLifetimeSeconds: Int = 60,
                clock: @escaping @Sendable () -> Int64 = { WallClock.milliseconds() }) {
        self.database = database
        codeLifetimeMilliseconds = Int64(codeLifetimeSeconds) * 1000
        self.clock = clock
    }

    /// True when a live grant of this user for this client already covers the request.
    public static func isRemembered(_ request: ApprovedRequest, userID: Int64, tenant: TenantScope,
                                    on db: any SQLConnection) throws -> Bool {
        guard let grant = try tenant.oauthGrants.live(userID: userID, clientID: request.clientID, on: db) else { return false }
        return grant.resource == request.resource && request.scopes.isSubset(of: Scopes(names: grant.scopes))
    }

    /// The user approved on the consent page: create or widen the grant (union of scopes), then
    /// mint a code. Returns the code, the only copy (the store keeps its SHA-256).
    /// `approval` is what the person chose for this app's writes ("ask me before this app
    /// changes tickets"); it tightens the tenant's policy for every call the app makes.
    public func approve(_ request: ApprovedRequest, userID: Int64, tenant: TenantScope, address: String?,
                        approval: ApprovalPolicy? = nil) throws -> String {
        let code = SecureRandom.base64URL(byteCount: 32)
        let now = clock()
        let lifetime = codeLifetimeMilliseconds
        try database.write { tx in
            let grants = tenant.oauthGrants
            let grant: OAuthGrant
            var scopes = request.scopes
            if let existing = try grants.live(userID: userID, clientID: request.clientID, on: tx.connection),
               existing.resource == request.resource {
                scopes.formUnion(Scopes(names: existing.scopes))
                try grants.setScopes(scopes.names, grantID: existing.id, in: tx)
                grant = existing
            } else {
                if let other = try grants.live(userID: userID, clientID: request.clientID, on: tx.connection) {
                    // Another resource: one live grant per user and client, so the old one gives way.
                    try grants.revoke(grantID: other.id, at: now, in: tx)
                }
                grant = try grants.create(userID: userID, clientID: request.clientID, scopes: scopes.names,
                                          resource: request.resource, at: now, in: tx)
            }
            try tenant.approvals.setGrantPolicy(approval?.rawValue ?? "", grantID: grant.id, in: tx)
            try Self.insertCode(code, for: request, grantID: grant.id, now: now, lifetime: lifetime, tenant: tenant, in: tx)
            try SecurityEvent.record("app_approved", tenant: tenant, actor: userID, subject: userID,
                                     detail: [("client_id", request.clientID), ("scope", scopes.text),
                                              ("grant_id", String(grant.id)), ("approval", approval?.rawValue ?? "")],
                                     address: address, at: now, in: tx)
        }
        return code
    }

    /// Remembered consent: a code under the existing grant, or nil when the grant no longer
    /// covers the request (revoked meanwhile): the caller then shows the consent page.
    public func issueRemembered(_ request: ApprovedRequest, userID: Int64, tenant: TenantScope) throws -> String? {
        let code = SecureRandom.base64URL(byteCount: 32)
        let now = clock()
        let lifetime = codeLifetimeMilliseconds
        let issued = try database.write { tx -> Bool in
            guard try Self.isRemembered(request, userID: userID, tenant: tenant, on: tx.connection),
                  let grant = try tenant.oauthGrants.live(userID: userID, clientID: request.clientID, on: tx.connection)
            else { return false }
            try Self.insertCode(code, for: request, grantID: grant.id, now: now, lifetime: lifetime, tenant: tenant, in: tx)
            return true
        }
        return issued ? code : nil
    }

    private static func insertCode(_ code: String, for request: ApprovedRequest, grantID: Int64, now: Int64, lifetime: Int64,
                                   tenant: TenantScope, in tx: WriteTransaction) throws {
        try tenant.oauthGrants.createCode(NewOAuthCode(codeHash: SHA256.hash(code), grantID: grantID,
                                                       redirectURI: request.redirectURI, codeChallenge: request.codeChallenge,
                                                       resource: request.resource, scopes: request.scopes.names,
                                                       createdAt: now, expiresAt: now + lifetime), in: tx)
    }
}
