import DeskgateHTTPClient

/// Test seams for the live TLS tests, reachable only through `@_spi(ClientMetadataTesting)`:
/// the `deskgate debug fetch-client-metadata` command uses them, server configuration cannot.
/// A test certificate server listens on loopback, which the address rules rightly refuse, so
/// the test names the address a host resolves to and which addresses count as public.
extension ClientMetadataFetcher {
    @_spi(ClientMetadataTesting)
    public struct TestingOverrides: Sendable {
        /// Host name → addresses, used instead of DNS; the answers still pass the address rules.
        let resolve: [String: [IPAddress]]
        /// Addresses treated as public.
        let trustedAddresses: [IPAddress]

        /// `nil` when an address is not an IP literal.
        public init?(resolve: [String: [String]], trustedAddresses: [String]) {
            var table: [String: [IPAddress]] = [:]
            for (host, literals) in resolve {
                let addresses = literals.compactMap(IPAddress.init(literal:))
                guard addresses.count == literals.count, !addresses.isEmpty else { return nil }
                table[host.lowercased()] = addresses
            }
            let trusted = trustedAddresses.compactMap(IPAddress.init(literal:))
            guard trusted.count == trustedAddresses.count else { return nil }
            self.resolve = table
            self.trustedAddresses = trusted
        }
    }

    @_spi(ClientMetadataTesting)
    public func withTestingOverrides(_ overrides: TestingOverrides) -> ClientMetadataFetcher {
        var copy = self
        copy.testing = overrides
        return copy
    }
}
