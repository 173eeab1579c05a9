import DeskgateCrypto
import DeskgateHTTP
@testable import DeskgateHTTPClient
import Glibc
import Testing

/// A real handshake on loopback: the server's TLS (DeskgateHTTP) against the client's
/// (DeskgateHTTPClient), both OpenSSL, with a development certificate.
@Suite("TLS server handshake", .serialized)
struct TLSServerHandshakeTests {
    static func temporaryDirectory() -> String {
        var template = Array("/tmp/deskgate-tls-XXXXXX".utf8CString)
        return String(cString: mkdtemp(&template)!)
    }

    static func start(_ certificates: TLSCertificates) throws -> HTTPServer {
        var configuration = HTTPServer.Configuration()
        configuration.port = 0
        configuration.loops = 1
        configuration.workerThreads = 1
        configuration.accessLog = false
        configuration.tls = certificates
        return try HTTPServer.start(configuration) { _ in
            let router = Router()
            router.get("/hello") { _, _ in .response(.json(["hello": "tls"])) }
            return router
        }
    }

    static func connect(port: Int, caFile: String) throws -> TLSConnection {
        let deadline = FetchDeadline(milliseconds: 5_000)
        let tcp = try TCPConnection.connect(to: IPAddress(literal: "127.0.0.1")!, port: port, deadline: deadline)
        return try TLSConnection.handshake(over: tcp, host: .name("localhost"), context: TLSClientContext.shared(caFile: caFile),
                                           deadline: deadline)
    }

    static func get(_ connection: TLSConnection) throws -> String {
        let deadline = FetchDeadline(milliseconds: 5_000)
        try connection.write(Array("GET /hello HTTP/1.1\r\nHost: localhost\r\n\r\n".utf8), deadline: deadline)
        var received: [UInt8] = []
        while !String(decoding: received, as: UTF8.self).hasSuffix("{\"hello\":\"tls\"}") {
            let chunk = try connection.read(maxCount: 4096, deadline: deadline)
            if chunk.isEmpty { break }
            received += chunk
        }
        return String(decoding: received, as: UTF8.self)
    }

    @Test func servesHTTPSAndReloadsWithoutDroppingConnections() throws {
        let directory = Self.temporaryDirectory()
        let certificate = directory + "/tls.crt.pem", key = directory + "/tls.key.pem"
        try DevelopmentCertificate.generate(certificatePath: certificate, keyPath: key)
        // The client caches trust per file: keep a copy of each generation under its own name.
        #expect(system("cp \(certificate) \(directory)/first.pem") == 0)
        let certificates = try TLSCertificates(pairs: [TLSCertificatePair(certificateFile: certificate, keyFile: key)])
        let server = try Self.start(certificates)
        defer {
            server.shutdown(graceSeconds: 0)
            server.waitUntilStopped()
        }
        let kept = try Self.connect(port: server.port, caFile: directory + "/first.pem")
        let first = try Self.get(kept)
        #expect(first.hasPrefix("HTTP/1.1 200 OK\r\n"))
        #expect(first.contains("\r\nStrict-Transport-Security: max-age=31536000\r\n"))

        try DevelopmentCertificate.generate(certificatePath: certificate, keyPath: key)
        #expect(system("cp \(certificate) \(directory)/second.pem") == 0)
        #expect(certificates.reload())
        // New connections get the new certificate; the old one is no longer offered.
        #expect(try Self.get(Self.connect(port: server.port, caFile: directory + "/second.pem")).hasPrefix("HTTP/1.1 200 OK"))
        #expect(throws: HTTPClientError.tlsFailed) { _ = try Self.connect(port: server.port, caFile: directory + "/first.pem") }
        // The connection made before the reload goes on.
        #expect(try Self.get(kept).hasPrefix("HTTP/1.1 200 OK"))
    }

    @Test func aFailedReloadKeepsServing() throws {
        let directory = Self.temporaryDirectory()
        let certificate = directory + "/tls.crt.pem", key = directory + "/tls.key.pem"
        try DevelopmentCertificate.generate(certificatePath: certificate, keyPath: key)
        let certificates = try TLSCertificates(pairs: [TLSCertificatePair(certificateFile: certificate, keyFile: key)])
        let server = try Self.start(certificates)
        defer {
            server.shutdown(graceSeconds: 0)
            server.waitUntilStopped()
        }
        #expect(system("cp \(certificate) \(directory)/ca.pem && echo broken > \(certificate)") == 0)
        #expect(!certificates.reload())
        #expect(try Self.get(Self.connect(port: server.port, caFile: directory + "/ca.pem")).hasPrefix("HTTP/1.1 200 OK"))
    }

    @Test func badFilesAreNamedNotPrinted() throws {
        let directory = Self.temporaryDirectory()
        #expect(system("echo 'not a certificate' > \(directory)/c.pem && echo 'SECRET-KEY-BYTES' > \(directory)/k.pem") == 0)
        do {
            _ = try TLSCertificates(pairs: [TLSCertificatePair(certificateFile: directory + "/c.pem", keyFile: directory + "/k.pem")])
            Issue.record("loaded a broken certificate")
        } catch {
            #expect(error.message.hasPrefix("cannot load TLS certificate \(directory)/c.pem"))
            #expect(!error.message.contains("not a certificate"))
        }
        try DevelopmentCertificate.generate(certificatePath: directory + "/c.pem", keyPath: directory + "/good.pem")
        do {
            _ = try TLSCertificates(pairs: [TLSCertificatePair(certificateFile: directory + "/c.pem", keyFile: directory + "/k.pem")])
            Issue.record("loaded a broken key")
        } catch {
            #expect(error.message.hasPrefix("cannot load TLS key \(directory)/k.pem"))
            #expect(!error.message.contains("SECRET"))
        }
    }
}
