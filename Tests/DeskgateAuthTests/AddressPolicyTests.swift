@testable import DeskgateAuth
import Testing

@Suite struct AddressPolicyTests {
    @Test func placeholder() { #expect(AddressPolicy.isPublic(IPAddress(literal: "8.8.8.8")!)) }
}
