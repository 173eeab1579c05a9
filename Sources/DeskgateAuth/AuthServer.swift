import DeskgateConfig
import DeskgateHTTP
import DeskgateServer
import DeskgateStore

/// The authorization server process. It publishes the deployment's signing keys per tenant
/// issuer now; discovery, registration, login, consent and tokens arrive with the OAuth issue.
public enum AuthServer {
    public static func main(arguments: [String], environment: [String: String]) -> Never {
        ServerRuntime.run(program: .auth, arguments: arguments, environment: environment) { server, router in
            KeySetRoutes(database: server.database).install(on: router)
        }
    }
}

/// `GET /t/{tenant}/jwks.json`: the public keys that verify this issuer's tokens (active and
/// retiring: a rotated key keeps verifying the tokens it signed until it is retired).
struct KeySetRoutes {
    let database: Database

    func install(on router: Router) {
        let database = self.database
        router.get("/t/{tenant}/jwks.json") { request, context in
            let slug = request.parameter("tenant")
            return context.read(from: database) { db in
                guard try TenantDirectory().bySlug(slug, on: db) != nil else {
                    return .json(#"{"error":"not_found"}"#, status: .notFound)
                }
                let keys = try SigningKeyStore().verificationKeys(on: db).map(\.publicJWKJSON)
                // Verifiers refetch on an unknown kid, so a short public cache lifetime is safe.
                return .json("{\"keys\":[" + keys.joined(separator: ",") + "]}",
                             headers: HTTPHeaders([("Cache-Control", "public, max-age=300"),
                                                   ("Access-Control-Allow-Origin", "*")]))
            }
        }
    }
}
