/// Which addresses an outbound fetch may connect to: the public internet only.
///
/// A URL we fetch may be chosen by someone outside (an OAuth client_id, say), so without this
/// they could make the server reach internal services (SSRF). IPv6 is judged
/// by an allowlist (global unicast 2000::/3, minus special-purpose blocks) so that a new or
/// obscure range is refused by default; the translation prefixes that carry an IPv4 address
/// (NAT64, 6to4) are judged by the address they carry.
public enum AddressPolicy {
    public static func isPublic(_ address: IPAddress) -> Bool {
        if let v4 = address.v4Value { return isPublicV4(v4) }
        return isPublicV6(address.bytes)
    }

    /// `addresses` when every one of them is public (or in `trusted`), else `addressNotAllowed`:
    /// a host with any non-public answer is refused outright, so a public answer mixed with a
    /// private one cannot steer the connection to the latter.
    public static func vetted(_ addresses: [IPAddress], trusting trusted: [IPAddress] = []) throws(HTTPClientError) -> [IPAddress] {
        guard addresses.allSatisfy({ isPublic($0) || trusted.contains($0) }) else { throw .addressNotAllowed }
        return addresses
    }

    /// IANA IPv4 special-purpose registry plus multicast and reserved space.
    static let refusedV4: [(base: UInt32, prefix: Int)] = [
        (0x0000_0000, 8),    // 0.0.0.0/8 "this network", includes the unspecified address
        (0x0A00_0000, 8),    // 10.0.0.0/8 private
        (0x6440_0000, 10),   // 100.64.0.0/10 carrier-grade NAT
        (0x7F00_0000, 8),    // 127.0.0.0/8 loopback
        (0xA9FE_0000, 16),   // 169.254.0.0/16 link-local (cloud metadata services live here)
        (0xAC10_0000, 12),   // 172.16.0.0/12 private
        (0xC000_0000, 24),   // 192.0.0.0/24 IETF protocol assignments
        (0xC000_0200, 24),   // 192.0.2.0/24 documentation (TEST-NET-1)
        (0xC01F_C400, 24),   // 192.31.196.0/24 AS112
        (0xC034_C100, 24),   // 192.52.193.0/24 AMT
        (0xC058_6300, 24),   // 192.88.99.0/24 deprecated 6to4 relay anycast
        (0xC0A8_0000, 16),   // 192.168.0.0/16 private
        (0xC0AF_3000, 24),   // 192.175.48.0/24 AS112 direct delegation
        (0xC612_0000, 15),   // 198.18.0.0/15 benchmarking
        (0xC633_6400, 24),   // 198.51.100.0/24 documentation (TEST-NET-2)
        (0xCB00_7100, 24),   // 203.0.113.0/24 documentation (TEST-NET-3)
        (0xE000_0000, 4),    // 224.0.0.0/4 multicast
        (0xF000_0000, 4),    // 240.0.0.0/4 reserved, includes 255.255.255.255 broadcast
    ]

    static func isPublicV4(_ value: UInt32) -> Bool {
        !refusedV4.contains { range in
            let mask: UInt32 = range.prefix == 0 ? 0 : ~UInt32(0) << (32 - range.prefix)
            return value & mask == range.base
        }
    }

    /// Special-purpose blocks inside 2000::/3, as (prefix bytes covering every prefix bit, length in bits).
    static let refusedV6: [(prefix: [UInt8], bits: Int)] = [
        ([0x20, 0x01, 0x00, 0x00], 23),  // 2001::/23 IETF protocol assignments (Teredo, ORCHID, benchmarking)
        ([0x20, 0x01, 0x0D, 0xB8], 32),  // 2001:db8::/32 documentation
        ([0x3F, 0xFF, 0x00], 20),        // 3fff::/20 documentation
        ([0x5F, 0x00], 16),              // 5f00::/16 SRv6 SIDs
    ]

    static func isPublicV6(_ bytes: [UInt8]) -> Bool {
        // 64:ff9b::/96 well-known NAT64: the IPv4 address in the last 32 bits decides.
        if bytes.prefix(12).elementsEqual([0x00, 0x64, 0xFF, 0x9B, 0, 0, 0, 0, 0, 0, 0, 0]) {
            return isPublicV4(v4(bytes, at: 12))
        }
        // Everything else outside 2000::/3 (::/128, ::1, ::ffff:0:0/96 mapped, ::/96 compatible,
        // 64:ff9b:1::/48 local NAT64, 100::/64 discard, fc00::/7, fe80::/10, fec0::/10, ff00::/8, ...).
        guard bytes[0] & 0xE0 == 0x20 else { return false }
        if refusedV6.contains(where: { matches(bytes, $0.prefix, $0.bits) }) { return false }
        // 2002::/16 6to4: the IPv4 address in bits 16..47 decides.
        if bytes[0] == 0x20 && bytes[1] == 0x02 { return isPublicV4(v4(bytes, at: 2)) }
        return true
    }

    private static func v4(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        bytes[offset..<offset + 4].reduce(0) { $0 << 8 | UInt32($1) }
    }

    private static func matches(_ bytes: [UInt8], _ prefix: [UInt8], _ bits: Int) -> Bool {
        var remaining = bits
        for (index, byte) in prefix.enumerated() where remaining > 0 {
            let take = min(8, remaining)
            let mask: UInt8 = take == 8 ? 0xFF : ~UInt8(0) << (8 - take)
            if bytes[index] & mask != byte & mask { return false }
            remaining -= take
        }
        return true
    }
}
