/// The detector's working copy of raw text: lower-case ASCII with diacritics, confusable letters,
/// full-width forms and odd spaces folded, invisible characters left out (and counted), so that
/// phrase checks see "ig\u{200B}nore" and "ІGNORE" as "ignore". Never shown to anyone.
struct FoldedText {
    /// Folded bytes: ASCII, with 0x80 standing for any letter outside the folded alphabet.
    var bytes: [UInt8] = []
    /// For each folded byte, the UTF-8 offset in the raw text of the character it came from.
    var origin: [Int32] = []
    var invisible = InvisibleCharacters()
    /// Letters carried by Unicode tag characters (ASCII smuggling), decoded.
    var tagText: [UInt8] = []

    static let otherLetter: UInt8 = 0x80

    init(_ raw: String) {
        var text = raw
        var invisible = InvisibleCharacters(), tagText: [UInt8] = []
        // Folding never lengthens the UTF-8 (ß and æ are two bytes in, two out), so one buffer
        // of the raw length holds it: no per-byte appends.
        let capacity = text.utf8.count + 1
        var bytes = [UInt8](repeating: 0, count: capacity), origin = [Int32](repeating: 0, count: capacity)
        var count = 0
        bytes.withUnsafeMutableBufferPointer { out in
            origin.withUnsafeMutableBufferPointer { offsets in
                var sink = FoldedSink(bytes: out, origin: offsets)
                text.withUTF8 { Self.fold($0, &sink, &invisible, &tagText) }
                count = sink.count
            }
        }
        bytes.removeSubrange(count...)
        origin.removeSubrange(count...)
        self.bytes = bytes
        self.origin = origin
        self.invisible = invisible
        self.tagText = tagText
        if !tagText.isEmpty {
            // The decoded smuggled text joins the phrase checks as a paragraph of its own.
            let at = invisible.tagOffset ?? 0
            append(0x0A, at: at)
            for byte in tagText { append(byte, at: at) }
        }
    }

    private static func fold(_ utf8: UnsafeBufferPointer<UInt8>, _ sink: inout FoldedSink,
                             _ invisible: inout InvisibleCharacters, _ tagText: inout [UInt8]) {

        var previous: UInt32 = 0          // previous scalar, visible or not
        var previousVisible: UInt32 = 0   // previous scalar that was not left out
        var tagRun: [UInt8] = []
        var tagRunStart: Int32 = 0
        var tagRunBase: UInt32 = 0
        var k = 0
        let n = utf8.count
        while k < n {
            let lead = utf8[k]
            let offset = Int32(k)
            if lead < 0x80 {                                   // ASCII, most of every message
                if !tagRun.isEmpty { Self.closeTagRun(&tagRun, base: tagRunBase, cancelled: false, at: tagRunStart, &invisible, &tagText) }
                let folded = Self.foldASCII(lead)
                invisible.visible(folded)
                previous = UInt32(lead)
                previousVisible = previous
                sink.put(folded, at: offset)
                k += 1
                continue
            }
            let (v, length) = Self.decode(utf8, at: k)
            k += length
            defer { previous = v }
            if v >= 0xE0000 && v <= 0xE007F {
                if tagRun.isEmpty { tagRunStart = offset; tagRunBase = previousVisible }
                if v >= 0xE0020 && v <= 0xE007E { tagRun.append(UInt8(v - 0xE0000)) }
                if v == 0xE007F { Self.closeTagRun(&tagRun, base: tagRunBase, cancelled: true, at: tagRunStart, &invisible, &tagText) }
                continue
            }
            if !tagRun.isEmpty { Self.closeTagRun(&tagRun, base: tagRunBase, cancelled: false, at: tagRunStart, &invisible, &tagText) }
            if let kind = Self.invisibleKind(v) {
                invisible.note(kind, scalar: v, previous: previous, previousVisible: previousVisible,
                               atStart: offset == 0, offset: offset, lastByte: sink.last)
                continue
            }
            let (first, second) = Self.fold(Unicode.Scalar(v) ?? "\u{FFFD}")
            invisible.visible(first)
            if v >= 0x0590 { invisible.noteRightToLeft(v) }
            previousVisible = v
            sink.put(first, at: offset)
            if second != 0 { sink.put(second, at: offset) }
        }
        if !tagRun.isEmpty { Self.closeTagRun(&tagRun, base: tagRunBase, cancelled: false, at: tagRunStart, &invisible, &tagText) }
    }

    /// One scalar from valid UTF-8 (a Swift string's bytes always are).
    @inline(__always)
    private static func decode(_ utf8: UnsafeBufferPointer<UInt8>, at k: Int) -> (UInt32, Int) {
        let lead = UInt32(utf8[k])
        func next(_ i: Int) -> UInt32 { k + i < utf8.count ? UInt32(utf8[k + i] & 0x3F) : 0 }
        if lead < 0xE0 { return ((lead & 0x1F) << 6 | next(1), 2) }
        if lead < 0xF0 { return ((lead & 0x0F) << 12 | next(1) << 6 | next(2), 3) }
        return ((lead & 0x07) << 18 | next(1) << 12 | next(2) << 6 | next(3), 4)
    }

    private mutating func append(_ byte: UInt8, at offset: Int32) {
        Self.append(byte, at: offset, &bytes, &origin)
    }

    /// Appends one folded byte; a run of spaces and line breaks becomes one (a line break if any).
    @inline(__always)
    private static func append(_ byte: UInt8, at offset: Int32, _ bytes: inout [UInt8], _ origin: inout [Int32]) {
        if byte <= 0x20, byte == 0x20 || byte == 0x0A, let last = bytes.last, last == 0x20 || last == 0x0A {
            if byte == 0x0A && last == 0x20 { bytes[bytes.count - 1] = 0x0A }
            return
        }
        bytes.append(byte)
        origin.append(offset)
    }

    /// An emoji flag's subdivision tag (black flag, then a few lower-case letters or digits, then
    /// CANCEL TAG) is ordinary; any other run of tag characters hides text.
    private static func closeTagRun(_ run: inout [UInt8], base: UInt32, cancelled: Bool, at offset: Int32,
                                    _ invisible: inout InvisibleCharacters, _ tagText: inout [UInt8]) {
        defer { run.removeAll(keepingCapacity: true) }
        let isFlag = base == 0x1F3F4 && cancelled && run.count >= 2 && run.count <= 7
            && run.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) }
        if isFlag || run.isEmpty { return }
        if invisible.tagOffset == nil { invisible.tagOffset = offset }
        if !tagText.isEmpty { tagText.append(0x20) }
        for byte in run { tagText.append(byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte) }
    }

    enum Invisible { case zeroWidth, joiner, selector, selectorSupplement, bidiEmbedding, bidiOverride, mark }

    static func invisibleKind(_ v: UInt32) -> Invisible? {
        switch v {
        case 0x200B, 0x2060...0x2064, 0xFEFF, 0x180E, 0x034F, 0x115F, 0x1160, 0x3164, 0xFFA0, 0x17B4, 0x17B5,
             0x206A...0x206F:
            return .zeroWidth
        case 0x200C, 0x200D: return .joiner
        case 0xFE00...0xFE0F: return .selector
        case 0xE0100...0xE01EF: return .selectorSupplement
        case 0x202A...0x202C, 0x2066...0x2069: return .bidiEmbedding
        case 0x202D, 0x202E: return .bidiOverride
        case 0x200E, 0x200F, 0x061C, 0x00AD: return .mark
        case 0x0300...0x036F: return .mark   // combining accents: "é" spelled as e + U+0301 folds to "e"
        default: return nil
        }
    }

    static func foldASCII(_ b: UInt8) -> UInt8 {
        if b >= 0x41 && b <= 0x5A { return b | 0x20 }
        if b == 0x0A || b == 0x0D || b == 0x0B || b == 0x0C { return 0x0A }
        if b < 0x20 || b == 0x7F { return 0x20 }
        return b
    }

    /// The folded spelling of one visible non-ASCII scalar: one byte, or two (second non-zero).
    static func fold(_ scalar: Unicode.Scalar) -> (UInt8, UInt8) {
        let v = scalar.value
        switch v {
        case 0x85, 0x2028, 0x2029: return (0x0A, 0)
        case 0xA0, 0x1680, 0x2000...0x200A, 0x202F, 0x205F, 0x3000: return (0x20, 0)
        case 0x2018, 0x2019, 0x201B, 0x02BC, 0x00B4, 0x2032: return (0x27, 0)
        case 0x201C, 0x201D, 0x201E, 0x00AB, 0x00BB, 0x2033: return (0x22, 0)
        case 0x2010...0x2015, 0x2212: return (0x2D, 0)
        case 0x3002, 0xFF61: return (0x2E, 0)
        case 0xFF01...0xFF5E: return (foldASCII(UInt8(v - 0xFEE0)), 0)
        case 0xDF: return (0x73, 0x73)            // ß
        case 0xC6, 0xE6: return (0x61, 0x65)      // æ
        case 0xD7, 0xF7: return (0x20, 0)         // × ÷
        case 0xFF: return (0x79, 0)
        case 0xC0...0xFE: return (latin1[Int((v - 0xC0) & 0x1F)], 0)
        case 0x100...0x17F: return (latinExtended[Int(v - 0x100)], 0)
        case 0x1D400...0x1D6A3:
            let i = (v - 0x1D400) % 52
            return (UInt8(0x61 + (i < 26 ? i : i - 26)), 0)
        case 0x1D7CE...0x1D7FF: return (UInt8(0x30 + (v - 0x1D7CE) % 10), 0)
        default:
            if let ascii = confusable[v] { return (ascii, 0) }
            let letter = scalar.properties.isAlphabetic || scalar.properties.numericType != nil
            return (letter ? otherLetter : 0x20, 0)
        }
    }

    /// À…Þ and à…þ share their low five bits; × ÷ ß æ ÿ are handled before the table.
    private static let latin1: [UInt8] = Array("aaaaaaaceeeeiiiidnooooo ouuuuyts".utf8)
    /// Latin Extended-A (U+0100…U+017F), each letter's plain base: ā ă ą ć ĉ ċ č ď … ž ſ.
    private static let latinExtended: [UInt8] = Array(
        "aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiiiiijjkkkllllllllllnnnnnnnnnoooooooorrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzs".utf8)

    /// Cyrillic and Greek letters drawn like Latin ones, as used to slip words past filters.
    private static let confusable: [UInt32: UInt8] = {
        var table: [UInt32: UInt8] = [:]
        let pairs: [(String, String)] = [
            ("аеорсухіјѕԁһԛԝ", "aeopcyxijsdhqw"), ("АВЕКМНОРСТХІЈЅ", "abekmhopctxijs"),
            ("οαιɡνκτ", "oaigvkt"), ("ΑΒΕΖΗΙΚΜΝΟΡΤΥΧ", "abezhikmnoptyx"),
        ]
        for (from, to) in pairs {
            for (f, t) in zip(from.unicodeScalars, to.utf8) { table[f.value] = t }
        }
        return table
    }()
}

/// Where folding writes: preallocated buffers and a count, spaces and line breaks collapsed.
struct FoldedSink {
    let bytes: UnsafeMutableBufferPointer<UInt8>
    let origin: UnsafeMutableBufferPointer<Int32>
    var count = 0
    var last: UInt8 { count > 0 ? bytes[count - 1] : 0x20 }

    @inline(__always)
    mutating func put(_ byte: UInt8, at offset: Int32) {
        if byte <= 0x20, byte == 0x20 || byte == 0x0A, count > 0, bytes[count - 1] == 0x20 || bytes[count - 1] == 0x0A {
            if byte == 0x0A { bytes[count - 1] = 0x0A }
            return
        }
        bytes[count] = byte
        origin[count] = offset
        count += 1
    }
}

/// What the folding left out, and whether it looks like hidden text rather than ordinary use
/// (emoji joiners, Persian/Indic joiners, a leading byte-order mark, bidi marks in RTL text).
struct InvisibleCharacters {
    var count = 0, longestRun = 0, splitWords = 0, embeddings = 0, overrides = 0, selectors = 0
    var rightToLeft = false
    var tagOffset: Int32?
    var firstOffset: Int32?
    private var run = 0
    private var splitPending = false

    mutating func note(_ kind: FoldedText.Invisible, scalar v: UInt32, previous: UInt32, previousVisible: UInt32,
                       atStart: Bool, offset: Int32, lastByte: UInt8) {
        switch kind {
        case .mark: return
        case .bidiEmbedding: embeddings += 1; remember(offset); return
        case .bidiOverride: overrides += 1; remember(offset); return
        case .selector where run == 0: return                       // emoji or text presentation
        case .joiner where run == 0 && (Self.isEmoji(previous) || previous >= 0x0600 && previous < 0x1000): return
        case .zeroWidth where atStart && v == 0xFEFF: return
        case .selectorSupplement: selectors += 1
        default: break
        }
        count += 1
        run += 1
        longestRun = max(longestRun, run)
        remember(offset)
        if Self.isLetter(lastByte) { splitPending = true }
    }

    @inline(__always)
    mutating func visible(_ byte: UInt8) {
        if splitPending { if Self.isLetter(byte) { splitWords += 1 }; splitPending = false }
        run = 0
    }

    mutating func noteRightToLeft(_ v: UInt32) {
        if (v >= 0x0590 && v <= 0x08FF) || (v >= 0xFB1D && v <= 0xFDFF) || (v >= 0xFE70 && v <= 0xFEFC) { rightToLeft = true }
    }

    /// Carrying text: tag characters, a bidi override (or embeddings without any RTL letters),
    /// words split by invisible characters, runs of them, or many scattered ones.
    var hidesText: Bool {
        tagOffset != nil || overrides > 0 || (embeddings > 0 && !rightToLeft) || splitWords >= 2
            || longestRun >= 3 || count >= 6 || selectors >= 2
    }

    private mutating func remember(_ offset: Int32) { if firstOffset == nil { firstOffset = offset } }
    private static func isLetter(_ b: UInt8) -> Bool { (b >= 0x61 && b <= 0x7A) || b == FoldedText.otherLetter }
    private static func isEmoji(_ v: UInt32) -> Bool {
        v >= 0x1F000 || (v >= 0x2600 && v <= 0x27BF) || (v >= 0x2190 && v <= 0x21FF) || v == 0xFE0F || v == 0x20E3
    }
}
