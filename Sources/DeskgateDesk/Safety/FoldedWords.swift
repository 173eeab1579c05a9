/// The folded text cut into words and sentences. Apostrophes inside a word vanish ("don't" is
/// "dont", "l'IA" is "lia"); "@" is a word of its own so that "to x@y.z" reads as an address.
/// A sentence ends at . ! ? ; : followed by a space, at a line break, or at an HTML tag edge.
struct FoldedWords {
    var letters: [UInt8] = []
    var start: [Int32] = [], end: [Int32] = []
    /// The folded-byte range each word came from, for quoting it.
    var foldedStart: [Int32] = [], foldedEnd: [Int32] = []
    var sentence: [Int32] = []
    /// FNV-1a of each word, to find the phrases that can start there without trying them all.
    var hash: [UInt32] = []
    /// Clauses split sentences further at commas, dashes and brackets: an imperative may start one.
    var clause: [Int32] = []

    var count: Int { start.count }

    init(_ folded: [UInt8]) {
        // Locals, assigned once at the end: appends to stored properties cost a uniqueness check each.
        var letters: [UInt8] = [], start: [Int32] = [], end: [Int32] = [], foldedStart: [Int32] = []
        var foldedEnd: [Int32] = [], sentence: [Int32] = [], clause: [Int32] = [], hash: [UInt32] = []
        letters.reserveCapacity(folded.count)
        let guess = folded.count / 3 + 8
        start.reserveCapacity(guess); end.reserveCapacity(guess); foldedStart.reserveCapacity(guess)
        foldedEnd.reserveCapacity(guess); sentence.reserveCapacity(guess); clause.reserveCapacity(guess)
        hash.reserveCapacity(guess)
        var current: Int32 = 0, currentClause: Int32 = 0
        var inWord = false
        var h = Self.hashSeed
        let n = folded.count
        var i = 0
        while i <= n {
            let b: UInt8 = i < n ? folded[i] : 0x20
            if i < n, Self.isWordByte(b) {
                if !inWord {
                    start.append(Int32(letters.count)); foldedStart.append(Int32(i))
                    sentence.append(current); clause.append(currentClause)
                    inWord = true
                    h = Self.hashSeed
                }
                letters.append(b)
                h = (h ^ UInt32(b)) &* 16_777_619
            } else if b == 0x27, inWord, i + 1 < n, Self.isWordByte(folded[i + 1]) {
                // an apostrophe inside a word: skip it, the word goes on
            } else {
                if inWord {
                    end.append(Int32(letters.count)); foldedEnd.append(Int32(i)); hash.append(h)
                    inWord = false
                }
                if b == 0x40 {
                    start.append(Int32(letters.count)); foldedStart.append(Int32(i))
                    sentence.append(current); clause.append(currentClause)
                    letters.append(b)
                    end.append(Int32(letters.count)); foldedEnd.append(Int32(i + 1)); hash.append(Self.atHash)
                } else if b != 0x20, Self.endsSentence(b, next: i + 1 < n ? folded[i + 1] : 0x20) {
                    current += 1
                    currentClause += 1
                } else if b == 0x2C || b == 0x28 || b == 0x29 || b == 0x22 || (b == 0x2D && i + 1 < n && folded[i + 1] == 0x20) {
                    currentClause += 1
                }
            }
            i += 1
        }
        self.letters = letters; self.start = start; self.end = end; self.foldedStart = foldedStart
        self.foldedEnd = foldedEnd; self.sentence = sentence; self.clause = clause; self.hash = hash
    }

    private static let atHash = hash([0x40])
    static let hashSeed: UInt32 = 2_166_136_261

    static func hash(_ word: [UInt8]) -> UInt32 {
        word.reduce(hashSeed) { ($0 ^ UInt32($1)) &* 16_777_619 }
    }

    static func isWordByte(_ b: UInt8) -> Bool {
        (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b == FoldedText.otherLetter
    }

    private static func endsSentence(_ b: UInt8, next: UInt8) -> Bool {
        switch b {
        case 0x0A, 0x3C, 0x3E: return true                                  // line break, < >
        case 0x2E, 0x21, 0x3F, 0x3B, 0x3A: return next == 0x20 || next == 0x0A || next == 0x22 || next == 0x3C
        default: return false
        }
    }

    /// Whether word `i` is exactly `word`, or starts with it when `prefix`.
    @inline(__always)
    func word(_ i: Int, is word: [UInt8], prefix: Bool) -> Bool {
        let s = Int(start[i]), length = Int(end[i]) - s
        guard prefix ? length >= word.count : length == word.count else { return false }
        var k = 0
        while k < word.count {
            if letters[s + k] != word[k] { return false }
            k += 1
        }
        return true
    }

    func firstByte(_ i: Int) -> UInt8 { letters[Int(start[i])] }
}
