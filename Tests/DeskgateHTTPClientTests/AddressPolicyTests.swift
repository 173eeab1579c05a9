@testable import DeskgateHTTPClient
import Testing

/// Every refused range with its first and last address, and the neighbours just outside it.
@Suite struct AddressPolicyTests {
    static let refused: [String] = [
        // IPv4
        "0.0.0.0", "0.255.255.255",
        "10.0.0.0", "10.1.2.3", "10.255.255.255",
        "100.64.0.0", "100.127.255.255",
        "127.0.0.1", "127.255.255.255", "127.0.0.0",
        "169.254.0.0", "169.254.169.254", "169.254.255.255",
        "172.16.0.0", "172.31.255.255",
        "192.0.0.0", "192.0.0.255",
        "192.0.2.0", "192.0.2.255",
        "192.88.99.1",
        "192.168.0.0", "192.168.255.255",
        "198.18.0.0", "198.19.255.255",
        "198.51.100.7", "203.0.113.9",
        "224.0.0.0", "239.255.255.255",
        "240.0.0.0", "255.255.255.254", "255.255.255.255",
        // IPv6
        "::", "::1", "::2",
        "::ffff:10.0.0.1", "::ffff:127.0.0.1", "::ffff:8.8.8.8", "::ffff:0:0",
        "::10.0.0.1",
        "64:ff9b::a00:1", "64:ff9b::7f00:1", "64:ff9b::c0a8:101", "64:ff9b::a9fe:a9fe",
        "64:ff9b:1::1",
        "100::1",
        "fc00::", "fd12:3456::1", "fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
        "fe80::", "fe80::1", "febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
        "fec0::1",
        "ff00::", "ff02::1", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
        "2001::", "2001:0:4136:e378:8000:63bf:3fff:fdd2", "2001:1ff:ffff:ffff:ffff:ffff:ffff:ffff",
        "2001:db8::", "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff",
        "3fff::1", "3fff:fff:ffff:ffff:ffff:ffff:ffff:ffff", "2001:db8::1", "2002::1",
        "2002:a00:1::", "2002:7f00:1::1", "2002:c0a8:101::",
        "5f00::1",
        "1fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "4000::1",
    ]

    static let allowed: [String] = [
        // IPv4 neighbours of the refused ranges, and ordinary public addresses
        "1.0.0.0", "1.1.1.1", "8.8.8.8", "9.255.255.255", "11.0.0.0",
        "100.63.255.255", "100.128.0.0",
        "126.255.255.255", "128.0.0.0",
        "169.253.255.255", "169.255.0.0",
        "172.15.255.255", "172.32.0.0",
        "191.255.255.255", "192.0.1.0", "192.0.3.0",
        "192.167.255.255", "192.169.0.0",
        "198.17.255.255", "198.20.0.0",
        "223.255.255.255",
        // IPv6 global unicast
        "2000::", "2001:200::", "2001:4860:4860::8888", "2001:db7:ffff:ffff:ffff:ffff:ffff:ffff", "2001:db9::",
        "2606:4700:4700::1111", "2a00:1450:4001::200e", "3ffe::1", "3fff:1000::",
        // Translation prefixes carrying a public IPv4 address
        "64:ff9b::808:808", "2002:808:808::1",
    ]

    @Test(arguments: refused) func refusesSpecialPurposeAddresses(_ literal: String) throws {
        let address = try #require(IPAddress(literal: literal))
        #expect(!AddressPolicy.isPublic(address))
    }

    @Test(arguments: allowed) func allowsPublicAddresses(_ literal: String) throws {
        let address = try #require(IPAddress(literal: literal))
        #expect(AddressPolicy.isPublic(address))
    }

    @Test func literalsAreStrict() {
        #expect(IPAddress(literal: "127.1") == nil)
        #expect(IPAddress(literal: "0x7f.0.0.1") == nil)
        #expect(IPAddress(literal: "2130706433") == nil)
        #expect(IPAddress(literal: "fe80::1%eth0") == nil)
        #expect(IPAddress(literal: "[::1]") == nil)
        #expect(IPAddress(literal: "10.0.0.1")?.description == "10.0.0.1")
        #expect(IPAddress(literal: "2001:DB8::1")?.description == "2001:db8::1")
    }

    @Test func refusesAListWithAnyPrivateAddress() throws {
        // One public and one private answer: refused, since the connection might use either.
        let mixed = ["8.8.8.8", "10.0.0.5"].compactMap(IPAddress.init(literal:))
        #expect(throws: HTTPClientError.addressNotAllowed) { try AddressPolicy.vetted(mixed) }
        let publicOnly = ["8.8.8.8", "2001:4860::1"].compactMap(IPAddress.init(literal:))
        #expect(try AddressPolicy.vetted(publicOnly).map(\.description) == ["8.8.8.8", "2001:4860::1"])
        // A trusted address (tests' loopback servers) passes; the others are still judged.
        let loopback = try #require(IPAddress(literal: "127.0.0.1"))
        #expect(try AddressPolicy.vetted([loopback], trusting: [loopback]) == [loopback])
        #expect(throws: HTTPClientError.addressNotAllowed) { try AddressPolicy.vetted(mixed, trusting: [loopback]) }
    }

    @Test func unresolvableNamesAreReportedAsSuch() {
        // RFC 6761: .invalid never resolves. A resolver that cannot answer in time gives timedOut.
        do {
            _ = try HostResolver.addresses(of: "no-such-host.invalid", deadline: FetchDeadline(milliseconds: 5000))
            Issue.record("resolved")
        } catch {
            #expect(error == .hostNotFound || error == .timedOut)
        }
    }

    @Test func localhostResolvesToLoopbackWhichIsRefused() throws {
        // Real getaddrinfo: localhost is loopback in every resolver configuration.
        let addresses = try HostResolver.addresses(of: "localhost", deadline: FetchDeadline(milliseconds: 5000))
        #expect(!addresses.isEmpty)
        #expect(throws: HTTPClientError.addressNotAllowed) { try AddressPolicy.vetted(addresses) }
    }
}
