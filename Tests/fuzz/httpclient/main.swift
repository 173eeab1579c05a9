// libFuzzer harness for the outbound client's HTTP/1.1 response parser (scripts/fuzz
// httpclient). Beyond "no crash, no memory error" (address sanitizer), it checks that the parser
// is truly incremental: a response fed all at once, one byte at a time, or in chunks of sizes
// taken from the input itself gives the same head, the same body and the same refusal. A server
// chooses where its segments end; that must not change what we accept.
@testable import DeskgateHTTPClient
#if canImport(Glibc)
import Glibc
#endif

/// What the exchange would see: the head, then the body or the refusal.
struct Transcript: Equatable {
    var events: [String] = []
}

func run(_ input: UnsafeBufferPointer<UInt8>, chunks: (Int) -> Int) -> Transcript {
    // Small enough that the fuzzer reaches the size limits.
    var parser = ResponseParser(maxBodyBytes: 600)
    var transcript = Transcript()
    var fed = 0, round = 0
    var bodyBegun = false
    do throws(HTTPClientError) {
        while true {
            if let head = parser.head, !bodyBegun {
                let fields = head.headers.map { "\($0.name): \($0.value)" }.joined(separator: "|")
                transcript.events.append("head \(head.status) http10=\(head.isHTTP10) [\(fields)]")
                try parser.beginBody()
                bodyBegun = true
            }
            if let response = parser.response {
                transcript.events.append("body=\(response.body)")
                return transcript
            }
            if fed == input.count {
                // End of stream: only a close-delimited body may end here.
                try parser.finish()
                transcript.events.append("body at close=\(parser.response?.body ?? [])")
                return transcript
            }
            let size = max(1, min(chunks(round), input.count - fed))
            try parser.feed(Array(UnsafeBufferPointer(rebasing: input[fed..<(fed + size)])))
            fed += size
            round += 1
        }
    } catch {
        transcript.events.append("refused \(error)")
        return transcript
    }
}

/// Says what differed, then aborts (libFuzzer saves the input). `precondition` drops its message
/// in release builds.
func mismatch(_ what: String, _ a: Transcript, _ b: Transcript) -> Never {
    print("\(what):\n  whole: \(a.events)\n  other: \(b.events)")
    fflush(nil)   // all streams (stdout itself is not concurrency-safe to name)
    abort()
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = UnsafeBufferPointer(start: data, count: size)
    let whole = run(input) { _ in Int.max }
    let bytewise = run(input) { _ in 1 }
    if whole != bytewise { mismatch("one-byte reads changed the outcome", whole, bytewise) }
    // Chunk sizes from the input's own bytes, so the fuzzer can steer where reads end.
    let seeded = run(input) { round in size == 0 ? 1 : Int(input[round % size] % 17) + 1 }
    if whole != seeded { mismatch("chunked reads changed the outcome", whole, seeded) }
    return 0
}
