import DeskgateModel

/// HTML (a customer's mail client's, or a crafted one) reduced to the text a person sees in a
/// mail reader: tags go, blocks become line breaks, a link keeps its target after its text,
/// entities are decoded; comments and elements a reader would not show (scripts, styles, the
/// head, `hidden`, `display:none`, `visibility:hidden`, zero font size or opacity) are dropped
/// with their content. Only known tag names count as tags, so `List<String>` or `a < b` in a
/// pasted snippet stay as written.
enum HTMLText {
    static let knownTags: Set<String> = [
        "a", "abbr", "address", "article", "aside", "b", "base", "bdi", "bdo", "blockquote", "body", "br", "button", "caption",
        "center", "cite", "code", "col", "colgroup", "dd", "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption",
        "figure", "font", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "head", "header", "hr", "html", "i", "iframe",
        "img", "input", "ins", "kbd", "label", "li", "link", "main", "mark", "meta", "nav", "noscript", "object", "ol", "p",
        "pre", "q", "s", "samp", "script", "section", "small", "span", "strike", "strong", "style", "sub", "summary", "sup",
        "svg", "table", "tbody", "td", "template", "textarea", "tfoot", "th", "thead", "title", "tr", "tt", "u", "ul", "var",
        "video", "wbr",
    ]
    /// Never shown, whatever their attributes say.
    static let unseen: Set<String> = ["script", "style", "head", "title", "template", "noscript", "meta", "link", "base", "object", "svg", "iframe"]
    /// Elements that start a new line.
    static let blocks: Set<String> = [
        "address", "article", "aside", "blockquote", "br", "caption", "center", "dd", "details", "div", "dl", "dt", "figcaption",
        "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre",
        "section", "summary", "table", "tr", "ul",
    ]
    static let void: Set<String> = ["br", "hr", "img", "input", "meta", "link", "base", "col", "wbr"]

    /// A comment, or a known tag name right after `<` or `</`.
    static func looksLikeHTML(_ text: String) -> Bool {
        guard text.utf8.contains(UInt8(ascii: "<")) else { return text.utf8.contains(UInt8(ascii: "&")) }
        let scalars = Array(text.unicodeScalars)
        for index in scalars.indices where scalars[index] == "<" {
            if hasPrefix(scalars, at: index, "<!--") { return true }
            if tag(scalars, at: index) != nil { return true }
        }
        return false
    }

    struct Tag {
        let name: String
        let closing: Bool
        let attributes: String
        /// Index of the closing `>`.
        let end: Int
    }

    /// The known tag starting at `index` (a `<`), if there is one.
    static func tag(_ s: [Unicode.Scalar], at index: Int) -> Tag? {
        var i = index + 1
        let closing = i < s.count && s[i] == "/"
        if closing { i += 1 }
        var name = ""
        while i < s.count, s[i].isASCII, s[i].properties.isAlphabetic || ("0"..."9").contains(s[i]) {
            name.unicodeScalars.append(s[i])
            i += 1
        }
        name = name.lowercased()
        guard knownTags.contains(name), i < s.count, s[i] == ">" || s[i] == "/" || s[i].properties.isWhitespace else { return nil }
        var attributes = ""
        var quote: Unicode.Scalar?
        while i < s.count {
            let c = s[i]
            if let open = quote {
                if c == open { quote = nil }
            } else if c == "\"" || c == "'" {
                quote = c
            } else if c == ">" {
                return Tag(name: name, closing: closing, attributes: attributes, end: i)
            }
            attributes.unicodeScalars.append(c)
            i += 1
        }
        return nil
    }

    static func visibleText(_ html: String, removed: inout UntrustedText.Removed) -> String {
        let s = Array(html.unicodeScalars)
        var out = String.UnicodeScalarView()
        var text = String.UnicodeScalarView()   // the pending run of text, decoded when flushed
        var link: String?   // the open link's target
        var linkText = ""
        func flush() {
            let decoded = decodeEntities(String(text))
            out.append(contentsOf: decoded.unicodeScalars)
            if link != nil { linkText += decoded }
            text.removeAll()
        }
        func newline() {
            flush()
            if let last = out.last, last != "\n" { out.append("\n") }
        }
        var i = 0
        while i < s.count {
            if s[i] == "<", hasPrefix(s, at: i, "<!--") {
                flush()
                removed.comments += 1
                i = (find(s, "-->", from: i + 4).map { $0 + 3 }) ?? s.count
                continue
            }
            guard s[i] == "<", let tag = tag(s, at: i) else {
                text.append(s[i])
                i += 1
                continue
            }
            i = tag.end + 1
            if !tag.closing, unseen.contains(tag.name) || isHidden(tag) {
                flush()
                removed.hiddenElements += 1
                if !void.contains(tag.name), !tag.attributes.hasSuffix("/") { i = endOfElement(s, named: tag.name, from: i) }
                continue
            }
            if tag.name == "a" {
                flush()
                if tag.closing, let href = link {
                    if !href.isEmpty, linkText.trimmed != href { out.append(contentsOf: " (\(href))".unicodeScalars) }
                    link = nil
                } else if !tag.closing {
                    link = attribute("href", in: tag.attributes) ?? ""
                    linkText = ""
                }
                continue
            }
            if tag.name == "li", !tag.closing {
                newline()
                out.append(contentsOf: "- ".unicodeScalars)
            } else if blocks.contains(tag.name) {
                newline()
            } else {
                flush()
            }
        }
        flush()
        return String(out)
    }

    /// Hidden by the `hidden` attribute or by inline style.
    static func isHidden(_ tag: Tag) -> Bool {
        let attributes = tag.attributes.lowercased()
        if attribute("hidden", in: attributes) != nil { return true }
        guard let style = attribute("style", in: attributes) else { return false }
        let compact = String(style.unicodeScalars.filter { !$0.properties.isWhitespace })
        return ["display:none", "visibility:hidden", "font-size:0;", "font-size:0px", "opacity:0;", "max-height:0", "width:0;height:0"]
            .contains { compact.contains($0) } || compact.hasSuffix("font-size:0") || compact.hasSuffix("opacity:0")
    }

    /// The value of attribute `name` (empty for a bare attribute), nil when absent.
    static func attribute(_ name: String, in attributes: String) -> String? {
        let s = Array(attributes.unicodeScalars)
        let key = Array(name.unicodeScalars)
        var i = 0
        while i < s.count {
            let boundary = i == 0 || s[i - 1].properties.isWhitespace
            if boundary, i + key.count <= s.count,
               String(String.UnicodeScalarView(s[i..<(i + key.count)])).lowercased() == name {
                var j = i + key.count
                guard j == s.count || s[j] == "=" || s[j].properties.isWhitespace || s[j] == "/" else { i += 1; continue }
                while j < s.count, s[j].properties.isWhitespace { j += 1 }
                guard j < s.count, s[j] == "=" else { return "" }
                j += 1
                while j < s.count, s[j].properties.isWhitespace { j += 1 }
                guard j < s.count else { return "" }
                var value = String.UnicodeScalarView()
                if s[j] == "\"" || s[j] == "'" {
                    let quote = s[j]
                    j += 1
                    while j < s.count, s[j] != quote { value.append(s[j]); j += 1 }
                } else {
                    while j < s.count, !s[j].properties.isWhitespace, s[j] != "/" { value.append(s[j]); j += 1 }
                }
                return decodeEntities(String(value))
            }
            i += 1
        }
        return nil
    }

    /// Just past the end tag closing the element `name` opened before `start` (nested ones of the same name counted).
    private static func endOfElement(_ s: [Unicode.Scalar], named name: String, from start: Int) -> Int {
        var depth = 1
        var i = start
        while i < s.count {
            if s[i] == "<", let tag = tag(s, at: i), tag.name == name {
                depth += tag.closing ? -1 : (tag.attributes.hasSuffix("/") ? 0 : 1)
                i = tag.end + 1
                if depth == 0 { return i }
                continue
            }
            i += 1
        }
        return s.count
    }

    private static func hasPrefix(_ s: [Unicode.Scalar], at index: Int, _ prefix: String) -> Bool {
        let p = Array(prefix.unicodeScalars)
        return index + p.count <= s.count && Array(s[index..<(index + p.count)]) == p
    }

    private static func find(_ s: [Unicode.Scalar], _ needle: String, from start: Int) -> Int? {
        var i = start
        while i < s.count {
            if hasPrefix(s, at: i, needle) { return i }
            i += 1
        }
        return nil
    }

    /// `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&apos;`, `&#39;`, `&nbsp;` and numeric references; others stay as written.
    static func decodeEntities(_ text: String) -> String {
        guard text.utf8.contains(UInt8(ascii: "&")) else { return text }
        let named: [String: Unicode.Scalar] = ["amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": " "]
        let s = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        var i = 0
        while i < s.count {
            if s[i] == "&", let semicolon = s[(i + 1)..<min(s.count, i + 12)].firstIndex(of: ";") {
                let body = String(String.UnicodeScalarView(s[(i + 1)..<semicolon]))
                var decoded: Unicode.Scalar?
                if body.hasPrefix("#x") || body.hasPrefix("#X") {
                    decoded = UInt32(body.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init)
                } else if body.hasPrefix("#") {
                    decoded = UInt32(body.dropFirst(), radix: 10).flatMap(Unicode.Scalar.init)
                } else {
                    decoded = named[body.lowercased()]
                }
                if let decoded {
                    out.append(decoded)
                    i = semicolon + 1
                    continue
                }
            }
            out.append(s[i])
            i += 1
        }
        return String(out)
    }
}
