/// A JSON string value on its own, for callers that write the rest of a line themselves in a
/// hot path (the log and access log lines): the same escaping as `JSONWriter`, no tree, no
/// second buffer.
public enum JSONQuoted {
    /// Appends `text` quoted and escaped to `out`.
    public static func append(_ text: String, to out: inout [UInt8]) {
        JSONOutput.appendString(text, to: &out)
    }

    /// `text` quoted and escaped, e.g. for a JSON snippet shown on a page.
    public static func string(_ text: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + 2)
        JSONOutput.appendString(text, to: &out)
        return String(decoding: out, as: UTF8.self)
    }
}
