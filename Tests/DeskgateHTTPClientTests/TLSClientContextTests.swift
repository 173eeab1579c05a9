@testable import DeskgateHTTPClient
import Testing

@Suite struct TLSClientContextTests {
    @Test func refusesOldProtocols() throws {
        // 0x0303 = TLS1_2_VERSION: nothing older is ever negotiated.
        #expect(try TLSClientContext.shared(caFile: nil).minimumProtocolVersion == 0x0303)
    }

    @Test func anUnreadableCAFileIsATLSFailure() {
        #expect(throws: HTTPClientError.tlsFailed) { try TLSClientContext.shared(caFile: "/nonexistent/ca.pem") }
    }
}
