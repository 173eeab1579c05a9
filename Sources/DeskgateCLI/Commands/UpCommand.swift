import DeskgateConfig
import DeskgateCrypto
import DeskgateDemo
import DeskgateDesk
import DeskgateIdentity
import DeskgateModel
import DeskgateSystem
import Foundation
import Synchronization

/// `deskgate up`: everything a newcomer needs in one command. Initialises the database and
/// dev key, adds the demo tenant if there are no tenants, then runs both servers as child
/// processes (they are separate processes in production too) until Ctrl-C.
enum UpCommand {
    static func run(_ arguments: [String], _ context: CommandContext) throws -> Int32 {
        let parsed = try Arguments(arguments, valueOptions: ["tickets"], switchOptions: ["tls"])
        _ = try parsed.positionals()
        let terminal = context.terminal
        var configuration = context.configuration
        ShutdownSignals.block()

        let storage = try context.openStorage(create: true)
        try SigningKeyService(storage: storage, directory: configuration.keysDirectory).ensureKey()
        let developmentCertificate = parsed.has("tls") ? try useDevelopmentCertificate(&configuration, terminal: terminal) : nil
        var login: String?
        if try TenantService(storage: storage).list().isEmpty {
            var options = DemoDataGenerator.Options()
            options.tickets = try parsed.integer("tickets", default: 500, range: 0...10_000_000)
            terminal.error("Creating the demo tenant '\(options.tenantSlug)' (\(options.tickets) tickets)…")
            let summary = try DemoCommand.generate(options, storage: storage, terminal: terminal)
            login = "\(summary.adminEmail) / \(summary.password)"
        }
        let tenants = try TenantService(storage: storage).list()
        storage.close()

        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var children: [(name: String, process: Process)] = []
        for server in ["auth", "mcp"] {
            let process = Process()
            process.executableURL = executable
            process.arguments = ["serve", server]
            process.environment = context.environment.merging(configuration.environment) { _, resolved in resolved }
            try process.run()
            children.append((server, process))
        }

        let stop = Atomic<Int32>(0)
        ShutdownSignals.onSignal { signal in stop.store(signal, ordering: .releasing) }

        if waitUntilReady(configuration.auth.port, configuration.mcp.port, children: children.map(\.process)) {
            let tenant = tenants.first?.slug ?? "acme"
            let urls = TenantURLs(authBase: configuration.auth.publicURL, mcpBase: configuration.mcp.publicURL)
            terminal.print("""

                Deskgate is running. Ctrl-C stops it.
                  MCP endpoint:   \(urls.resource(tenant))
                  Sign in:        \(urls.issuer(tenant))/login  (MCP Integration, Admin)
                  OAuth issuer:   \(urls.issuer(tenant))
                  Health:         \(configuration.mcp.publicURL)/readyz, \(configuration.auth.publicURL)/readyz
                  Database:       \(Storage.printable(configuration.databasePath))
                """ + (developmentCertificate.map(trustHint) ?? "")
                  + (login.map { "\n  Demo login:     \($0)  (tenant '\(tenant)')" } ?? "") + "\n")
        }

        var status: Int32 = 0
        while stop.load(ordering: .acquiring) == 0 {
            if let exited = children.first(where: { !$0.process.isRunning }) {
                terminal.error("deskgate: \(exited.name) server exited with status \(exited.process.terminationStatus); stopping")
                status = 1
                break
            }
            usleep(100_000)
        }
        for child in children where child.process.isRunning { child.process.terminate() }
        for child in children { child.process.waitUntilExit() }
        return status
    }

    /// `--tls`: both servers serve HTTPS with `keys/dev-tls.crt.pem` (made, or reused while it is
    /// good), unless the configuration already names certificates for a server.
    private static func useDevelopmentCertificate(_ configuration: inout DeskgateConfiguration, terminal: Terminal) throws -> String {
        let certificate = "\(configuration.keysDirectory)/dev-tls.crt.pem"
        let key = "\(configuration.keysDirectory)/dev-tls.key.pem"
        do {
            if try DevelopmentCertificate.ensure(certificatePath: certificate, keyPath: key) {
                terminal.error("Made a self-signed development certificate for localhost: \(certificate)")
            }
        } catch {
            throw DevelopmentCertificateError(message: "cannot make a development TLS certificate in \(configuration.keysDirectory): \(error)")
        }
        if !configuration.auth.tlsEnabled {
            configuration.auth.tlsCertificateFiles = [certificate]
            configuration.auth.tlsKeyFiles = [key]
        }
        if !configuration.mcp.tlsEnabled {
            configuration.mcp.tlsCertificateFiles = [certificate]
            configuration.mcp.tlsKeyFiles = [key]
        }
        return certificate
    }

    private static func trustHint(_ certificate: String) -> String {
        """

          TLS:            self-signed development certificate \(certificate); trust it with
                            curl --cacert \(certificate) …
                            SSL_CERT_FILE=\(certificate) (Python, OpenSSL tools)
                            NODE_EXTRA_CA_CERTS=\(certificate) (Node)
        """
    }

    /// Polls both ports until they accept connections (or a child dies, or 15 s pass).
    private static func waitUntilReady(_ ports: Int..., children: [Process]) -> Bool {
        let deadline = MonotonicClock.nanoseconds() + 15_000_000_000
        while MonotonicClock.nanoseconds() < deadline {
            if children.contains(where: { !$0.isRunning }) { return false }
            if ports.allSatisfy(LoopbackProbe.accepts) { return true }
            usleep(50_000)
        }
        return false
    }
}

private struct DevelopmentCertificateError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
