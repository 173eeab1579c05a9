/// Where in a statement's text PostgreSQL reads code, as opposed to literal text it passes over:
/// string constants ('…', E'…' with backslash escapes, $tag$…$tag$), quoted identifiers ("…")
/// and comments (`--` to the line end, nested `/* */`). A `?` or a `;` means something only in
/// code, so parameter rewriting and statement splitting look there alone.
enum SQLCode {
    /// The byte ranges of `sql` that are code, in order. An unterminated quote or comment runs
    /// to the end of the text (the server then refuses the statement; nothing in it is rewritten).
    static func ranges(in sql: [UInt8]) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var start = 0
        var i = 0
        while i < sql.count {
            if let end = literalEnd(in: sql, at: i) {
                if start < i { ranges.append(start..<i) }
                i = end
                start = end
            } else {
                i += 1
            }
        }
        if start < sql.count { ranges.append(start..<sql.count) }
        return ranges
    }

    /// The first word of each statement in `script`, uppercased ("BEGIN", "COMMIT", "CREATE", …);
    /// a statement that starts with no word (empty, or only a comment) gives none.
    static func leadingKeywords(_ script: String) -> [String] {
        let sql = Array(script.utf8)
        var keywords: [String] = []
        var atStatementStart = true
        for range in ranges(in: sql) {
            var i = range.lowerBound
            while i < range.upperBound {
                let byte = sql[i]
                if byte == UInt8(ascii: ";") {
                    atStatementStart = true
                    i += 1
                } else if atStatementStart && isLetter(byte) {
                    var end = i
                    while end < range.upperBound && isIdentifierByte(sql[end]) { end += 1 }
                    keywords.append(String(decoding: sql[i..<end], as: UTF8.self).uppercased())
                    atStatementStart = false
                    i = end
                } else {
                    // Anything but blank space before the first word means the statement does not
                    // start with one (e.g. a parenthesised SELECT).
                    if !isSpace(byte) { atStatementStart = false }
                    i += 1
                }
            }
        }
        return keywords
    }

    /// If a string constant, quoted identifier, dollar quote or comment starts at `i`, the index
    /// just past its end.
    private static func literalEnd(in sql: [UInt8], at i: Int) -> Int? {
        let byte = sql[i]
        let next: UInt8? = i + 1 < sql.count ? sql[i + 1] : nil
        switch byte {
        case UInt8(ascii: "'"):
            // E'…' (an E that is a token of its own, not an identifier's last letter) honours
            // backslash escapes, so \' does not end it; plain strings take '' only.
            let escapes = i >= 1 && (sql[i - 1] == UInt8(ascii: "E") || sql[i - 1] == UInt8(ascii: "e"))
                && (i < 2 || !isIdentifierByte(sql[i - 2]))
            return quotedEnd(in: sql, from: i + 1, quote: byte, backslashEscapes: escapes)
        case UInt8(ascii: "\""):
            return quotedEnd(in: sql, from: i + 1, quote: byte, backslashEscapes: false)
        case UInt8(ascii: "-") where next == UInt8(ascii: "-"):
            var j = i + 2
            while j < sql.count && sql[j] != UInt8(ascii: "\n") { j += 1 }
            return j
        case UInt8(ascii: "/") where next == UInt8(ascii: "*"):
            var depth = 1
            var j = i + 2
            while j < sql.count && depth > 0 {
                if sql[j] == UInt8(ascii: "/") && j + 1 < sql.count && sql[j + 1] == UInt8(ascii: "*") {
                    depth += 1
                    j += 2
                } else if sql[j] == UInt8(ascii: "*") && j + 1 < sql.count && sql[j + 1] == UInt8(ascii: "/") {
                    depth -= 1
                    j += 2
                } else {
                    j += 1
                }
            }
            return j
        case UInt8(ascii: "$"):
            return dollarQuoteEnd(in: sql, at: i)
        default:
            return nil
        }
    }

    private static func quotedEnd(in sql: [UInt8], from start: Int, quote: UInt8, backslashEscapes: Bool) -> Int {
        var j = start
        while j < sql.count {
            if backslashEscapes && sql[j] == UInt8(ascii: "\\") {
                j += 2
            } else if sql[j] == quote {
                // A doubled quote stands for itself and does not end the text.
                if j + 1 < sql.count && sql[j + 1] == quote { j += 2 } else { return j + 1 }
            } else {
                j += 1
            }
        }
        return sql.count
    }

    /// `$tag$ … $tag$` (the tag may be empty). A `$` inside an identifier (`a$b`) or before a
    /// digit (`$1`) is no quote.
    private static func dollarQuoteEnd(in sql: [UInt8], at i: Int) -> Int? {
        if i > 0 && isIdentifierByte(sql[i - 1]) { return nil }
        var j = i + 1
        if j < sql.count && isLetter(sql[j]) {
            while j < sql.count && isIdentifierByte(sql[j]) && sql[j] != UInt8(ascii: "$") { j += 1 }
        }
        guard j < sql.count && sql[j] == UInt8(ascii: "$") else { return nil }
        let tag = sql[i...j]
        var k = j + 1
        while k + tag.count <= sql.count {
            if sql[k] == UInt8(ascii: "$") && sql[k..<(k + tag.count)].elementsEqual(tag) { return k + tag.count }
            k += 1
        }
        return sql.count
    }

    /// Letters, `_` and any non-ASCII byte: what may start an identifier.
    static func isLetter(_ byte: UInt8) -> Bool {
        (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z") || byte == UInt8(ascii: "_") || byte >= 0x80
    }

    /// What may continue an identifier: letters, digits, `_`, `$` and non-ASCII bytes.
    static func isIdentifierByte(_ byte: UInt8) -> Bool {
        isLetter(byte) || isDigit(byte) || byte == UInt8(ascii: "$")
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    static func isSpace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r") || byte == 0x0C
    }
}
