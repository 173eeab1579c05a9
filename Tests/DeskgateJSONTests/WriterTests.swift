import DeskgateJSON
import Testing

@Suite("JSONWriter")
struct WriterTests {
    @Test func matchesEncodingAValueTree() {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("jsonrpc"); writer.string("2.0")
        writer.key("id"); writer.number(7)
        writer.key("result")
        writer.beginObject()
        writer.key("content")
        writer.beginArray()
        writer.beginObject()
        writer.key("type"); writer.string("text")
        writer.key("text"); writer.string("Ticket #1042:\n\"Printer\" on fire\u{2028}")
        writer.endObject()
        writer.beginArray(); writer.endArray()
        writer.beginObject(); writer.endObject()
        writer.endArray()
        writer.key("score"); writer.number(0.25)
        writer.key("min"); writer.number(Int.min)
        writer.key("flags"); writer.beginArray(); writer.bool(true); writer.bool(false); writer.null(); writer.endArray()
        writer.key("isError"); writer.bool(false)
        writer.endObject()
        writer.endObject()

        let tree: JSONValue = [
            "jsonrpc": "2.0", "id": 7,
            "result": [
                "content": [["type": "text", "text": "Ticket #1042:\n\"Printer\" on fire\u{2028}"], [], [:]],
                "score": 0.25, "min": .number(JSONNumber(Int.min)), "flags": [true, false, nil], "isError": false,
            ],
        ]
        #expect(writer.bytes == tree.encoded())
    }

    @Test func valueRawAndNumberTextSlotIn() throws {
        let schema: JSONValue = ["type": "object", "properties": ["ticket": ["type": "integer"]]]
        let id = try JSONParser.parse("1e2")
        var writer = JSONWriter(capacity: 16)
        writer.beginArray()
        writer.raw(schema.encoded())
        writer.value(["a": [1, 2]])
        writer.number(id.numberValue!)
        writer.raw(Array("[]".utf8))
        writer.endArray()
        let expected: JSONValue = [schema, ["a": [1, 2]], id, []]
        #expect(writer.bytes == expected.encoded())
        #expect(try JSONParser.parse(writer.bytes) == expected)
    }

    @Test(arguments: [0, 7, -7, 10, 1_000_000, Int.max, Int.min])
    func intsMatchStringConversion(value: Int) {
        var writer = JSONWriter()
        writer.number(value)
        #expect(writer.bytes == Array(String(value).utf8))
    }

    /// JSON-RPC ids go back to the client exactly as sent.
    static let ids = ["1.0", "1e2", "1E+02", "-0", "7", "123456789012345678901234567890", #""abc""#, #""\u00e9""#, "null"]

    @Test(arguments: ids)
    func idsEcho(id: String) throws {
        let request = try JSONParser.parse(#"{"jsonrpc":"2.0","id":\#(id),"method":"ping"}"#)
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("jsonrpc"); writer.string("2.0")
        writer.key("id"); writer.value(try #require(request["id"]))
        writer.key("result"); writer.beginObject(); writer.endObject()
        writer.endObject()
        let echoed = id == #""\u00e9""# ? #""é""# : id  // strings are re-encoded, minimal escaping
        #expect(String(decoding: writer.bytes, as: UTF8.self) == #"{"jsonrpc":"2.0","id":\#(echoed),"result":{}}"#)
    }
}
