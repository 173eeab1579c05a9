import Testing
import DeskgateSystem
@testable import DeskgateHTTP

/// A handler whose query ran past its time budget answers 503 with the reason, never a 500,
/// and without `Retry-After` (the same request would take as long again).
@Suite struct OverBudgetResponseTests {
    struct Stopped: OverBudgetFailure {
        var exceededBudgetMilliseconds: Int?
    }

    @Test func anExceededBudgetIsA503WithTheReason() {
        let response = ErrorResponses.forHandlerError(Stopped(exceededBudgetMilliseconds: 2_000), requestID: RequestID(value: 7))
        #expect(response.status == .serviceUnavailable)
        #expect(response.headers["retry-after"] == nil)
        let body = String(decoding: response.body, as: UTF8.self)
        #expect(body.contains(#""error":"query_over_budget""#))
        #expect(body.contains(#""reason":"the query took longer than its 2000 ms budget; narrow the filters""#))
    }

    @Test func anErrorThatIsNoExceededBudgetStaysA500() {
        let response = ErrorResponses.forHandlerError(Stopped(exceededBudgetMilliseconds: nil), requestID: RequestID(value: 7))
        #expect(response.status == .internalServerError)
    }
}
