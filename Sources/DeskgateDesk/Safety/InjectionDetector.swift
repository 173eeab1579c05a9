/// Flags customer-written text that reads like instructions to the model reading it. It warns and
/// never edits: phrase checks on a folded copy (case, accents, confusable letters and invisible
/// characters folded away), the invisible characters themselves, and the HTML and Markdown around.
public enum InjectionDetector {
    typealias Kind = ContentWarning.Kind

    /// Scans RAW text (before any sanitizing: hidden text is one of the signals). Never edits it.
    /// At most one warning per kind, in `Kind` order.
    public static func scan(_ raw: String) -> [ContentWarning] {
        if raw.isEmpty { return [] }
        let folded = FoldedText(raw)
        var found = Found()
        let quote = Excerpt(raw: raw, folded: folded)

        let words = FoldedWords(folded.bytes)
        let index = Self.index
        for i in 0..<words.count where found.count < phraseKinds {
            let hash = words.hash[i]
            let bucket = Int(hash & PhraseIndex.mask)
            for k in Int(index.wordStart[bucket])..<Int(index.wordStart[bucket + 1]) where index.byWord[k].hash == hash {
                tryPhrase(index.byWord[k], at: i)
            }
            let first = Int(words.firstByte(i))
            for k in Int(index.prefixStart[first])..<Int(index.prefixStart[first + 1]) { tryPhrase(index.byPrefix[k], at: i) }
        }
        func tryPhrase(_ entry: PhraseIndex.Entry, at i: Int) {
            let (kind, pattern) = index.phrases[Int(entry.phrase)]
            guard !found.has(kind),
                  let end = pattern.match(words, at: i, first: pattern.firstAlternatives[Int(entry.first)]) else { return }
            let range = Int(words.foldedStart[i])..<Int(words.foldedEnd[end - 1])
            found[kind] = ContentWarning(kind: kind, excerpt: quote.of([range]))
        }
        if !found.has(.taskChange), let turn = fakeTurn(folded.bytes) {
            found[.taskChange] = ContentWarning(kind: .taskChange, excerpt: quote.of([turn]))
        }

        let markup = MarkupSignals(folded.bytes)
        if folded.invisible.hidesText {
            found[.hiddenText] = ContentWarning(kind: .hiddenText, excerpt: quote.invisible(folded))
        } else if let hidden = markup.hidden {
            found[.hiddenText] = ContentWarning(kind: .hiddenText, excerpt: quote.of(hidden.text, label: hidden.label))
        }
        if let link = markup.link {
            found[.mismatchedLink] = ContentWarning(kind: .mismatchedLink, excerpt: quote.link(link.text, link.target))
        }
        return Kind.allCases.compactMap { found[$0] }
    }

    /// At most one warning per kind.
    private struct Found {
        private var warnings = [ContentWarning?](repeating: nil, count: Kind.allCases.count)
        private(set) var count = 0
        private var kinds: UInt8 = 0       // a bit per kind found: checked per candidate phrase, no copies
        func has(_ kind: Kind) -> Bool { kinds & (1 << kind.ordinal) != 0 }
        subscript(kind: Kind) -> ContentWarning? {
            get { warnings[kind.ordinal] }
            set {
                if !has(kind), newValue != nil { count += 1; kinds |= 1 << kind.ordinal }
                warnings[kind.ordinal] = newValue
            }
        }
    }

    private static let phraseKinds = Set(InjectionPhrases.phrases.map(\.0)).count

    private static let index = PhraseIndex(InjectionPhrases.phrases)

    /// The fake conversation markers by their first byte.
    private static let fakeTurns: [[[UInt8]]] = {
        var byFirst = [[[UInt8]]](repeating: [], count: 256)
        for turn in InjectionPhrases.fakeTurns.map({ Array($0.utf8) }) { byFirst[Int(turn[0])].append(turn) }
        return byFirst
    }()

    private static func fakeTurn(_ bytes: [UInt8]) -> Range<Int>? {
        let turns = fakeTurns
        for k in bytes.indices where !turns[Int(bytes[k])].isEmpty {
            for turn in turns[Int(bytes[k])] where Bytes.has(turn, in: bytes, at: k) { return k..<k + turn.count }
        }
        return nil
    }
}

/// Phrases by the first word they can start with (hashed), so each word of a message tries only
/// the few phrases that begin with it; phrases starting with a word prefix are kept by first byte.
struct PhraseIndex: Sendable {
    struct Entry: Sendable {
        let hash: UInt32
        let phrase: Int32
        let first: Int32      // index into the phrase's first alternatives
    }
    static let mask: UInt32 = 2047
    let phrases: [(ContentWarning.Kind, PhrasePattern)]
    /// Entries grouped by bucket in one flat array each (bucket b is start[b]..<start[b + 1]):
    /// no nested arrays to retain in the per-word loop.
    let byWord: [Entry], wordStart: [Int32]
    let byPrefix: [Entry], prefixStart: [Int32]

    init(_ specs: [(ContentWarning.Kind, String)]) {
        phrases = specs.map { ($0.0, PhrasePattern($0.1)) }
        var words = [[Entry]](repeating: [], count: Int(Self.mask) + 1)
        var prefixes = [[Entry]](repeating: [], count: 256)
        for (n, (_, pattern)) in phrases.enumerated() {
            for (a, first) in pattern.firstAlternatives.enumerated() {
                let word = first.words[0]
                let entry = Entry(hash: FoldedWords.hash(word), phrase: Int32(n), first: Int32(a))
                if first.prefix && first.words.count == 1 {
                    prefixes[Int(word[0])].append(entry)
                } else {
                    words[Int(entry.hash & Self.mask)].append(entry)
                }
            }
        }
        (byWord, wordStart) = Self.flatten(words)
        (byPrefix, prefixStart) = Self.flatten(prefixes)
    }

    private static func flatten(_ buckets: [[Entry]]) -> ([Entry], [Int32]) {
        var starts: [Int32] = [0]
        for bucket in buckets { starts.append(starts.last! + Int32(bucket.count)) }
        return (buckets.flatMap { $0 }, starts)
    }
}

/// Quotes for warnings: taken from the raw text where the folded ranges came from, cut to one
/// line of at most 80 visible characters; the folded spelling when the raw one shows nothing
/// (text smuggled in tag characters).
struct Excerpt {
    let raw: String
    let folded: FoldedText
    static let limit = 80

    func of(_ ranges: [Range<Int>], label: String = "") -> String {
        let quoted = ranges.map(rawText).joined(separator: " ")
        let text = Self.visibleLetters(quoted) >= 3 ? quoted : ranges.map(foldedText).joined(separator: " ")
        return Self.clean(label + text)
    }

    func link(_ text: [Range<Int>], _ target: Range<Int>) -> String {
        Self.clean(text.map(rawText).joined(separator: " ") + " → " + rawText(target))
    }

    func invisible(_ folded: FoldedText) -> String {
        let found = folded.invisible
        if found.tagOffset != nil {
            return Self.clean("tag characters: " + String(decoding: folded.tagText, as: UTF8.self))
        }
        let what = found.overrides > 0 || found.embeddings > 0 ? "bidi controls" : "\(found.count) invisible characters"
        let at = Int(found.firstOffset ?? 0)
        let utf8 = Array(raw.utf8)
        var from = max(0, at - 20), to = min(utf8.count, at + 60)
        while from > 0, utf8[from] & 0xC0 == 0x80 { from -= 1 }              // whole characters only
        while to < utf8.count, utf8[to] & 0xC0 == 0x80 { to += 1 }
        return Self.clean(what + " near: " + String(decoding: utf8[from..<to], as: UTF8.self))
    }

    private func rawText(_ range: Range<Int>) -> String {
        guard range.lowerBound < folded.origin.count else { return "" }
        let from = Int(folded.origin[range.lowerBound])
        let to = range.upperBound < folded.origin.count ? Int(folded.origin[range.upperBound]) : raw.utf8.count
        guard from < to else { return "" }
        let utf8 = raw.utf8
        return String(decoding: utf8[utf8.index(utf8.startIndex, offsetBy: from)..<utf8.index(utf8.startIndex, offsetBy: to)], as: UTF8.self)
    }

    private func foldedText(_ range: Range<Int>) -> String {
        String(decoding: folded.bytes[range].map { $0 == FoldedText.otherLetter ? 0x3F : $0 }, as: UTF8.self)
    }

    private static func visibleLetters(_ text: String) -> Int {
        text.unicodeScalars.lazy.filter { $0.properties.isAlphabetic }.count
    }

    /// One line of visible characters: format and control characters, tag characters and stacked
    /// combining marks dropped, any whitespace run made one space, cut to the limit.
    static func clean(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        var lastWasSpace = true, lastWasMark = true
        for scalar in text.unicodeScalars {
            switch scalar.properties.generalCategory {
            case .format, .unassigned, .surrogate, .privateUse: continue
            case .control, .spaceSeparator, .lineSeparator, .paragraphSeparator:
                if !lastWasSpace { scalars.append(" ") }
                lastWasSpace = true
                lastWasMark = true
                continue
            case .nonspacingMark, .enclosingMark, .spacingMark:
                if lastWasMark || FoldedText.invisibleKind(scalar.value) != nil && scalar.value > 0x36F { continue }
                lastWasMark = true
            default:
                lastWasMark = false
            }
            scalars.append(scalar)
            lastWasSpace = false
        }
        var line = String(scalars)
        while line.last == " " { line.removeLast() }
        if line.count > limit { line = String(line.prefix(limit - 1)) + "…" }
        return line
    }
}
