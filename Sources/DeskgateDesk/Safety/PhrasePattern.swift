/// A word-level phrase, written as a small spec and matched within one sentence of folded words.
///
///     "^send|give ~3!my|our your|all api_key*|password* !reset|policy"
///
/// Space-separated slots. `a|b` alternatives; `_` joins words of one alternative; a trailing `*`
/// matches a word prefix; a trailing `?` makes the slot optional; `~N` skips up to N words, and
/// `~N!a|b` may not skip these; `!a|b` requires that the next word is none of these; `$` requires
/// the clause to end there. A leading `^` requires the phrase to start where an imperative would:
/// a clause's start (after fillers such as "please", "now", "AI,") or right after a request frame
/// ("could you", "I need you to", "before you answer").
struct PhrasePattern: Sendable {
    struct Alternative: Sendable {
        let words: [[UInt8]]
        let prefix: Bool
    }
    enum Slot: Sendable {
        case words(WordChoice, optional: Bool)
        case gap(Int, forbidden: WordChoice)
        case notFollowedBy(WordChoice)
        case clauseEnd
    }

    let slots: [Slot]
    let imperative: Bool
    /// The alternatives a match can start with, for the index.
    let firstAlternatives: [Alternative]

    init(_ spec: String) {
        var text = Substring(spec)
        imperative = text.hasPrefix("^")
        if imperative { text = text.dropFirst() }
        let tokens = text.split(separator: " ")
        guard let first = tokens.first, !first.hasPrefix("~"), !first.hasPrefix("!"), !first.hasSuffix("?"), first != "$" else {
            preconditionFailure("a phrase starts with a required word slot: \(spec)")
        }
        firstAlternatives = Self.alternatives(first)
        slots = tokens.map(Self.slot)
    }

    private static func slot(_ token: Substring) -> Slot {
        if token.hasPrefix("~") {
            let parts = token.dropFirst().split(separator: "!", maxSplits: 1)
            return .gap(Int(parts[0])!, forbidden: WordChoice(parts.count > 1 ? alternatives(parts[1]) : []))
        }
        if token.hasPrefix("!") { return .notFollowedBy(WordChoice(alternatives(token.dropFirst()))) }
        if token == "$" { return .clauseEnd }
        if token.hasSuffix("?") { return .words(WordChoice(alternatives(token.dropLast())), optional: true) }
        return .words(WordChoice(alternatives(token)), optional: false)
    }

    static func alternatives(_ token: Substring) -> [Alternative] {
        token.split(separator: "|").map { alt in
            let prefix = alt.hasSuffix("*")
            let body = prefix ? alt.dropLast() : alt
            return Alternative(words: body.split(separator: "_").map { Array($0.utf8) }, prefix: prefix)
        }
    }

    /// The end (exclusive word index) of a match starting at word `i` with `first`, if any.
    func match(_ words: FoldedWords, at i: Int, first: Alternative) -> Int? {
        let sentence = words.sentence[i]
        guard let next = WordChoice.consume(first, words, at: i, sentence: sentence),
              let end = match(words, slot: 1, at: next, sentence: sentence) else { return nil }
        return !imperative || PhraseFrames.imperativeAt(i, words) ? end : nil
    }

    private func match(_ words: FoldedWords, slot s: Int, at i: Int, sentence: Int32) -> Int? {
        if s == slots.count { return i }
        switch slots[s] {
        case .words(let choice, let optional):
            if let end = choice.each(words, at: i, sentence: sentence, { match(words, slot: s + 1, at: $0, sentence: sentence) }) {
                return end
            }
            return optional ? match(words, slot: s + 1, at: i, sentence: sentence) : nil
        case .gap(let most, let forbidden):
            var j = i
            while true {
                if let end = match(words, slot: s + 1, at: j, sentence: sentence) { return end }
                guard j - i < most, j < words.count, words.sentence[j] == sentence,
                      !forbidden.matchesAny(words, at: j, sentence: sentence) else { return nil }
                j += 1
            }
        case .clauseEnd:
            guard i == words.count || words.clause[i] != words.clause[i - 1] else { return nil }
            return match(words, slot: s + 1, at: i, sentence: sentence)
        case .notFollowedBy(let choice):
            return choice.matchesAny(words, at: i, sentence: sentence) ? nil : match(words, slot: s + 1, at: i, sentence: sentence)
        }
    }
}

/// One slot's alternatives, found by the hash of a word: a small open-addressing table from the
/// first word of each alternative to the alternatives starting with it, plus the few one-word
/// prefixes ("instruction*") that no hash can find.
final class WordChoice: Sendable {
    private let slots: [UInt32]                   // first-word hash per table slot, 0 when empty
    private let groups: [[PhrasePattern.Alternative]]
    private let prefixes: [PhrasePattern.Alternative]
    private let prefixFirstBytes: (UInt64, UInt64)     // which ASCII bytes any prefix starts with
    private let mask: Int

    init(_ alternatives: [PhrasePattern.Alternative]) {
        prefixes = alternatives.filter { $0.words.count == 1 && $0.prefix }
        var low: UInt64 = 0, high: UInt64 = 0
        for prefix in prefixes {
            let b = prefix.words[0][0]
            if b < 64 { low |= 1 << UInt64(b) } else if b < 128 { high |= 1 << UInt64(b - 64) }
        }
        prefixFirstBytes = (low, high)
        var byHash: [UInt32: [PhrasePattern.Alternative]] = [:]
        var order: [UInt32] = []
        for alternative in alternatives where !(alternative.words.count == 1 && alternative.prefix) {
            let h = max(1, FoldedWords.hash(alternative.words[0]))
            if byHash[h] == nil { order.append(h) }
            byHash[h, default: []].append(alternative)
        }
        var size = 4
        while size < order.count * 2 { size *= 2 }
        mask = size - 1
        var table = [UInt32](repeating: 0, count: size)
        var grouped = [[PhrasePattern.Alternative]](repeating: [], count: size)
        for h in order {
            var k = Int(h) & (size - 1)
            while table[k] != 0 { k = (k + 1) & (size - 1) }
            table[k] = h
            grouped[k] = byHash[h]!
        }
        slots = table
        groups = grouped
    }

    /// Calls `next` with the end of each alternative that matches at word `i`, until it returns a value.
    @inline(__always)
    func each(_ words: FoldedWords, at i: Int, sentence: Int32, _ next: (Int) -> Int?) -> Int? {
        guard i < words.count, words.sentence[i] == sentence else { return nil }
        let h = max(1, words.hash[i])
        var k = Int(h) & mask
        while slots[k] != 0 {
            if slots[k] == h {
                for alternative in groups[k] {
                    if let j = Self.consume(alternative, words, at: i, sentence: sentence), let end = next(j) { return end }
                }
                break
            }
            k = (k + 1) & mask
        }
        let b = words.firstByte(i)
        guard b < 128, (b < 64 ? prefixFirstBytes.0 >> UInt64(b) : prefixFirstBytes.1 >> UInt64(b - 64)) & 1 == 1 else { return nil }
        for alternative in prefixes {
            if let j = Self.consume(alternative, words, at: i, sentence: sentence), let end = next(j) { return end }
        }
        return nil
    }

    func matchesAny(_ words: FoldedWords, at i: Int, sentence: Int32) -> Bool {
        each(words, at: i, sentence: sentence) { $0 } != nil
    }

    static func consume(_ alternative: PhrasePattern.Alternative, _ words: FoldedWords, at i: Int, sentence: Int32) -> Int? {
        let n = alternative.words.count
        guard i + n <= words.count else { return nil }
        for k in 0..<n {
            guard words.sentence[i + k] == sentence,
                  words.word(i + k, is: alternative.words[k], prefix: alternative.prefix && k == n - 1) else { return nil }
        }
        return i + n
    }
}

/// Where an imperative may start: what may precede it at the start of a sentence, and the
/// request frames that make a verb an instruction to the reader wherever they stand.
enum PhraseFrames {
    static let fillers = PhrasePattern.Alternatives(
        "please|pls|plz|kindly|now|then|also|so|ok|okay|first|next|finally|immediately|quickly|silently|quietly|"
        + "secretly|just|simply|instead|step|important|urgent|note|attention|hey|hi|hello|dear|ai|assistant|agent|bot|model|"
        + "llm|claude|chatgpt|gpt|copilot|bitte|veuillez|por_favor|1|2|3|4|5|6|7|8|9|a|b|c")
    static let frames = PhrasePattern.Alternatives(
        "you_to|is_to|are_to|sure_to|remember_to|forget_to|required_to|instructed_to|authorized_to|authorised_to|"
        + "allowed_to|permitted_to|you_must|you_should|you_will|you_shall|you_can|you_could|you_would|you_may|"
        + "you_need_to|you_have_to|can_you|could_you|would_you|will_you|and|then|must|and_may|und|et|y|dann|puis|luego|"
        + "before_you_answer|before_you_reply|before_you_respond|before_answering|before_replying|before_responding|"
        + "when_you_summarize|when_you_reply|when_you_answer|when_you_respond|after_that|once_done|first_of_all")

    static func imperativeAt(_ i: Int, _ words: FoldedWords) -> Bool {
        let clause = words.clause[i]
        var k = i - 1
        while k >= 0, words.clause[k] == clause, fillers.matchesEnding(at: k, words) != nil { k -= 1 }
        if k < 0 || words.clause[k] != clause { return true }
        return frames.matchesEnding(at: k, words) != nil
    }
}

extension PhrasePattern {
    /// A plain list of alternatives, checked as ending at a given word (for looking backwards).
    struct Alternatives: Sendable {
        let list: [Alternative]
        init(_ spec: String) { list = PhrasePattern.alternatives(Substring(spec)) }

        func matchesEnding(at k: Int, _ words: FoldedWords) -> Alternative? {
            list.first { alternative in
                let n = alternative.words.count
                return k - n + 1 >= 0 && WordChoice.consume(alternative, words, at: k - n + 1, sentence: words.sentence[k]) == k + 1
            }
        }
    }
}
