import DeskgateSQL
import Dispatch
import Testing
@testable import DeskgateStore
import DeskgateModel

@Suite struct ReadPoolTests {
    @Test func thirdCheckoutOfTwoTimesOut() throws {
        try withDatabase(configure: {
            $0.readerPoolSize = 2
            $0.readerCheckoutTimeoutMilliseconds = 150
        }) { db in
            let started = DispatchTime.now()
            let outcome: Result<Int, any Error> = try db.withReader { _ in
                try db.withReader { _ in Result { try db.withReader { _ in 3 } } }
            }
            let waitedMs = (DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1_000_000
            #expect(throws: StoreError.readerPoolExhausted(size: 2, waitedMilliseconds: 150)) { try outcome.get() }
            #expect(waitedMs >= 140)
            // Both connections came back: two nested checkouts work again.
            #expect(try db.withReader { _ in try db.withReader { _ in 2 } } == 2)
        }
    }

    @Test func waitingCheckoutProceedsWhenOneIsReturned() throws {
        try withDatabase(configure: {
            $0.readerPoolSize = 1
            $0.readerCheckoutTimeoutMilliseconds = 5_000
        }) { db in
            let holding = DispatchSemaphore(value: 0)
            let released = DispatchSemaphore(value: 0)
            DispatchQueue.global().async {
                _ = try? db.withReader { _ in
                    holding.signal()
                    usleepMilliseconds(100)
                }
                released.signal()
            }
            holding.wait()
            let value = try db.withReader { try RevocationCounter().current(on: $0) }
            #expect(value == 0)
            released.wait()
        }
    }
}

func usleepMilliseconds(_ ms: Int) {
    let until = DispatchTime.now() + .milliseconds(ms)
    while DispatchTime.now() < until { _ = DispatchSemaphore(value: 0).wait(timeout: until) }
}
