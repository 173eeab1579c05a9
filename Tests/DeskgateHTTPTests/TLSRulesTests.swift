import Testing
@testable import DeskgateHTTP

/// The TLS rules that need no socket: which certificate a server name gets, ALPN, and what the
/// first byte on a TLS port means.
@Suite("TLS rules")
struct TLSRulesTests {
    static let table = TLSServerNames(names: [
        ["localhost", "127.0.0.1"],                 // 0: the default
        ["api.example.com", "*.example.com"],       // 1
        ["www.example.com"],                        // 2: exact beats the wildcard of 1
        ["*.apps.example.org", "Mixed.Case.Test."], // 3
        ["api.example.com"],                        // 4: an earlier certificate wins a tie
    ])

    @Test(arguments: [
        (nil, 0),
        ("localhost", 0),
        ("api.example.com", 1),
        ("www.example.com", 2),
        ("shop.example.com", 1),
        ("WWW.EXAMPLE.COM", 2),
        ("www.example.com.", 2),
        ("example.com", 0),             // a wildcard needs a label in its place
        ("a.b.example.com", 0),         // and covers exactly one
        (".example.com", 0),
        ("x.apps.example.org", 3),
        ("mixed.case.test", 3),
        ("unknown.test", 0),
        ("", 0),
    ] as [(String?, Int)])
    func serverNameChoosesCertificate(name: String?, expected: Int) {
        #expect(Self.table.certificateIndex(for: name) == expected)
    }

    @Test func oneCertificateAnswersEverything() {
        let single = TLSServerNames(names: [["only.test"]])
        for name in ["only.test", "other.test", "*.test"] { #expect(single.certificateIndex(for: name) == 0) }
    }

    static func wire(_ protocols: [String]) -> [UInt8] {
        protocols.flatMap { [UInt8($0.utf8.count)] + Array($0.utf8) }
    }

    @Test func alpnSelectsHTTP11WhereverItIs() {
        let offered = Self.wire(["h2", "http/1.1"])
        guard case .selected(let range) = ALPNSelection.select(offered: offered) else {
            Issue.record("http/1.1 not selected")
            return
        }
        #expect(Array(offered[range]) == Array("http/1.1".utf8))
        #expect(ALPNSelection.select(offered: Self.wire(["http/1.1"])) == .selected(1..<9))
    }

    @Test(arguments: [
        ["h2"], ["http/1.0"], ["http/1.11"], ["h3", "spdy/3"],
    ])
    func alpnRefusesClientsWithoutHTTP11(protocols: [String]) {
        #expect(ALPNSelection.select(offered: Self.wire(protocols)) == .refused)
    }

    @Test func alpnRefusesMalformedLists() {
        #expect(ALPNSelection.select(offered: [8] + Array("http/1.".utf8)) == .refused)   // length past the end
        #expect(ALPNSelection.select(offered: [0, 8] + Array("http/1.1".utf8)) == .refused) // empty name
        #expect(ALPNSelection.select(offered: []) == .refused)
    }

    @Test(arguments: [
        (UInt8(0x16), TLSFirstByte.handshake),
        (UInt8(ascii: "G"), .plainHTTP), (UInt8(ascii: "P"), .plainHTTP), (UInt8(ascii: "O"), .plainHTTP),
        (UInt8(ascii: "D"), .plainHTTP), (UInt8(ascii: "C"), .plainHTTP), (UInt8(ascii: "H"), .plainHTTP),
        (UInt8(0x15), .other),          // a TLS alert first: not a client hello
        (UInt8(0x80), .other),          // SSLv2-style hello
        (UInt8(ascii: "g"), .other), (UInt8(0), .other), (UInt8(ascii: "\r"), .other),
    ] as [(UInt8, TLSFirstByte)])
    func firstByteClassifies(byte: UInt8, expected: TLSFirstByte) {
        #expect(TLSFirstByte(byte) == expected)
    }
}
