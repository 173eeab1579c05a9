/// Streams JSON straight into a byte buffer, for hot paths that would otherwise build a
/// `JSONValue` tree only to encode it once.
///
/// Commas are automatic: a single flag records whether the next key or element needs one,
/// which is enough because a comma is needed exactly when something was just completed at the
/// current level. The writer does not check structure (balanced begin/end, keys only inside
/// objects); misuse produces invalid JSON, which the tests of each caller will show.
///
/// Noncopyable, over a `ByteSink`: a write is a store after a capacity check, where
/// `[UInt8].append(contentsOf:)` cost ~110 instructions per piece (callgrind), and a reply is
/// written in a few dozen pieces. The buffer is freed when the writer goes away.
public struct JSONWriter: ~Copyable {
    private var sink: ByteSink
    private var needsComma = false

    public init(capacity: Int = 256) {
        sink = ByteSink(capacity: capacity)
    }

    deinit { sink.release() }

    /// What was written so far.
    public var bytes: [UInt8] { Array(sink.buffer) }

    /// How many bytes were written so far.
    public var count: Int { sink.count }

    /// Appends what was written to `out` (e.g. after an HTTP head or an SSE prefix).
    public func append(to out: inout [UInt8]) {
        out.append(contentsOf: sink.buffer)
    }

    public mutating func beginObject() {
        separate()
        sink.append(UInt8(ascii: "{"))
        needsComma = false
    }

    public mutating func endObject() {
        sink.append(UInt8(ascii: "}"))
        needsComma = true
    }

    public mutating func beginArray() {
        separate()
        sink.append(UInt8(ascii: "["))
        needsComma = false
    }

    public mutating func endArray() {
        sink.append(UInt8(ascii: "]"))
        needsComma = true
    }

    /// Writes `"k":`; the value written next belongs to it.
    public mutating func key(_ k: String) {
        separate()
        JSONOutput.appendString(k, to: &sink)
        sink.append(UInt8(ascii: ":"))
        needsComma = false
    }

    /// `key(_:)` for a name written in the source: copied as is, no escaping scan (which cost
    /// ~200 instructions per key, callgrind). Only for plain ASCII names without `"` or `\`.
    public mutating func key(literal k: StaticString) {
        assert(Self.isPlain(k), "key(literal:) needs a name that JSON need not escape")
        separate()
        sink.append(UInt8(ascii: "\""))
        k.withUTF8Buffer { sink.appendBytes($0) }
        sink.append(UInt8(ascii: "\""))
        sink.append(UInt8(ascii: ":"))
        needsComma = false
    }

    /// `string(_:)` for a value written in the source, under the same rule as `key(literal:)`.
    public mutating func string(literal s: StaticString) {
        assert(Self.isPlain(s), "string(literal:) needs text that JSON need not escape")
        separate()
        sink.append(UInt8(ascii: "\""))
        s.withUTF8Buffer { sink.appendBytes($0) }
        sink.append(UInt8(ascii: "\""))
        needsComma = true
    }

    /// Bytes written in the source, copied as they are, commas included: a fixed stretch of a
    /// template such as `,"subject":`. The value written next gets no comma of its own.
    public mutating func fragment(_ s: StaticString) {
        s.withUTF8Buffer { sink.appendBytes($0) }
        needsComma = false
    }

    /// A string value known to need no escaping (enum raw values, timestamps, ASCII ids):
    /// quoted and copied without the escaping scan. Debug builds check the promise.
    public mutating func string(plain s: String) {
        separate()
        sink.append(UInt8(ascii: "\""))
        assert(s.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x80 && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") },
               "string(plain:) needs text that JSON need not escape")
        appendInPlace(s)
        sink.append(UInt8(ascii: "\""))
        needsComma = true
    }

    /// `string(plain:)` for bytes held elsewhere (an inline timestamp), under the same promise.
    public mutating func string(plainBytes bytes: UnsafeBufferPointer<UInt8>) {
        separate()
        sink.append(UInt8(ascii: "\""))
        assert(bytes.allSatisfy { $0 >= 0x20 && $0 < 0x80 && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") },
               "string(plainBytes:) needs text that JSON need not escape")
        sink.appendBytes(bytes)
        sink.append(UInt8(ascii: "\""))
        needsComma = true
    }

    static func isPlain(_ s: StaticString) -> Bool {
        s.withUTF8Buffer { $0.allSatisfy { $0 >= 0x20 && $0 < 0x80 && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") } }
    }

    public mutating func string(_ s: String) {
        separate()
        JSONOutput.appendString(s, to: &sink)
        needsComma = true
    }

    /// `string(s)`, or `null` when `s` is nil.
    public mutating func string(_ s: String?) {
        if let s { string(s) } else { null() }
    }

    // MARK: a string value in pieces (text renderings written in the same pass as the data)

    /// Opens a string value; `stringPart` appends escaped pieces, `endString` closes it.
    public mutating func beginString() {
        separate()
        sink.append(UInt8(ascii: "\""))
    }

    /// A piece of an open string written in the source, copied as is: plain ASCII without `"`,
    /// `\` or control characters (debug builds check); a line break is `stringNewline()`.
    public mutating func stringPart(literal s: StaticString) {
        assert(Self.isPlain(s), "stringPart(literal:) needs text that JSON need not escape")
        s.withUTF8Buffer { sink.appendBytes($0) }
    }

    /// A line break inside an open string (`\n`).
    public mutating func stringNewline() {
        sink.append(UInt8(ascii: "\\"))
        sink.append(UInt8(ascii: "n"))
    }

    /// A piece of an open string known to need no escaping (see `string(plain:)`).
    public mutating func stringPart(plain s: String) {
        appendInPlace(s)
    }

    /// `stringPart(plain:)` for bytes held elsewhere.
    public mutating func stringPart(plainBytes bytes: UnsafeBufferPointer<UInt8>) {
        sink.appendBytes(bytes)
    }

    public mutating func stringPart(_ s: String) {
        JSONOutput.appendStringContent(s, to: &sink)
    }

    /// The decimal digits of `i` inside an open string.
    public mutating func stringPart(_ i: Int) {
        JSONOutput.appendInt(i, to: &sink)
    }

    public mutating func endString() {
        sink.append(UInt8(ascii: "\""))
        needsComma = true
    }

    // MARK: other values

    public mutating func number(_ i: Int) {
        separate()
        JSONOutput.appendInt(i, to: &sink)
        needsComma = true
    }

    /// Traps on NaN or infinity, like `JSONNumber.init(_: Double)`.
    public mutating func number(_ d: Double) {
        separate()
        JSONOutput.appendDouble(d, to: &sink)
        needsComma = true
    }

    public mutating func number(_ n: JSONNumber) {
        separate()
        appendInPlace(n.text)
        needsComma = true
    }

    public mutating func bool(_ b: Bool) {
        separate()
        JSONOutput.appendLiteral(b ? "true" : "false", to: &sink)
        needsComma = true
    }

    public mutating func null() {
        separate()
        JSONOutput.appendLiteral("null", to: &sink)
        needsComma = true
    }

    public mutating func value(_ v: JSONValue) {
        separate()
        v.write(to: &sink)
        needsComma = true
    }

    /// Inserts already-encoded JSON (e.g. a cached tool schema) as one value; not validated.
    public mutating func raw(_ alreadyEncoded: [UInt8]) {
        separate()
        alreadyEncoded.withUnsafeBufferPointer { sink.appendBytes($0) }
        needsComma = true
    }

    /// The text's bytes copied as they are, read in place where the text is contiguous (native
    /// strings always are): a mutable copy for `withUTF8` cost a retain and a release each.
    private mutating func appendInPlace(_ s: String) {
        if s.utf8.withContiguousStorageIfAvailable({ sink.appendBytes($0) }) != nil { return }
        var text = s
        text.withUTF8 { sink.appendBytes($0) }
    }

    @inline(__always)
    private mutating func separate() {
        if needsComma { sink.append(UInt8(ascii: ",")) }
    }
}
