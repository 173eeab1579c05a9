/// Text from outside the tenant's agents (customer messages, subjects and names), made safe to
/// put in front of a model: characters a person cannot see but a model reads are removed, and
/// HTML is reduced to the text a person would see. Meaning is never edited: what is visible
/// stays, in order. What was removed is counted, so a result can say so.
public enum UntrustedText {
    /// What one text lost, by kind (zero when nothing).
    public struct Removed: Sendable, Equatable {
        /// Zero-width and other invisible characters (ZWSP, word joiner, BOM, soft hyphen, fillers, variation selectors used to smuggle bytes).
        public var invisible = 0
        /// Bidirectional controls (embeddings, overrides, isolates, marks) that reorder what is shown.
        public var bidi = 0
        /// Unicode tag characters (U+E0000–U+E007F), which can spell hidden ASCII.
        public var tagCharacters = 0
        /// Terminal escape sequences and other control characters (tab and newlines stay).
        public var controls = 0
        /// HTML elements a mail reader would not show (hidden by style or attribute, scripts, styles, head).
        public var hiddenElements = 0
        /// HTML comments.
        public var comments = 0

        public init() {}
        public var total: Int { invisible + bidi + tagCharacters + controls + hiddenElements + comments }
        public var isEmpty: Bool { total == 0 }

        /// Non-zero counts by name, for results (snake_case).
        public var counts: [(String, Int)] {
            [("invisible", invisible), ("bidi", bidi), ("tag_characters", tagCharacters), ("controls", controls),
             ("hidden_html_elements", hiddenElements), ("html_comments", comments)].filter { $0.1 > 0 }
        }
    }

    /// The sanitized text and what was removed. Plain printable ASCII (the common case) is
    /// returned as it is after one pass over its bytes.
    public static func sanitize(_ raw: String) -> (text: String, removed: Removed) {
        if isPlain(raw) { return (raw, Removed()) }
        var removed = Removed()
        var text = raw
        if HTMLText.looksLikeHTML(text) {
            text = HTMLText.visibleText(text, removed: &removed).trimmed
        }
        return (removeHiddenScalars(text, removed: &removed), removed)
    }

    /// Printable ASCII, tab and newlines, and no `<` (HTML) or `&` (entities): nothing to do.
    static func isPlain(_ text: String) -> Bool {
        for byte in text.utf8 {
            switch byte {
            case 0x09, 0x0A, 0x0D: continue
            case 0x20...0x7E where byte != UInt8(ascii: "<") && byte != UInt8(ascii: "&"): continue
            default: return false
            }
        }
        return true
    }

    /// Removes the scalars of `Removed`'s first four kinds, keeping those that are part of
    /// something visible: a zero-width joiner between emoji, tag characters spelling a
    /// subdivision flag after U+1F3F4, the emoji variation selector.
    static func removeHiddenScalars(_ text: String, removed: inout Removed) -> String {
        let scalars = Array(text.unicodeScalars)
        var kept = String.UnicodeScalarView()
        var index = 0
        var inFlag = false
        while index < scalars.count {
            let scalar = scalars[index]
            let value = scalar.value
            defer { index += 1 }
            // ESC starts a terminal sequence: CSI (ESC [ … final byte), OSC (ESC ] … BEL or ESC \), or one more character.
            if value == 0x1B {
                index = endOfEscape(scalars, from: index)
                removed.controls += 1
                continue
            }
            if value == 0x9B {   // the one-character CSI
                index = endOfCSI(scalars, from: index + 1)
                removed.controls += 1
                continue
            }
            if (0xE0000...0xE007F).contains(value) {
                if inFlag || (kept.last?.value == 0x1F3F4 && (0xE0020...0xE007E).contains(value)) {
                    inFlag = value != 0xE007F
                    kept.append(scalar)
                } else {
                    removed.tagCharacters += 1
                }
                continue
            }
            inFlag = false
            switch value {
            case 0x09, 0x0A, 0x0D:
                kept.append(scalar)
            case 0x00...0x1F, 0x7F...0x9F:
                removed.controls += 1
            case 0x202A...0x202E, 0x2066...0x2069, 0x200E, 0x200F, 0x061C:
                removed.bidi += 1
            case 0x200D:
                // Joins emoji into one (a family, a profession): kept between two of them.
                let before = kept.last?.properties.isEmoji ?? false
                let after = index + 1 < scalars.count && scalars[index + 1].properties.isEmoji
                if before && after { kept.append(scalar) } else { removed.invisible += 1 }
            case 0xFE0E, 0xFE0F:
                kept.append(scalar)   // text or emoji presentation of the character before: visible
            case 0x200B, 0x200C, 0x2060...0x2064, 0xFEFF, 0x00AD, 0x180E, 0x034F, 0x115F, 0x1160, 0x3164, 0xFFA0,
                 0xFE00...0xFE0D, 0xE0100...0xE01EF, 0xFFF9...0xFFFB:
                removed.invisible += 1
            default:
                kept.append(scalar)
            }
        }
        return String(kept)
    }

    /// The index of the last scalar of the escape sequence starting at `start` (an ESC).
    private static func endOfEscape(_ scalars: [Unicode.Scalar], from start: Int) -> Int {
        let next = start + 1
        guard next < scalars.count else { return start }
        switch scalars[next] {
        case "[": return endOfCSI(scalars, from: next + 1)
        case "]", "P", "X", "^", "_":
            // A string ending at BEL or ESC \ (or, unterminated, at the end of the line).
            var index = next + 1
            while index < scalars.count {
                let value = scalars[index].value
                if value == 0x07 || value == 0x0A { return value == 0x07 ? index : index - 1 }
                if value == 0x1B, index + 1 < scalars.count, scalars[index + 1] == "\\" { return index + 1 }
                index += 1
            }
            return scalars.count - 1
        default:
            return next
        }
    }

    /// The index of a CSI sequence's final byte (0x40–0x7E), parameters starting at `start`.
    private static func endOfCSI(_ scalars: [Unicode.Scalar], from start: Int) -> Int {
        var index = start
        while index < scalars.count {
            let value = scalars[index].value
            if (0x40...0x7E).contains(value) { return index }
            if !(0x20...0x3F).contains(value) { return index - 1 }   // malformed: stop before it
            index += 1
        }
        return scalars.count - 1
    }
}
