import DeskgateCrypto
import Foundation
import Testing
@testable import DeskgateDesk
@testable import DeskgateIdentity
import DeskgateStore
import DeskgateModel

@Suite("Signing key rotation")
struct SigningKeyRotationTests {
    @Test func rotationPublishesBeforeSigningAndRetiresOnlyOldKeys() throws {
        let directory = NSTemporaryDirectory() + "deskgate-keys-\(UUID().uuidString)"
        let database = try Database.open(path: directory + "/db.sqlite")
        defer { database.close() }
        let keys = SigningKeyService(database: database, directory: directory + "/keys")
        guard case .created(let first) = try keys.ensureKey() else {
            Issue.record("expected a new key")
            return
        }
        let (previous, second) = try keys.rotate()
        #expect(previous == first)
        #expect(second != first)
        // The file now holds the new private key, still private.
        #expect(try DeskgateCrypto.SigningKey.load(fromFile: keys.keyPath).keyID == second)
        let mode = try FileManager.default.attributesOfItem(atPath: keys.keyPath)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let states = Dictionary(uniqueKeysWithValues: try keys.listAll().map { ($0.kid, $0.state) })
        #expect(states == [first: .retiring, second: .active])
        #expect(Set(try keys.publishedKeys().map(\.kid)) == [first, second])

        #expect(throws: DeskError.conflict("\(second) is the active signing key: rotate first, then retire it")) {
            try keys.retire(kid: second)
        }
        try keys.retire(kid: first)
        #expect(try keys.publishedKeys().map(\.kid) == [second])
        #expect(throws: DeskError.notFound("signing key nope")) { try keys.retire(kid: "nope") }
        // Re-running init keeps the rotated key.
        #expect(try keys.ensureKey() == .existing(keyID: second))
    }
}
