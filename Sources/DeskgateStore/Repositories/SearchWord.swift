/// One word of a ticket search, as `TicketRepository.searchWords` reads user text:
/// whitespace separates words, double quotes group words into one phrase, and a trailing `*`
/// on a plain word of at least `prefixMinimum` letters or digits makes it a prefix.
///
/// A word is matched as the phrase of its tokens (runs of letters and digits, case and
/// accents folded) in the subject or in one message (`WordMatch`). Ticket-level documents
/// (`TicketWords`) hold each ticket's tokens without positions: there a word is the AND of its
/// tokens, which is exact for a word of one token and a superset for a phrase, so phrases are
/// checked again message by message (`needsExactCheck`).
struct SearchWord: Equatable {
    /// The text matched as a phrase (without quotes or the prefix star).
    let text: String
    /// The tokens, as FTS5's unicode61 tokenizer cuts them, when this code is sure it cuts
    /// them the same; nil when the text holds a character whose treatment is less clear (combining
    /// marks, format characters): then only the exact check decides.
    let tokens: [String]?
    /// `text*`: words starting with the (single) token.
    let isPrefix: Bool
    /// A prefix's words as SQLite's search documents hold them, when few enough to search as
    /// plain words (`TicketRepository.expandingPrefixes`); nil to search the prefix itself.
    var expansion: [String]?

    static let prefixMinimum = 3

    /// Phrases and words with unclear characters are decided message by message; a plain word
    /// or prefix by the ticket's document alone.
    var needsExactCheck: Bool { (tokens?.count ?? 0) != 1 }

    init(_ raw: String, quoted: Bool) {
        var text = raw
        var prefix = false
        if !quoted, text.unicodeScalars.last == "*" {
            let stem = String(String.UnicodeScalarView(text.unicodeScalars.dropLast()))
            if stem.unicodeScalars.count >= Self.prefixMinimum, stem.unicodeScalars.allSatisfy(Self.isLetterOrDigit) {
                text = stem
                prefix = true
            }
        }
        self.text = text
        self.tokens = Self.tokens(of: text)
        self.isPrefix = prefix
    }

    /// Letters and digits that both engines keep inside a token: FTS5's unicode61 (general
    /// categories L*, N*, Co) and PostgreSQL's cut at what ICU does not call alphanumeric.
    static func isLetterOrDigit(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter, .decimalNumber, .letterNumber:
            true
        default:
            false
        }
    }

    /// What both engines cut tokens at: punctuation, symbols, spaces and controls that are not
    /// alphabetic (ICU calls a few symbols, such as circled letters, alphabetic).
    static func isSeparator(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
             .finalPunctuation, .otherPunctuation, .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol,
             .spaceSeparator, .lineSeparator, .paragraphSeparator, .control:
            !scalar.properties.isAlphabetic
        default:
            false
        }
    }

    /// Runs of letters and digits; nil when the text holds a character that is neither clearly
    /// (combining marks, other numbers, private use, format characters).
    static func tokens(of text: String) -> [String]? {
        var tokens: [String] = []
        var current = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if isLetterOrDigit(scalar) {
                current.append(scalar)
            } else if isSeparator(scalar) {
                if !current.isEmpty { tokens.append(String(current)) }
                current = String.UnicodeScalarView()
            } else {
                return nil
            }
        }
        if !current.isEmpty { tokens.append(String(current)) }
        return tokens
    }
}

extension TicketRepository {
    public static let maxSearchWords = 8

    /// The words of user text (at most `maxSearchWords`). Operators and punctuation in the input
    /// are searched for, never interpreted; an unterminated quote runs to the end of the text.
    static func searchWords(_ text: String) -> [SearchWord] {
        var words: [SearchWord] = []
        var current = ""
        var quoted = false
        func flush() {
            if !current.isEmpty || quoted { words.append(SearchWord(current, quoted: quoted)) }
            current = ""
        }
        for character in text {
            // Control characters separate words too: FTS5 reads a query up to U+0000 only, and
            // PostgreSQL refuses U+0000 in text altogether.
            if character.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
                flush()
                quoted = false
            } else if character == "\"" {
                if quoted {
                    flush()
                    quoted = false
                } else {
                    flush()
                    quoted = true
                }
            } else if character.isWhitespace && !quoted {
                flush()
            } else {
                current.append(character)
            }
        }
        if quoted, current.isEmpty { quoted = false }
        flush()
        return Array(words.filter { !$0.text.isEmpty }.prefix(maxSearchWords))
    }
}
