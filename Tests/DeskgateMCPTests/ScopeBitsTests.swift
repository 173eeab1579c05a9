import Testing
@testable import DeskgateDesk
@testable import DeskgateIdentity
@testable import DeskgateMCP

/// The scope check by bits answers what the set answers, for every subset of the known scopes
/// and for names that are no scope.
@Suite struct ScopeBitsTests {
    @Test func bitsAgreeWithTheSet() {
        let known = Scope.allCases.map(\.rawValue)
        let names = known + ["tickets:admin", "", "TICKETS:READ"]
        #expect(Set(known.map(ScopeBits.bit)).count == known.count && !known.map(ScopeBits.bit).contains(0))
        #expect(ScopeBits.bit("tickets:admin") == 0)
        for mask in 0..<(1 << names.count) {
            let held = Set(names.indices.filter { mask & (1 << $0) != 0 }.map { names[$0] })
            for name in names {
                let byBits = ScopeBits.holds(name, bit: ScopeBits.bit(name), held: ScopeBits.bits(held), scopes: held)
                #expect(byBits == held.contains(name), "\(held) \(name)")
            }
        }
    }
}
