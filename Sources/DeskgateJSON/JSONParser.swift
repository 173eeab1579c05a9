/// Strict RFC 8259 parsing: exactly one value, optional whitespace around it, nothing else.
/// No comments, trailing commas, single quotes, NaN/Infinity, leading zeros or duplicate keys:
/// a JSON-RPC server that guesses what a malformed request meant can be steered by it.
public struct JSONParser {
    /// `knownStrings`: strings the caller expects often, returned shared instead of decoded
    /// anew (see `JSONKnownStrings`); the result is equal with or without them.
    public static func parse(_ bytes: [UInt8], limits: JSONLimits = .init(),
                             knownStrings: JSONKnownStrings? = nil) throws(JSONError) -> JSONValue {
        // `withUnsafeBufferPointer` rethrows untyped errors, so carry the typed one out in a Result.
        let result = bytes.withUnsafeBufferPointer { buffer in
            Result { () throws(JSONError) -> JSONValue in try parse(buffer, limits: limits, knownStrings: knownStrings) }
        }
        return try result.get()
    }

    public static func parse(_ text: String, limits: JSONLimits = .init()) throws(JSONError) -> JSONValue {
        var text = text
        let result = text.withUTF8 { buffer in
            Result { () throws(JSONError) -> JSONValue in try parse(buffer, limits: limits) }
        }
        return try result.get()
    }

    /// For callers that already hold the bytes in place (e.g. an HTTP body in a read buffer).
    public static func parse(_ buffer: UnsafeBufferPointer<UInt8>, limits: JSONLimits = .init(),
                             knownStrings: JSONKnownStrings? = nil) throws(JSONError) -> JSONValue {
        var scanner = JSONScanner(bytes: buffer, limits: limits, knownStrings: knownStrings)
        return try scanner.scanDocument()
    }
}
