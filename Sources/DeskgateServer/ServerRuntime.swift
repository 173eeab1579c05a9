public import DeskgateConfig
public import DeskgateHTTP
public import DeskgateIdentity
import DeskgateSystem
#if canImport(Glibc)
import Glibc
#endif

/// Everything a route table may use, handed to the factory on each event loop thread.
public struct ServerEnvironment: Sendable {
    public let configuration: DeskgateConfiguration
    public let storage: Storage
    public let loop: LoopContext
}

/// The start-up and shutdown both servers share: configuration, database (with
/// migrations), listener, health endpoints, signals. Each server only adds routes.
public enum ServerRuntime {
    /// Runs until SIGTERM/SIGINT, then drains and exits (SIGHUP: reloads TLS certificates when
    /// serving HTTPS, else the same as SIGTERM). Start-up failures are one line and a non-zero exit.
    public static func run(program: Program, arguments: [String], environment: [String: String],
                           beforeExit: @escaping @Sendable (Storage) -> Void = { _ in },
                           routes: @escaping @Sendable (ServerEnvironment, Router) -> Void) -> Never {
        ShutdownSignals.block()
        StandardIO.lineBuffer()
        let name = program.rawValue
        let configuration: DeskgateConfiguration
        do {
            let (loaded, rest) = try ConfigurationLoader.load(program: program, arguments: arguments, environment: environment)
            if let unknown = rest.first { Console.fail(name, "unknown argument '\(unknown)'", status: 2) }
            configuration = loaded
        } catch {
            Console.fail(name, String(describing: error), status: 2)
        }
        let settings = program == .auth ? configuration.auth : configuration.mcp

        var http = HTTPServer.Configuration()
        http.host = settings.host
        http.port = settings.port
        http.loops = configuration.http.loops > 0 ? configuration.http.loops : availableCores
        http.workerThreads = configuration.http.workers > 0 ? configuration.http.workers : availableCores
        if configuration.http.reservedWorkers > 0 { http.reservedWorkerThreads = configuration.http.reservedWorkers }

        var storageSettings = configuration.storageSettings
        if storageSettings.readPoolSize == 0 {
            // Every worker thread of both lanes can hold a pooled reader at once (so a write's
            // reads never wait for one behind slow searches), plus a few for Swift tasks.
            storageSettings.readPoolSize = max(2 * availableCores, http.workerThreads + http.reservedWorkerThreads + 2)
        }
        let storage: Storage
        do {
            storage = try Storage.open(path: configuration.databasePath, settings: storageSettings)
        } catch {
            Console.fail(name, "cannot open database \(Storage.printable(configuration.databasePath)): \(error)")
        }

        // `deskgate restore` refuses a database that a server holds (SQLite; released at exit).
        let serving = storage.holdWhileServing()
        http.limits.maxBodyBytes = configuration.http.maxBodyBytes
        http.headerTimeout = configuration.http.headerTimeoutSeconds
        http.idleTimeout = configuration.http.idleTimeoutSeconds
        http.shutdownGrace = configuration.http.shutdownGraceSeconds
        http.accessLog = configuration.http.accessLog
        if settings.tlsEnabled {
            let pairs = zip(settings.tlsCertificateFiles, settings.tlsKeyFiles).map {
                TLSCertificatePair(certificateFile: $0, keyFile: $1)
            }
            do {
                http.tls = try TLSCertificates(pairs: pairs)
            } catch {
                Console.fail(name, String(describing: error))
            }
        }
        let scheme = http.tls == nil ? "http" : "https"

        let hosts = TenantHostMap()
        let server: HTTPServer
        do {
            server = try HTTPServer.start(http) { loop in
                let router = Router()
                TenantHostRouting.install(on: router, map: hosts, storage: storage)
                HealthRoutes.install(on: router, storage: storage)
                if settings.metricsListen == nil { HealthRoutes.installMetrics(on: router) }
                // With port 0 the default public URL must name the port actually bound.
                var effective = configuration
                if program == .auth, effective.auth.port == 0 { effective.auth.port = loop.port }
                if program == .mcp, effective.mcp.port == 0 { effective.mcp.port = loop.port }
                routes(ServerEnvironment(configuration: effective, storage: storage, loop: loop), router)
                return router
            }
        } catch {
            Console.fail(name, String(describing: error))
        }
        ServerMetrics.install(program: program, storage: storage, workers: server.workers)
        let metricsServer = settings.metricsListen.map { startMetricsListener(at: $0, name: name) }
        // The one line on stdout: supervisors and tests wait for it.
        print("listening \(scheme)://\(settings.host):\(server.port)")
        Log.info("listening", ["program": .string(name), "url": .string("\(scheme)://\(settings.host):\(server.port)"),
                               "public_url": .string(settings.publicURL), "database": .string(Storage.printable(configuration.databasePath)),
                               "loops": .int(http.loops),
                               "workers": .int(http.workerThreads), "reserved_workers": .int(http.reservedWorkerThreads),
                               "read_pool": .int(storageSettings.readPoolSize),
                               "read_budget_ms": .int(storageSettings.readBudgetMilliseconds)])
        let certificates = http.tls
        ShutdownSignals.onSignal { signal in
            // With TLS, SIGHUP reloads the certificates (connections stay); without, it stops as before.
            if signal == SIGHUP, let certificates {
                certificates.reload()
                return
            }
            Log.info("shutting_down", ["program": .string(name), "signal": .int(Int(signal))])
            server.shutdown()
            metricsServer?.shutdown(graceSeconds: 1)
        }
        server.waitUntilStopped()
        metricsServer?.waitUntilStopped()
        beforeExit(storage)
        storage.close()
        withExtendedLifetime(serving) {}
        Log.info("stopped", ["program": .string(name)])
        exit(0)
    }

    /// `/metrics` alone on an address of its own (`--metrics-listen`), so a firewall or a
    /// private interface can keep it from the public port: one loop, one worker, no access log.
    private static func startMetricsListener(at address: ListenAddress, name: String) -> HTTPServer {
        var http = HTTPServer.Configuration()
        http.host = address.host
        http.port = address.port
        http.loops = 1
        http.workerThreads = 1
        http.reservedWorkerThreads = 0
        http.accessLog = false
        do {
            let server = try HTTPServer.start(http) { _ in
                let router = Router()
                HealthRoutes.installMetrics(on: router)
                return router
            }
            Log.info("metrics_listening", ["program": .string(name), "url": .string("http://\(address.host.contains(":") ? "[\(address.host)]" : address.host):\(server.port)/metrics")])
            return server
        } catch {
            Console.fail(name, "cannot listen for metrics on \(address): \(error)")
        }
    }
}
