public import DeskgateConfig
import DeskgateIdentity
import DeskgateDesk
import DeskgateHTTP
import DeskgateJSON
import DeskgateServer
import DeskgateModel
import DeskgateSystem
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The authorization server process: discovery, registration, login, consent, tokens,
/// revocation and introspection per tenant issuer, and the published signing keys.
public enum AuthServer {
    public static func main(arguments: [String], environment: [String: String]) -> Never {
        main(arguments: arguments, environment: environment) { configuration in
            FetchingMetadataSource(fetcher: ClientMetadataFetcher(configuration: configuration))
        }
    }

    /// `metadataSource` builds, from the loaded configuration, what resolves Client ID Metadata
    /// Documents (nil: URL client ids are unknown clients).
    public static func main(arguments: [String], environment: [String: String],
                            metadataSource: (@Sendable (DeskgateConfiguration) -> (any ClientMetadataSource)?)?) -> Never {
        let shared = Mutex<AuthService?>(nil)
        ServerRuntime.run(program: .auth, arguments: arguments, environment: environment) { server, router in
            let service = shared.withLock { existing -> AuthService in
                if let existing { return existing }
                let created = AuthService(storage: server.storage, configuration: server.configuration,
                                          metadataSource: metadataSource?(server.configuration))
                startPurger(created)
                existing = created
                return created
            }
            install(service, on: router)
        }
    }

    static func install(_ service: AuthService, on router: Router) {
        KeySetRoutes(storage: service.storage).install(on: router)
        Stylesheet.install(on: router)
        ClientScript.install(on: router)
        DiscoveryEndpoint(service: service).install(on: router)
        RegistrationEndpoint(service: service).install(on: router)
        LoginEndpoint(service: service).install(on: router)
        AuthorizeEndpoint(service: service).install(on: router)
        ConsentEndpoint(service: service).install(on: router)
        ProfileEndpoint(service: service).install(on: router)
        TokenEndpoint(service: service).install(on: router)
        AdminEndpoint(service: service).install(on: router)
        TicketPageRoute(service: service).install(on: router)
        ApprovalPageRoute(service: service).install(on: router)
    }

    /// Idle registered clients are purged, and ended codes, refresh tokens and sessions deleted,
    /// at start and then daily.
    private static func startPurger(_ service: AuthService) {
        spawnThread(name: "client-purge") {
            while true {
                do {
                    let removed = try service.registry.purgeIdle(idleDays: service.configuration.oauth.clientIdleDays)
                    if removed > 0 { Log.info("clients_purged", ["count": .int(removed)]) }
                    _ = try service.registry.sweepEnded()
                } catch {
                    Log.error("client_purge_failed", ["error": .string(String(describing: error))])
                }
                sleep(86_400)
            }
        }
    }
}

/// `GET /t/{tenant}/jwks.json`: the public keys that verify this issuer's tokens (active and
/// retiring: a rotated key keeps verifying the tokens it signed until it is retired).
struct KeySetRoutes {
    let storage: Storage

    func install(on router: Router) {
        let storage = self.storage
        router.get("/t/{tenant}/jwks.json") { request, context in
            let slug = request.parameter("tenant")
            return context.read(from: storage) { db in
                // An unknown tenant has no keys; a suspended one still publishes them: tokens it
                // issued stay verifiable (and are refused for the suspension, not the signature).
                if case .unknown = try TenantGate().decide(slug, on: db) {
                    return .json(["error": "not_found"], status: .notFound)
                }
                let keys = try PublishedKeySet.jwks(on: db)
                // Verifiers refetch on an unknown kid, so a short public cache lifetime is safe.
                return .json(["keys": .array(keys)],
                             headers: HTTPHeaders([("Cache-Control", "public, max-age=300"),
                                                   ("Access-Control-Allow-Origin", "*")]))
            }
        }
    }
}
