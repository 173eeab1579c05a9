/// Signals read from HTML and Markdown in the folded text: elements styled out of sight, comments
/// that carry words, and links whose visible text names another site than their target.
/// A tolerant scan, not a parser: it reads what mail clients and Markdown renderers would show.
struct MarkupSignals {
    /// Folded ranges of the hidden words, and what hid them.
    var hidden: (label: String, text: [Range<Int>])?
    /// Folded ranges of a link's visible text and its target.
    var link: (text: [Range<Int>], target: Range<Int>)?

    init(_ b: [UInt8]) {
        if b.contains(0x3C) { scanHTML(b) }
        if link == nil || hidden == nil, b.contains(0x5B) { scanMarkdown(b) }
    }

    private mutating func scanHTML(_ b: [UInt8]) {
        let n = b.count
        var i = 0
        while hidden == nil || link == nil, let lt = Bytes.find(0x3C, in: b, from: i) {
            if Bytes.has(Needle.commentOpen, in: b, at: lt) {
                let close = Bytes.find(Needle.commentClose, in: b, from: lt + 4) ?? n
                if hidden == nil { comment(b, lt + 4..<close) }
                i = close + 3
                continue
            }
            var j = lt + 1
            let closing = j < n && b[j] == 0x2F
            if closing { j += 1 }
            let nameStart = j
            while j < n, FoldedWords.isWordByte(b[j]) { j += 1 }
            guard j > nameStart, let gt = Self.tagEnd(b, from: j) else { i = lt + 1; continue }
            let name = b[nameStart..<j]
            i = gt + 1
            if closing { continue }
            if let rawText = Self.rawTextElements.first(where: { $0.elementsEqual(name) }) {
                i = Bytes.find([0x3C, 0x2F] + rawText, in: b, from: i) ?? n
                continue
            }
            let attributes = j..<gt
            if link == nil, name.count == 1, name.first == 0x61, let href = Self.attribute(Needle.href, in: b, attributes) {
                let end = Bytes.find(Needle.linkClose, in: b, from: i) ?? n
                let text = Self.textSegments(b, i..<end)
                if text.contains(where: { b[$0].contains(0x2E) || b[$0].contains(0x40) }),
                   LinkTargets.differ(text: Self.joined(b, text), target: String(decoding: b[href], as: UTF8.self)) {
                    link = (text, href)
                }
            }
            if hidden == nil, Self.mayHide(b, attributes), let how = Self.hiding(b, attributes) {
                let end: Int
                if how.wholeElement {
                    end = Self.closing(b, name: Array(name), from: i)
                } else {
                    end = Bytes.find(0x3C, in: b, from: i) ?? n
                }
                let text = Self.textSegments(b, i..<end)
                if HiddenWords.carryInstructions(b, text) { hidden = (how.label, text) }
            }
        }
    }

    private mutating func comment(_ b: [UInt8], _ range: Range<Int>) {
        let body = b[range]
        for conditional in Needle.conditionalComments where body.starts(with: conditional) || body.reversed().starts(with: conditional.reversed()) {
            return
        }
        if HiddenWords.carryInstructions(b, [range], orAtLeast: 12) { hidden = ("HTML comment: ", [range]) }
    }

    /// `[visible](target)` links, and `[//]: # (comment)` lines that Markdown never renders.
    private mutating func scanMarkdown(_ b: [UInt8]) {
        var i = 0
        while let mark = Bytes.find([0x5D, 0x28], in: b, from: i) {       // "]("
            i = mark + 2
            var open = mark - 1
            while open >= 0, mark - open < 300, b[open] != 0x5B, b[open] != 0x0A, b[open] != 0x5D { open -= 1 }
            guard open >= 0, b[open] == 0x5B, !(open > 0 && b[open - 1] == 0x21) else { continue }
            var end = i
            while end < b.count, b[end] != 0x29, b[end] != 0x20, b[end] != 0x0A { end += 1 }
            if link == nil, b[open + 1..<mark].contains(0x2E), LinkTargets.differ(text: String(decoding: b[open + 1..<mark], as: UTF8.self),
                                                target: String(decoding: b[i..<end], as: UTF8.self)) {
                link = ([open + 1..<mark], i..<end)
            }
        }
        if hidden == nil, let at = Bytes.find(Needle.markdownComment, in: b, from: 0) ?? Bytes.find(Needle.markdownNamedComment, in: b, from: 0) {
            let end = Bytes.find([0x0A], in: b, from: at) ?? b.count
            if HiddenWords.carryInstructions(b, [at..<end]) { hidden = ("Markdown comment: ", [at..<end]) }
        }
    }

    private static let rawTextElements: [[UInt8]] = [Array("style".utf8), Array("script".utf8), Array("title".utf8)]

    /// The `>` that ends a tag, skipping quoted attribute values.
    private static func tagEnd(_ b: [UInt8], from: Int) -> Int? {
        var quote: UInt8 = 0
        var k = from
        while k < b.count {
            let c = b[k]
            if quote != 0 { if c == quote { quote = 0 } } else if c == 0x22 || c == 0x27 { quote = c } else if c == 0x3E { return k } else if c == 0x3C { return nil }
            k += 1
        }
        return nil
    }

    /// The value of an attribute (quoted or bare; empty for `hidden`) inside a tag's attribute bytes.
    static func attribute(_ key: [UInt8], in b: [UInt8], _ range: Range<Int>) -> Range<Int>? {
        let upper = range.upperBound
        var k = range.lowerBound
        while let at = Bytes.find(key, in: b, from: k, before: upper) {
            k = at + key.count
            guard at > range.lowerBound, b[at - 1] == 0x20 || b[at - 1] == 0x0A else { continue }
            var v = k
            if v < upper, FoldedWords.isWordByte(b[v]) || b[v] == 0x2D || b[v] == 0x3A { continue }
            while v < upper, b[v] == 0x20 { v += 1 }
            if v >= upper || b[v] != 0x3D { return k..<k }
            v += 1
            while v < upper, b[v] == 0x20 { v += 1 }
            guard v < upper else { return v..<v }
            if b[v] == 0x22 || b[v] == 0x27 {
                let end = Bytes.find([b[v]], in: b, from: v + 1).map { min($0, upper) } ?? upper
                return v + 1..<end
            }
            var end = v
            while end < upper, b[end] != 0x20 { end += 1 }
            return v..<end
        }
        return nil
    }

    /// A cheap look before `hiding`: only a tag with a hiding value in it can hide anything.
    private static func mayHide(_ b: [UInt8], _ attributes: Range<Int>) -> Bool {
        for k in attributes {
            guard let candidates = Needle.hidingByFirst[b[k]] else { continue }
            for needle in candidates where Bytes.has(needle, in: b, at: k) { return true }
        }
        return false
    }

    /// How a tag hides its content, if it does; `wholeElement` when descendants are hidden too
    /// (display, visibility, off-screen, the `hidden` attribute), otherwise only its own text
    /// (tiny or white text, which a child may set back).
    private static func hiding(_ b: [UInt8], _ attributes: Range<Int>) -> (label: String, wholeElement: Bool)? {
        if attribute(Needle.hidden, in: b, attributes) != nil { return ("hidden element: ", true) }
        guard let value = attribute(Needle.style, in: b, attributes) else { return nil }
        var style: [Substring: Substring] = [:]
        let compact = String(decoding: b[value].filter { $0 != 0x20 && $0 != 0x0A }, as: UTF8.self)
        for declaration in compact.split(separator: ";") {
            let parts = declaration.split(separator: ":", maxSplits: 1)
            if parts.count == 2 { style[parts[0]] = parts[1].split(separator: "!").first ?? parts[1] }
        }
        func number(_ property: Substring) -> Double? {
            style[property].flatMap { Double($0.prefix { $0.isNumber || $0 == "." || $0 == "-" }) }
        }
        let offScreen = ["left", "text-indent", "margin-left", "top"].contains { number(Substring($0)).map { $0 <= -999 } ?? false }
        let collapsed = style["overflow"] == "hidden" && (number("height") == 0 || number("max-height") == 0 || number("width") == 0)
        if style["display"] == "none" || style["visibility"] == "hidden" || style["mso-hide"] == "all" || number("opacity") == 0
            || offScreen || collapsed {
            return ("hidden element: ", true)
        }
        if let size = number("font-size"), size < 1.5 { return ("tiny text: ", false) }
        let white: Set<Substring> = ["#fff", "#ffffff", "white", "rgb(255,255,255)", "#fefefe", "#fffffe"]
        if let color = style["color"], white.contains(color), style["background"] == nil, style["background-color"] == nil {
            return ("white text: ", false)
        }
        return nil
    }

    /// The end of the element opened before `from`: its matching close tag, nesting counted.
    private static func closing(_ b: [UInt8], name: [UInt8], from: Int) -> Int {
        let open = [0x3C] + name, close = [0x3C, 0x2F] + name
        var depth = 1
        var k = from
        while k < b.count, k - from < 20_000, let lt = Bytes.find(0x3C, in: b, from: k) {
            if Bytes.has(close, in: b, at: lt) { depth -= 1; if depth == 0 { return lt } } else if Bytes.has(open, in: b, at: lt) { depth += 1 }
            k = lt + 1
        }
        return min(b.count, from + 20_000)
    }

    /// The text between tags in a range, as folded ranges.
    static func textSegments(_ b: [UInt8], _ range: Range<Int>) -> [Range<Int>] {
        var segments: [Range<Int>] = []
        var k = range.lowerBound, segmentStart = k
        var inTag = false
        while k < range.upperBound {
            if !inTag && b[k] == 0x3C { if k > segmentStart { segments.append(segmentStart..<k) }; inTag = true } else if inTag && b[k] == 0x3E { inTag = false; segmentStart = k + 1 }
            k += 1
        }
        if !inTag && range.upperBound > segmentStart { segments.append(segmentStart..<range.upperBound) }
        return segments.filter { r in b[r].contains { FoldedWords.isWordByte($0) } }
    }

    static func joined(_ b: [UInt8], _ segments: [Range<Int>]) -> String {
        segments.map { String(decoding: b[$0], as: UTF8.self) }.joined(separator: " ")
    }
}

/// The byte strings the markup scan looks for.
enum Needle {
    static let commentOpen = Array("<!--".utf8), commentClose = Array("-->".utf8), linkClose = Array("</a".utf8)
    static let markdownComment = Array("[//]: #".utf8), markdownNamedComment = Array("[comment]: #".utf8)
    static let href = Array("href".utf8), hidden = Array("hidden".utf8), style = Array("style".utf8)
    static let conditionalComments = ["[if", "[endif", "<![endif", "[endif]"].map { Array($0.utf8) }
    /// What a hiding tag must contain somewhere (exact values are read by `hiding`), by first byte.
    static let hidingByFirst: [UInt8: [[UInt8]]] = Dictionary(grouping: [
        "hidden", "none", "opacity", "-99", "white", "#fff", "255,", "255 ,", "#fefefe", "height:0", "height: 0",
        "font-size:0", "font-size: 0", "font-size:1p", "font-size: 1p", "font-size:.", "font-size:1.",
    ].map { Array($0.utf8) }, by: { $0[0] })
}

/// Byte-string search on folded text.
enum Bytes {
    static func find(_ byte: UInt8, in b: [UInt8], from: Int) -> Int? {
        var k = max(0, from)
        while k < b.count {
            if b[k] == byte { return k }
            k += 1
        }
        return nil
    }

    /// The first occurrence of `needle` starting at or after `from` and ending by `before`.
    static func find(_ needle: [UInt8], in b: [UInt8], from: Int, before: Int? = nil) -> Int? {
        guard let first = needle.first, from >= 0 else { return nil }
        var k = from
        let last = min(b.count, before ?? b.count) - needle.count
        while k <= last {
            if b[k] == first && has(needle, in: b, at: k) { return k }
            k += 1
        }
        return nil
    }

    @inline(__always)
    static func has(_ needle: [UInt8], in b: [UInt8], at k: Int) -> Bool {
        guard k >= 0, k + needle.count <= b.count else { return false }
        var i = 0
        while i < needle.count {
            if b[k + i] != needle[i] { return false }
            i += 1
        }
        return true
    }
}
