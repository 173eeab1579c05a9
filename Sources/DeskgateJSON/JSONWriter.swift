/// Streams JSON straight into a byte buffer, for hot paths that would otherwise build a
/// `JSONValue` tree only to encode it once.
///
/// Commas are automatic: a single flag records whether the next key or element needs one,
/// which is enough because a comma is needed exactly when something was just completed at the
/// current level. The writer does not check structure (balanced begin/end, keys only inside
/// objects); misuse produces invalid JSON, which the tests of each caller will show.
public struct JSONWriter {
    public var bytes: [UInt8]
    private var needsComma = false

    public init(capacity: Int = 256) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    public mutating func beginObject() {
        separate()
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
    }

    public mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    public mutating func beginArray() {
        separate()
        bytes.append(UInt8(ascii: "["))
        needsComma = false
    }

    public mutating func endArray() {
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    /// Writes `"k":`; the value written next belongs to it.
    public mutating func key(_ k: String) {
        separate()
        JSONOutput.appendString(k, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    public mutating func string(_ s: String) {
        separate()
        JSONOutput.appendString(s, to: &bytes)
        needsComma = true
    }

    public mutating func number(_ i: Int) {
        separate()
        JSONOutput.appendInt(i, to: &bytes)
        needsComma = true
    }

    /// Traps on NaN or infinity, like `JSONNumber.init(_: Double)`.
    public mutating func number(_ d: Double) {
        separate()
        JSONOutput.appendDouble(d, to: &bytes)
        needsComma = true
    }

    public mutating func number(_ n: JSONNumber) {
        separate()
        bytes.append(contentsOf: n.text.utf8)
        needsComma = true
    }

    public mutating func bool(_ b: Bool) {
        separate()
        JSONOutput.appendLiteral(b ? "true" : "false", to: &bytes)
        needsComma = true
    }

    public mutating func null() {
        separate()
        JSONOutput.appendLiteral("null", to: &bytes)
        needsComma = true
    }

    public mutating func value(_ v: JSONValue) {
        separate()
        v.encode(into: &bytes)
        needsComma = true
    }

    /// Inserts already-encoded JSON (e.g. a cached tool schema) as one value; not validated.
    public mutating func raw(_ alreadyEncoded: [UInt8]) {
        separate()
        bytes.append(contentsOf: alreadyEncoded)
        needsComma = true
    }

    @inline(__always)
    private mutating func separate() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
    }
}
