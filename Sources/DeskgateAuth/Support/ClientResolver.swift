import DeskgateDesk
import DeskgateIdentity
import DeskgateModel
import DeskgateSystem

/// Finds the client an authorization request names: a registered one by id, or, for a URL
/// `client_id`, its metadata document, cached in the client table (kind `cimd`) until
/// `metadata_expires_at` and fetched again after. Runs on the worker pool (the fetch blocks).
struct ClientResolver {
    let storage: Storage
    let registry: ClientRegistry
    let source: (any ClientMetadataSource)?
    var clock: @Sendable () -> Int64 = { WallClock.milliseconds() }

    enum Outcome {
        case found(OAuthClient)
        case unknown
        /// The document could not be fetched or is not valid; the reason is for the person at the browser.
        case unavailable(String)
    }

    func resolve(_ clientID: String, tenant: Tenant) throws -> Outcome {
        let stored = try storage.withReader { try registry.find(clientID, tenant: tenant, on: $0) }
        guard let source, source.isMetadataURL(clientID) else {
            // Without a fetcher a cached document is not trusted past its lifetime either.
            guard let stored, stored.kind != .cimd else { return .unknown }
            return .found(stored)
        }
        if let stored, stored.kind != .cimd { return .found(stored) }
        if let stored, let expires = stored.metadataExpiresAt, expires > clock() { return .found(stored) }
        let document: FetchedClientMetadata
        do {
            document = try source.document(for: clientID)
        } catch {
            return .unavailable(String(describing: error))
        }
        guard document.clientID == clientID else { return .unavailable("the document's client_id is not its own URL") }
        return .found(try registry.storeDocument(clientID: clientID, name: document.clientName ?? "",
                                                 redirectURIs: document.redirectURIs, grantTypes: document.grantTypes,
                                                 scope: document.scope, maxAgeSeconds: document.maxAgeSeconds, tenant: tenant))
    }
}
