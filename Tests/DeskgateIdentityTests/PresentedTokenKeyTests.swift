import DeskgateCrypto
import Testing
@testable import DeskgateDesk
@testable import DeskgateIdentity
@testable import DeskgateStore
import DeskgateModel

/// The verified-principal cache is keyed by the presented token itself (no digest on a hit):
/// only the very same bytes may find an entry.
@Suite("Presented token key")
struct PresentedTokenKeyTests {
    @Test func onlyTheSameBytesAreTheSameKey() {
        let token = OpaqueToken.generate(prefix: "dgpat_")
        let lastChanged = String(token.dropLast()) + (token.last == "a" ? "b" : "a")
        let firstChanged = (token.first == "d" ? "e" : "d") + String(token.dropFirst())
        #expect(PresentedTokenKey(token) == PresentedTokenKey(String(token.utf8.map { Character(Unicode.Scalar($0)) })))
        #expect(PresentedTokenKey(token).hashValue == PresentedTokenKey(token).hashValue)
        for other in [lastChanged, firstChanged, String(token.dropLast()), token + "x", "", token.uppercased()] {
            #expect(PresentedTokenKey(token) != PresentedTokenKey(other), "\(other)")
        }
        #expect(PresentedTokenKey("") == PresentedTokenKey(""))
    }

    @Test func constantTimeComparisonOfBytesInPlace() {
        let a: [UInt8] = Array("dgpat_abc".utf8), b: [UInt8] = Array("dgpat_abd".utf8)
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                #expect(ConstantTime.equals(pa, pa))
                #expect(!ConstantTime.equals(pa, pb))
                #expect(!ConstantTime.equals(pa, UnsafeBufferPointer(rebasing: pa.dropLast())))
                #expect(ConstantTime.equals(UnsafeBufferPointer(rebasing: pa.prefix(0)), UnsafeBufferPointer(rebasing: pb.prefix(0))))
            }
        }
    }

    /// Two live tokens of different people, cached side by side: each keeps its own principal.
    @Test func cachedTokensKeepTheirOwnPrincipals() throws {
        let fixture = try TokenFixture()
        let authenticator = TokenAuthenticator(cacheCapacity: 100, clock: fixture.clock.read)
        let dana = try fixture.create().token
        let other = try fixture.create("admin@acme.test").token
        let reader = try fixture.database.openReader()
        for _ in 0..<2 {
            guard case .success(let first) = try authenticator.authenticate(dana, tenantSlug: "acme", on: reader),
                  case .success(let second) = try authenticator.authenticate(other, tenantSlug: "acme", on: reader) else {
                Issue.record("a live token was refused")
                return
            }
            #expect(first.user.email == "dana@acme.test" && second.user.email == "admin@acme.test")
        }
        #expect(authenticator.cachedPrincipalCount == 2)
        // A near miss of a cached token is not served from the cache: its checksum fails.
        let near = String(dana.dropLast()) + (dana.last == "a" ? "b" : "a")
        #expect(try authenticator.authenticate(near, tenantSlug: "acme", on: reader) == .failure(.malformed))
    }
}
