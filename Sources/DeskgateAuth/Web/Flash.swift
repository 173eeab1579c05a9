import DeskgateCrypto
import DeskgateIdentity
import DeskgateJSON
import DeskgateModel
import DeskgateSystem

/// The banner a POST leaves for the page it redirects to (POST-redirect-GET): "Token revoked",
/// "That app was already revoked". A page never builds one by hand for a GET; it returns
/// `page.redirect(to:flash:)` from its POST handler and the layout shows the banner once.
///
/// `reveal` carries a secret that is shown exactly once (a new personal access token): the
/// profile page renders it from the flash and nowhere else, so reloading shows it no more.
struct Flash: Sendable, Equatable {
    enum Kind: String, Sendable { case success, error }

    let kind: Kind
    let message: String
    var reveal: String?

    static func success(_ message: String, reveal: String? = nil) -> Flash {
        Flash(kind: .success, message: message, reveal: reveal)
    }

    static func error(_ message: String) -> Flash { Flash(kind: .error, message: message) }
}

/// One-shot flashes kept server-side, in the database for two minutes (`PageFlashes`), so
/// that the page after the redirect may be served by any deskgate-auth process.
///
/// Why not a signed cookie with the message in it: the one-time token would then travel in a
/// cookie (and any proxy or browser store that keeps cookies would keep the token). Why not the
/// plain message in the database: the token would sit in its tables and logs for two minutes.
/// So the flash is sealed (AES-256-GCM) under a fresh key that only the cookie carries, next
/// to the row's id: the database alone cannot read it, the cookie alone holds no message, and
/// the first read deletes the row. It is also bound to the session that made it, so a stolen
/// cookie shows nothing to another browser.
struct FlashStore: Sendable {
    static let lifetimeMilliseconds = PageFlashes.lifetimeMilliseconds

    let flashes: PageFlashes

    init(storage: Storage, clock: @escaping @Sendable () -> Int64 = { WallClock.milliseconds() }) {
        flashes = PageFlashes(storage: storage, clock: clock)
    }

    /// Stores `flash` for the session; the returned value goes into the flash cookie.
    func put(_ flash: Flash, tenant: Tenant, sessionID: Int64) throws -> String {
        let key = SecureRandom.bytes(AESGCM.keyLength)
        let id = try flashes.put(AESGCM.seal(Self.encode(flash), key: key), tenant: tenant, sessionID: sessionID)
        return id + "." + Base64URL.encode(key)
    }

    /// The flash, once: the row is removed whether or not it matches this session or is fresh.
    func take(_ cookie: String, tenant: Tenant, sessionID: Int64) throws -> Flash? {
        let parts = cookie.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].utf8.count <= 64, let key = Base64URL.decode(parts[1]) else { return nil }
        guard let sealed = try flashes.take(String(parts[0]), tenant: tenant, sessionID: sessionID),
              let plain = AESGCM.open(sealed, key: key) else { return nil }
        return Self.decode(plain)
    }

    static func encode(_ flash: Flash) -> [UInt8] {
        var fields: [(String, JSONValue)] = [("kind", .string(flash.kind.rawValue)), ("message", .string(flash.message))]
        if let reveal = flash.reveal { fields.append(("reveal", .string(reveal))) }
        return JSONValue.object(JSONObject(fields)).encoded()
    }

    static func decode(_ bytes: [UInt8]) -> Flash? {
        guard let value = try? JSONParser.parse(bytes), let kind = value["kind"]?.stringValue.flatMap(Flash.Kind.init(rawValue:)),
              let message = value["message"]?.stringValue else { return nil }
        return Flash(kind: kind, message: message, reveal: value["reveal"]?.stringValue)
    }
}
