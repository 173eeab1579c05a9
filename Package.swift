// swift-tools-version:6.0
// Deskgate: no Swift package dependencies by design (supply-chain promise).
// Only the toolchain and system libraries reached through systemLibrary targets.
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "Deskgate",
    products: [
        .executable(name: "deskgate", targets: ["deskgate"]),
        .executable(name: "deskgate-auth", targets: ["deskgate-auth"]),
        .executable(name: "deskgate-mcp", targets: ["deskgate-mcp"]),
        .executable(name: "deskgate-echo", targets: ["deskgate-echo"]),
    ],
    targets: [
        // System libraries and C shims.
        .systemLibrary(name: "COpenSSL", pkgConfig: "openssl",
                       providers: [.apt(["libssl-dev"]), .brew(["openssl@3"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3",
                       providers: [.apt(["libsqlite3-dev"]), .brew(["sqlite"])]),
        .systemLibrary(name: "CPostgres", pkgConfig: "libpq",
                       providers: [.apt(["libpq-dev"]), .brew(["libpq"])]),
        .systemLibrary(name: "CLinux"),
        .target(name: "CSys"),

        // Libraries: dependencies point one way (HTTP and Crypto know nothing of tickets).
        .target(name: "DeskgateSystem", dependencies: ["CSys", "DeskgateJSON"], swiftSettings: strict),
        // Event-loop state is confined to its thread by construction; debug builds (and so every
        // test run) keep dynamic exclusivity checks, release builds drop them: they were ~12% of
        // the instructions per request in the HTTP core (measured with callgrind, docs/benchmarks.md).
        .target(name: "DeskgateHTTP", dependencies: ["DeskgateSystem", "DeskgateJSON", "DeskgateMetrics", "CSys", "CLinux", "COpenSSL"],
                swiftSettings: strict + [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]),
        // Outbound HTTPS (client metadata documents): TCP, TLS, resolver, address policy; it
        // shares the chunked decoder with the server's parser.
        .target(name: "DeskgateHTTPClient", dependencies: ["DeskgateHTTP", "DeskgateSystem", "COpenSSL"], swiftSettings: strict),
        .target(name: "DeskgateCrypto", dependencies: ["COpenSSL", "DeskgateJSON"], swiftSettings: strict),
        .target(name: "DeskgateJSON", dependencies: [], swiftSettings: strict),
        // Counters, gauges and histograms for `/metrics`: relaxed atomics on the hot path,
        // the Prometheus text format when scraped. Knows nothing of HTTP or the store.
        .target(name: "DeskgateMetrics", dependencies: [], swiftSettings: strict),
        // The entities every layer speaks of (tenants, users, tickets, grants, …): plain values,
        // no storage. The store decodes rows into them; the domain and the servers use them.
        .target(name: "DeskgateModel", dependencies: ["DeskgateJSON"], swiftSettings: strict),
        // What the store's repositories write their SQL against, whichever engine runs it: the
        // connection and row protocols, bound values, the store's errors.
        .target(name: "DeskgateSQL", dependencies: [], swiftSettings: strict),
        // SQLite behind those protocols: connections, statements and their cache.
        .target(name: "DeskgateSQLite", dependencies: ["CSQLite", "DeskgateSQL"], swiftSettings: strict),
        // PostgreSQL behind the same protocols: libpq connections, `?N` parameters rewritten to
        // `$N`, prepared statements cached per connection.
        .target(name: "DeskgatePostgres", dependencies: ["CPostgres", "DeskgateSQL"], swiftSettings: strict),
        // Repositories, migrations, the writer and readers: the only code that writes SQL.
        .target(name: "DeskgateStore", dependencies: ["DeskgateSQL", "DeskgateSQLite", "DeskgatePostgres", "DeskgateSystem", "DeskgateModel", "DeskgateMetrics"], swiftSettings: strict),
        // Tenants and their gate, OAuth flows, tokens and their formats, signing keys, sessions,
        // the security log: who may act, and as whom.
        .target(name: "DeskgateIdentity", dependencies: ["DeskgateSQL", "DeskgateStore", "DeskgateModel", "DeskgateCrypto", "DeskgateJSON", "DeskgateSystem"],
                swiftSettings: strict),
        // Tickets, messages, tags, workflows, directory, permissions, activity history.
        .target(name: "DeskgateDesk", dependencies: ["DeskgateSQL", "DeskgateIdentity", "DeskgateStore", "DeskgateModel", "DeskgateCrypto", "DeskgateJSON", "DeskgateSystem"],
                swiftSettings: strict),
        // Demo data (`deskgate demo`, `deskgate up`, tests): built with the domain's own services,
        // and linked into the CLI only, never into a server.
        .target(name: "DeskgateDemo", dependencies: ["DeskgateSQL", "DeskgateDesk", "DeskgateIdentity", "DeskgateStore", "DeskgateModel", "DeskgateCrypto",
                                                     "DeskgateJSON", "DeskgateSystem"],
                swiftSettings: strict),
        .target(name: "DeskgateConfig", dependencies: ["DeskgateJSON"], swiftSettings: strict),
        .target(name: "DeskgateServer",
                dependencies: ["DeskgateSQL", "DeskgateHTTP", "DeskgateStore", "DeskgateConfig", "DeskgateSystem", "DeskgateJSON", "DeskgateIdentity",
                               "DeskgateMetrics"],
                swiftSettings: strict),
        .target(name: "DeskgateAuth",
                dependencies: ["DeskgateModel", "DeskgateServer", "DeskgateDesk", "DeskgateIdentity", "DeskgateJSON", "DeskgateConfig",
                               "DeskgateSystem", "DeskgateHTTP", "DeskgateHTTPClient", "DeskgateCrypto", "DeskgateMetrics"],
                swiftSettings: strict),
        .target(name: "DeskgateMCP",
                dependencies: ["DeskgateModel", "DeskgateServer", "DeskgateDesk", "DeskgateIdentity", "DeskgateJSON", "DeskgateConfig",
                               "DeskgateSystem", "DeskgateHTTP", "DeskgateCrypto", "DeskgateMetrics"],
                swiftSettings: strict),
        .target(name: "DeskgateCLI",
                dependencies: ["DeskgateDesk", "DeskgateIdentity", "DeskgateDemo", "DeskgateModel", "DeskgateConfig", "DeskgateSystem",
                               "DeskgateAuth", "DeskgateMCP", "DeskgateJSON", "DeskgateCrypto"],
                swiftSettings: strict),

        // Helpers for tests that talk to a live server over loopback.
        .target(name: "DeskgateTesting", dependencies: ["DeskgateHTTP"], swiftSettings: strict),

        // Thin executables.
        .executableTarget(name: "deskgate", dependencies: ["DeskgateCLI", "DeskgateSystem"], swiftSettings: strict),
        .executableTarget(name: "deskgate-auth", dependencies: ["DeskgateAuth"], swiftSettings: strict),
        .executableTarget(name: "deskgate-mcp", dependencies: ["DeskgateMCP"], swiftSettings: strict),
        // The bare HTTP core with fixed routes: the conformance suite and bench/http.sh drive it.
        .executableTarget(name: "deskgate-echo", dependencies: ["DeskgateHTTP", "DeskgateSystem", "DeskgateJSON"], swiftSettings: strict),

        .testTarget(name: "DeskgateHTTPTests", dependencies: ["DeskgateHTTP", "DeskgateSystem", "DeskgateTesting", "DeskgateMetrics"], swiftSettings: strict),
        .testTarget(name: "DeskgateHTTPClientTests", dependencies: ["DeskgateHTTPClient", "DeskgateHTTP", "DeskgateCrypto"], swiftSettings: strict),
        .testTarget(name: "DeskgateMCPTests",
                    dependencies: ["DeskgateMCP", "DeskgateJSON", "DeskgateDesk", "DeskgateIdentity", "DeskgateStore", "DeskgateModel", "DeskgateHTTP", "DeskgateConfig",
                                   "DeskgateSystem", "DeskgateMetrics"],
                    swiftSettings: strict),
        .testTarget(name: "DeskgateServerTests",
                    dependencies: ["DeskgateServer", "DeskgateHTTP", "DeskgateStore", "DeskgateModel", "DeskgateTesting"], swiftSettings: strict),
        .testTarget(name: "DeskgateCryptoTests", dependencies: ["DeskgateCrypto"], swiftSettings: strict),
        .testTarget(name: "DeskgateMetricsTests", dependencies: ["DeskgateMetrics"], swiftSettings: strict),
        .testTarget(name: "DeskgateJSONTests", dependencies: ["DeskgateJSON"], swiftSettings: strict),
        .testTarget(name: "DeskgateStoreTests", dependencies: ["DeskgateStore", "DeskgateSQL", "DeskgateSQLite", "DeskgateModel", "DeskgateSystem"], swiftSettings: strict),
        // Pure tests always; live ones against the server DESKGATE_TEST_DATABASE_URL names (scripts/with-postgres).
        .testTarget(name: "DeskgatePostgresTests", dependencies: ["DeskgatePostgres", "DeskgateSQL"], swiftSettings: strict),
        .testTarget(name: "DeskgateDeskTests", dependencies: ["DeskgateSQL", "DeskgateDesk", "DeskgateTesting", "DeskgateIdentity", "DeskgateDemo", "DeskgateStore", "DeskgateModel", "DeskgateCrypto", "DeskgateJSON", "DeskgateSystem"],
                    swiftSettings: strict),
        .testTarget(name: "DeskgateIdentityTests",
                    dependencies: ["DeskgateIdentity", "DeskgateDesk", "DeskgateModel", "DeskgateStore", "DeskgateSQLite", "DeskgateCrypto", "DeskgateJSON",
                                   "DeskgateTesting"],
                    swiftSettings: strict),
        .testTarget(name: "DeskgateCLITests", dependencies: ["DeskgateCLI", "DeskgateSystem", "DeskgateCrypto"],
                    swiftSettings: strict),
        .testTarget(name: "DeskgateConfigTests", dependencies: ["DeskgateConfig"], swiftSettings: strict),
        .testTarget(name: "DeskgateAuthTests",
                    dependencies: ["DeskgateAuth", "DeskgateDesk", "DeskgateIdentity", "DeskgateStore", "DeskgateModel", "DeskgateConfig", "DeskgateJSON", "DeskgateCrypto",
                                   "DeskgateHTTP", "DeskgateHTTPClient", "DeskgateSystem", "DeskgateTesting"],
                    swiftSettings: strict),
    ]
)

// Fuzz harnesses (Tests/fuzz, run by scripts/fuzz): declared only when DESKGATE_FUZZ is set, so
// ordinary builds and tests never see them. libFuzzer supplies main, hence -parse-as-library.
if Context.environment["DESKGATE_FUZZ"] != nil {
    let harness: [SwiftSetting] = [.unsafeFlags(["-parse-as-library"])]
    for (name, libraries) in [("json", ["DeskgateJSON"]), ("http", ["DeskgateHTTP"]), ("httpclient", ["DeskgateHTTPClient"]),
                              ("jose", ["DeskgateCrypto"]), ("form", ["DeskgateHTTP"]),
                              ("clientmeta", ["DeskgateAuth", "DeskgateJSON"])] {
        package.targets.append(.executableTarget(name: "deskgate-fuzz-\(name)", dependencies: libraries.map { .target(name: $0) },
                                                 path: "Tests/fuzz/\(name)", exclude: ["seeds"], swiftSettings: harness))
        package.products.append(.executable(name: "deskgate-fuzz-\(name)", targets: ["deskgate-fuzz-\(name)"]))
    }
}
