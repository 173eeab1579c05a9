@_spi(ClientMetadataTesting) @testable import DeskgateAuth
import DeskgateHTTPClient
import Testing

/// The fetcher's address vetting: resolution (or the test table) and then the address rules.
@Suite struct ClientMetadataFetcherTests {
    @Test func refusesHostsWithAnyPrivateAnswer() throws {
        // One public and one private answer: refused, since the connection might use either.
        let url = try ClientMetadataURL("https://mixed.example/client.json", allowInsecureLoopback: false)
        let mixed = try #require(ClientMetadataFetcher.TestingOverrides(resolve: ["mixed.example": ["8.8.8.8", "10.0.0.5"]],
                                                                          trustedAddresses: []))
        let fetcher = ClientMetadataFetcher(allowInsecureLoopback: false).withTestingOverrides(mixed)
        #expect(throws: ClientMetadataError.addressNotAllowed) { try fetcher.vettedAddresses(for: url, deadline: FetchDeadline(milliseconds: 5000)) }

        let publicOnly = try #require(ClientMetadataFetcher.TestingOverrides(resolve: ["mixed.example": ["8.8.8.8", "2001:4860::1"]],
                                                                               trustedAddresses: []))
        let addresses = try ClientMetadataFetcher(allowInsecureLoopback: false).withTestingOverrides(publicOnly).vettedAddresses(for: url, deadline: FetchDeadline(milliseconds: 5000))
        #expect(addresses.map(\.description) == ["8.8.8.8", "2001:4860::1"])
    }

    @Test func unresolvableNamesAreReportedAsSuch() throws {
        // RFC 6761: .invalid never resolves. A resolver that cannot answer in time gives timedOut.
        let url = try ClientMetadataURL("https://no-such-host.invalid/client.json", allowInsecureLoopback: false)
        do {
            _ = try ClientMetadataFetcher(allowInsecureLoopback: false).vettedAddresses(for: url, deadline: FetchDeadline(milliseconds: 5000))
            Issue.record("resolved")
        } catch {
            #expect(error == .hostNotFound || error == .timedOut)
        }
    }

    @Test func resolvesLocalhostToLoopbackAndRefusesIt() throws {
        // Real getaddrinfo: localhost is loopback in every resolver configuration.
        let url = try ClientMetadataURL("https://localhost/client.json", allowInsecureLoopback: false)
        #expect(throws: ClientMetadataError.addressNotAllowed) {
            try ClientMetadataFetcher(allowInsecureLoopback: false).vettedAddresses(for: url, deadline: FetchDeadline(milliseconds: 5000))
        }
        #expect(throws: ClientMetadataError.addressNotAllowed) {
            try ClientMetadataFetcher(allowInsecureLoopback: true).fetch("https://localhost:1/client.json")
        }
    }
}
