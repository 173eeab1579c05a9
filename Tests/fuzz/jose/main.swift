// libFuzzer harness for the JOSE parsers an attacker reaches (scripts/fuzz jose): compact JWS
// access tokens (every bearer that looks like a JWT, at deskgate-mcp) and JWK Sets (a client's
// `jwks`, keys read back from the database). Beyond "no crash, no memory error" it checks:
// - no input verifies under our key unless it is exactly a token we signed: a token we sign over
//   the input, with one byte changed where the input says, never verifies (base64url that decodes
//   the same from two spellings would let a token be re-spelled, and fail here);
// - a JWK Set that parses encodes to JSON that parses to the same keys.
// The first input byte picks the check; the rest is its material.
@testable import DeskgateCrypto
#if canImport(Glibc)
import Glibc
#endif

let key = try! SigningKey.generate()
func ours(_ kid: String) -> VerificationKey? { kid == key.keyID ? key.publicKey : nil }

func fail(_ what: String, _ detail: String) -> Never {
    print("\(what): \(detail)")
    fflush(nil)
    abort()
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let mode = data[0] % 3
    let rest = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    switch mode {
    case 0:
        // Anything presented as a token: refused, never verified (we hold the only private key).
        let token = String(decoding: rest, as: UTF8.self)
        if (try? JWS.verify(token, expectedType: "at+jwt", keys: ours)) != nil {
            fail("an input we did not sign verified", token)
        }
    case 1:
        // A token we sign over the input, then one byte changed at the place the input picks.
        let token = JWS.sign(payload: rest, key: key)
        guard (try? JWS.verify(token, expectedType: "at+jwt", keys: ours))?.payload == rest else {
            fail("our own token does not verify", token)
        }
        var bytes = Array(token.utf8)
        let at = Int(rest.first ?? 0) * 7 % bytes.count
        let replacement = rest.count > 1 ? rest[1] : 0x41
        guard bytes[at] != replacement else { return 0 }
        bytes[at] = replacement
        let changed = String(decoding: bytes, as: UTF8.self)
        if (try? JWS.verify(changed, expectedType: "at+jwt", keys: ours)) != nil {
            fail("a changed token still verifies (byte \(at))", changed)
        }
    default:
        guard let keys = try? JWKSet.keys(fromJSON: rest) else { return 0 }
        let again = JWKSet.json(keys)
        guard let back = try? JWKSet.keys(fromJSON: Array(again.utf8)) else {
            fail("our own JWK Set does not parse", again)
        }
        if back.map(\.keyID) != keys.map(\.keyID) { fail("a JWK Set changed on the way back", again) }
    }
    return 0
}
