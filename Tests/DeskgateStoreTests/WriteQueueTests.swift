import DeskgateSQL
import Dispatch
import Synchronization
import Testing
@testable import DeskgateStore
import DeskgateModel

private struct JobFailed: Error {}

@Suite struct WriteQueueTests {
    /// Three jobs land in one batch; the middle one throws after inserting. Its insert is
    /// rolled back, the others commit, and no completion runs before the COMMIT.
    @Test func throwingJobRollsBackOnlyItselfAndCompletionsFollowCommit() throws {
        try withDatabase { db in
            let scope = try db.write { tx in try TenantDirectory().create(slug: "acme", name: "Acme", in: tx).scope }
            let log = Mutex<[String]>([])
            let finished = DispatchSemaphore(value: 0)
            let blockerRunning = DispatchSemaphore(value: 0)
            let gate = DispatchSemaphore(value: 0)

            // Hold the writer so the next three jobs queue up and form one batch.
            db.enqueue({ _ in blockerRunning.signal(); gate.wait() }, completion: { _ in finished.signal() })
            blockerRunning.wait()
            let before = db.writer.statistics

            for name in ["one", "two", "three"] {
                db.enqueue({ tx in
                    _ = try scope.tags.ensure(name: name, in: tx)
                    log.withLock { $0.append("ran \(name)") }
                    if name == "two" { throw JobFailed() }
                    return name
                }, completion: { result in
                    // A fresh connection sees only committed data.
                    let visible = (try? db.openReader()).flatMap { try? scope.tags.byName(name, on: $0) } != nil
                    let outcome = (try? result.get()) != nil ? "ok" : "failed"
                    log.withLock { $0.append("done \(name) \(outcome) visible=\(visible)") }
                    finished.signal()
                })
            }
            gate.signal()
            for _ in 0..<4 { finished.wait() }

            #expect(log.withLock { $0 } == [
                "ran one", "ran two", "ran three",
                "done one ok visible=true", "done two failed visible=false", "done three ok visible=true",
            ])
            let after = db.writer.statistics
            #expect(after.batches == before.batches + 2)  // the blocker's batch, then the three together
            #expect(after.largestBatch == 3)
            #expect(after.failedJobs == before.failedJobs + 1)
            #expect(try db.withReader { try scope.tags.list(on: $0) }.map(\.name) == ["one", "three"])
        }
    }

    @Test func closeFinishesQueuedJobsThenRefusesNewOnes() throws {
        try withTemporaryDirectory { dir in
            let db = try Database.open(path: dir + "/deskgate.sqlite")
            let succeeded = Atomic<Int>(0)
            for sequence in 1...500 {
                db.enqueue({ tx in try DurabilityProbe().record(sequence: Int64(sequence), in: tx) },
                           completion: { if case .success = $0 { succeeded.add(1, ordering: .relaxed) } })
            }
            db.close()
            #expect(succeeded.load(ordering: .relaxed) == 500)
            #expect(throws: StoreError.closed) { try db.write { _ in 1 } }

            let reopened = try Database.open(path: dir + "/deskgate.sqlite")
            defer { reopened.close() }
            #expect(try reopened.withReader { try DurabilityProbe().sequences(on: $0) } == Array(1...500))
        }
    }

    /// Ticket numbers are per tenant, start at 1, and concurrent writers never collide.
    @Test func concurrentTicketNumbersArePerTenantAndGapless() async throws {
        try await withTemporaryDirectoryAsync { dir in
            let db = try Database.open(path: dir + "/deskgate.sqlite")
            defer { db.close() }
            let a = try await db.write { tx in try TenantDirectory().create(slug: "a", name: "A", in: tx).scope }
            let b = try await db.write { tx in try TenantDirectory().create(slug: "b", name: "B", in: tx).scope }
            let perTenant = 150
            let numbers = try await withThrowingTaskGroup(of: (String, Int64).self) { group in
                for i in 0..<(2 * perTenant) {
                    let scope = i.isMultiple(of: 2) ? a : b
                    group.addTask {
                        let ticket = try await db.write { tx throws in
                            try scope.tickets.create(NewTicket(subject: "ticket \(i)"), in: tx)
                        }
                        return (scope.slug, ticket.number)
                    }
                }
                var all: [(String, Int64)] = []
                for try await pair in group { all.append(pair) }
                return all
            }
            for slug in ["a", "b"] {
                let mine = numbers.filter { $0.0 == slug }.map(\.1).sorted()
                #expect(mine == Array(1...Int64(perTenant)))
            }
            #expect(db.writer.statistics.batches < 2 * perTenant + 2)  // some jobs shared a commit
        }
    }
}

func withTemporaryDirectoryAsync<T>(_ body: (String) async throws -> T) async rethrows -> T {
    let path = "/tmp/deskgate-store-async-\(UInt64.random(in: 0...UInt64.max))"
    defer { removeTree(path) }
    return try await body(path)
}
