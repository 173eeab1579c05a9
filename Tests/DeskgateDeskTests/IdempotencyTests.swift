import Testing
@testable import DeskgateDesk
import DeskgateStore
@testable import DeskgateIdentity
import DeskgateModel
import DeskgateSystem

/// Idempotency keys (issue 19) in the write's own transaction: a replay writes nothing and
/// returns the kept result; another call under the key is refused; a failed or dry call does
/// not take the key; a key older than 24 hours is free again.
@Suite struct IdempotencyTests {
    static func keyed(_ actor: DeskActor, _ key: String, tool: String = "add_ticket_note", digest: String = "d1") -> DeskActor {
        var actor = actor
        actor.idempotency = IdempotentCall(key: key, tool: tool, argumentsDigest: digest)
        return actor
    }

    @Test func theSameCallAgainReplaysAndWritesNothing() throws {
        let f = try HelpDeskFixture()
        let sam = Self.keyed(try f.actor(f.sam), "k1")
        let first = try f.service.addNote(.number(1), body: "Called the customer", actor: sam, dryRun: false)
        #expect(first.changed)
        try IdempotencyKeeper(storage: Storage(f.database)).keep(sam.idempotency!, resultJSON: #"{"kept":true}"#,
                                                                tenant: try #require(try f.read { try TenantDirectory().bySlug("acme", on: $0) }),
                                                                userID: f.sam.id)
        let before = try f.snapshot()
        let replay = try #require(thrown(IdempotentReplay.self) {
            _ = try f.service.addNote(.number(1), body: "Called the customer", actor: sam, dryRun: false)
        })
        #expect(replay.resultJSON == #"{"kept":true}"#)
        #expect(try f.snapshot() == before, "the replay wrote nothing")
    }

    @Test func anotherCallUnderTheKeyIsRefusedAndAFailedOrDryCallDoesNotTakeIt() throws {
        let f = try HelpDeskFixture()
        let sam = try f.actor(f.sam)
        // A dry run and a failing call leave the key free.
        _ = try f.service.addNote(.number(1), body: "x", actor: Self.keyed(sam, "k2"), dryRun: true)
        #expect(throws: DeskError.self) { _ = try f.service.addNote(.number(3), body: "x", actor: Self.keyed(sam, "k2"), dryRun: false) }
        _ = try f.service.addNote(.number(1), body: "x", actor: Self.keyed(sam, "k2"), dryRun: false)
        // Same key, other arguments or another tool: refused, nothing written.
        let before = try f.snapshot()
        for other in [Self.keyed(sam, "k2", digest: "d2"), Self.keyed(sam, "k2", tool: "add_ticket_tags")] {
            guard case .invalid("idempotency_key", _)? = thrown(DeskError.self, { _ = try f.service.addNote(.number(1), body: "y", actor: other, dryRun: false) }) else {
                Issue.record("another call under the key was not refused")
                continue
            }
        }
        #expect(try f.snapshot() == before)
        // Another user's key of the same name is theirs.
        _ = try f.service.addNote(.number(1), body: "x", actor: Self.keyed(try f.actor(f.admin), "k2"), dryRun: false)
    }

    @Test func aKeyOlderThanADayIsFreeAgain() throws {
        let f = try HelpDeskFixture()
        let sam = try f.actor(f.sam)
        let call = IdempotentCall(key: "k3", tool: "add_ticket_note", argumentsDigest: "d1")
        let old = WallClock.milliseconds() - IdempotentCall.windowMilliseconds - 1
        let claimed = try f.database.write { tx in
            try f.scope.idempotencyKeys.claim(userID: f.sam.id, key: "k3", tool: "t", argumentsDigest: "other", at: old, in: tx)
        }
        #expect(claimed)
        var actor = sam
        actor.idempotency = call
        #expect(try f.service.addNote(.number(1), body: "fresh", actor: actor, dryRun: false).changed)
        let stored = try f.read { try f.scope.idempotencyKeys.find(userID: f.sam.id, key: "k3", on: $0) }
        #expect(stored?.argumentsDigest == "d1")
    }
}

/// The error `body` throws, if it is an `E`.
func thrown<E: Error>(_ type: E.Type, _ body: () throws -> Void) -> E? {
    do { try body() } catch let error as E { return error } catch {}
    return nil
}
