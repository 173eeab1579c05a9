// libFuzzer harness for the JSON parser (scripts/fuzz json). Beyond "no crash, no memory error"
// (address sanitizer), it checks two properties the MCP endpoint relies on:
// - the known-string table is only a shortcut: a document parses to the same value, or fails
//   with the same error, with and without it;
// - what parses, encodes to bytes that parse back to the same value.
@testable import DeskgateJSON

/// Protocol strings of the kind the MCP endpoint registers, plus a few near misses.
let known = JSONKnownStrings(["jsonrpc", "2.0", "id", "method", "params", "name", "arguments", "_meta",
                              "tools/call", "tools/list", "initialize", "ticket", "cursor", "a", "ab", "abc",
                              "io.modelcontextprotocol/protocolVersion", "2026-07-28", "\u{00E9}", "x\u{2028}y"])
let limits = JSONLimits()

func outcome(_ bytes: UnsafeBufferPointer<UInt8>, _ table: JSONKnownStrings?) -> Result<JSONValue, JSONError> {
    Result { () throws(JSONError) -> JSONValue in try JSONParser.parse(bytes, limits: limits, knownStrings: table) }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let plain = outcome(bytes, nil)
    let shared = outcome(bytes, known)
    switch (plain, shared) {
    case (.success(let a), .success(let b)):
        precondition(a == b, "the known-string table changed the parsed value")
        let encoded = a.encoded()
        guard case .success(let again) = encoded.withUnsafeBufferPointer({ outcome($0, nil) }) else {
            preconditionFailure("our own encoding does not parse: \(String(decoding: encoded, as: UTF8.self))")
        }
        precondition(again == a, "encode then parse changed the value")
    case (.failure(let a), .failure(let b)):
        precondition(a.offset == b.offset && a.reason == b.reason, "the known-string table changed the error")
    default:
        preconditionFailure("the known-string table changed whether the document parses")
    }
    return 0
}
