import DeskgateHTTPClient
import DeskgateSystem

/// Fetches and validates client ID metadata documents: the registration of a client whose
/// client_id is an https URL.
///
/// The URL is attacker-chosen, so the fetch is an SSRF boundary: the host is resolved once,
/// every address it resolves to must be public (`AddressPolicy`), the connection goes to a
/// vetted address (no second lookup, no DNS rebinding), TLS is verified for the URL's host,
/// redirects are refused, and the whole exchange is bounded in time and size. Blocking: run it
/// on the worker pool, never on an event loop.
public struct ClientMetadataFetcher: Sendable {
    /// Development only: lets `http://127.0.0.1:PORT/...` and `http://localhost:PORT/...`
    /// documents through (plain HTTP, loopback only). Never on in production.
    public let allowInsecureLoopback: Bool
    /// Deadline for the whole fetch: connect, TLS handshake, request and response.
    public let timeoutMilliseconds: Int
    /// Largest accepted document body.
    public let maxBytes: Int
    /// PEM file of trust anchors used instead of the system store (`nil`: the system store).
    public let caFile: String?
    var testing: TestingOverrides?

    public init(allowInsecureLoopback: Bool, timeoutMilliseconds: Int = 5000, maxBytes: Int = 5120, caFile: String? = nil) {
        self.allowInsecureLoopback = allowInsecureLoopback
        self.timeoutMilliseconds = timeoutMilliseconds
        self.maxBytes = maxBytes
        self.caFile = caFile
    }

    /// Whether `clientID` is meant as a metadata URL (an http or https URL) rather than the id
    /// of a registered client. Authorize then fetches it, and `fetch` reports what is wrong with
    /// it (plain http, no path, ...), instead of answering "unknown client".
    public static func isMetadataURL(_ clientID: String) -> Bool {
        ClientMetadataURL.looksLikeURL(clientID)
    }

    public func fetch(_ clientID: String) throws(ClientMetadataError) -> ClientMetadataDocument {
        let url = try ClientMetadataURL(clientID, allowInsecureLoopback: allowInsecureLoopback)
        let deadline = FetchDeadline(milliseconds: timeoutMilliseconds)
        let addresses = try vettedAddresses(for: url, deadline: deadline)
        let stream: any ByteStream
        do throws(HTTPClientError) {
            let tcp = try TCPConnection.connect(toFirstOf: addresses, port: url.port, deadline: deadline)
            if url.isInsecureLoopback {
                stream = tcp
            } else {
                let context = try TLSClientContext.shared(caFile: caFile)
                stream = try TLSConnection.handshake(over: tcp, host: url.host, context: context, deadline: deadline)
            }
        } catch {
            throw ClientMetadataError(error)
        }
        let response = try MetadataExchange(maxBodyBytes: maxBytes).run(url, over: stream, deadline: deadline)
        let maxAge = CacheLifetime.seconds(cacheControl: response.header("cache-control"), expires: response.header("expires"),
                                           date: response.header("date"), age: response.header("age"),
                                           now: Int(WallClock.seconds()))
        return try ClientMetadataValidator.validate(response.body, clientID: clientID, maxAgeSeconds: maxAge)
    }

    /// The addresses to dial, each one checked: a host with any non-public address is refused
    /// outright, so an attacker cannot mix a public and a private answer and hope for the latter.
    func vettedAddresses(for url: ClientMetadataURL, deadline: FetchDeadline) throws(ClientMetadataError) -> [IPAddress] {
        let addresses: [IPAddress]
        switch url.host {
        case .address(let address):
            addresses = [address]
        case .name(let name):
            if url.isInsecureLoopback {
                // The development flag covers loopback only: localhost is not looked up.
                return [IPAddress(literal: "127.0.0.1")!]
            }
            if let pinned = testing?.resolve[name] {
                addresses = pinned
            } else {
                do throws(HTTPClientError) {
                    addresses = try HostResolver.addresses(of: name, deadline: deadline)
                } catch {
                    throw ClientMetadataError(error)
                }
            }
        }
        if url.isInsecureLoopback { return addresses }
        do throws(HTTPClientError) {
            return try AddressPolicy.vetted(addresses, trusting: testing?.trustedAddresses ?? [])
        } catch {
            throw ClientMetadataError(error)
        }
    }
}
