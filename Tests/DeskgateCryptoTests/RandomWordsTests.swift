import Testing
@testable import DeskgateCrypto

@Suite struct RandomWordsTests {
    /// Across more than one block (512 values): 16 lower-case hex digits, none repeated, and
    /// every nibble value seen in every position (a stuck nibble or an unfilled block would show).
    @Test func valuesAreHexDistinctAndCoverEveryNibble() {
        var seen = Set<String>()
        var nibbles = Array(repeating: Set<Character>(), count: 16)
        for _ in 0..<2_000 {
            let hex = RandomWords.nextHex()
            #expect(hex.count == 16 && hex.allSatisfy { "0123456789abcdef".contains($0) })
            seen.insert(hex)
            for (index, digit) in hex.enumerated() { nibbles[index].insert(digit) }
        }
        #expect(seen.count == 2_000)
        #expect(nibbles.allSatisfy { $0.count == 16 })
    }
}
