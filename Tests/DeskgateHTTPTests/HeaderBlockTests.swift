import Testing
@testable import DeskgateHTTP

/// The parsed header block keeps its spans and bytes in one allocation: every field must come
/// back exactly, whatever the section's length.
@Suite struct HeaderBlockTests {
    @Test(arguments: [0, 1, 15, 16, 17, 31, 33, 1000])
    func fieldsComeBackExactly(_ valueLength: Int) {
        let value = String(repeating: "v", count: valueLength)
        let fields: [HTTPHeaders.Field] = [("Host", "example.test"), ("X-Empty", ""), ("X-Long", value), ("ACCEPT", "*/*")]
        let block = ParsedHeaderBlock.make(fields: fields)
        #expect(block.spanCount == 4)
        #expect(block.materialized().map(\.name) == ["host", "x-empty", "x-long", "accept"])
        #expect(block.materialized().map(\.value) == ["example.test", "", value, "*/*"])
        #expect(block.firstIndex("X-LONG") == 2 && block.firstIndex("x-missing") == nil)
        #expect(block.value(2, equals: value) && !block.value(2, equals: value + "v") && block.value(1, equals: ""))
        #expect(block.firstValue("accept") == "*/*")
    }

    /// Value bytes read in place agree with the value strings, parsed or built, and say nil
    /// for a field that is absent.
    @Test func valueBytesInPlace() {
        guard let (head, _) = firstRequest("GET / HTTP/1.1\r\nHost: a\r\nAccept: text/event-stream\r\nX-Empty:\r\n\r\n") else { return }
        let built = HTTPHeaders([("Host", "a"), ("Accept", "text/event-stream"), ("X-Empty", "")])
        for headers in [head.headers, built] {
            #expect(headers.withValueBytes("ACCEPT") { $0.map { Array($0) } } == Array("text/event-stream".utf8))
            #expect(headers.withValueBytes("x-empty") { $0?.count } == 0)
            #expect(headers.withValueBytes("content-type") { $0 == nil })
        }
    }

    @Test func namesComparedOnBytes() {
        let block = ParsedHeaderBlock.make(fields: [("Content-Length", "2"), ("Host", "a"), ("Hosts", "b")])
        #expect(block.name(0, is: "content-length") && block.name(1, is: "host") && !block.name(2, is: "host"))
        #expect(!block.name(1, is: "hose") && !block.name(0, is: "content-type"))
    }

    @Test func noFields() {
        let block = ParsedHeaderBlock.make(fields: [])
        #expect(block.spanCount == 0 && block.materialized().isEmpty && block.firstIndex("host") == nil)
    }

    @Test func parsedRequestKeepsEveryField() {
        guard let (head, body) = firstRequest("POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\nX-A: 1\r\nx-b:  two words \r\n\r\nhi")
        else { return }
        #expect(head.headers.fields.map(\.name) == ["host", "content-length", "x-a", "x-b"])
        #expect(head.headers["X-B"] == "two words")
        #expect(body == Array("hi".utf8))
    }
}
