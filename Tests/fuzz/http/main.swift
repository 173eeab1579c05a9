// libFuzzer harness for the HTTP/1.1 request parser (scripts/fuzz http). Beyond "no crash, no
// memory error" (address sanitizer), it checks that the parser is truly incremental: the bytes
// fed all at once, one at a time, or in chunks of sizes taken from the input itself give the
// same requests and the same refusal. A parser that decides differently depending on where a
// read() happened to end is how request smuggling starts.
@testable import DeskgateHTTP
#if canImport(Glibc)
import Glibc
#endif

/// What a connection would see: each request's head and body, then the refusal if any.
struct Transcript: Equatable {
    var events: [String] = []
}

func run(_ input: UnsafeBufferPointer<UInt8>, chunks: (Int) -> Int) -> Transcript {
    var limits = ParserLimits()
    limits.maxBodyBytes = 4096   // small enough that the fuzzer reaches the 413 path
    limits.maxHeaderBytes = 2048
    limits.maxRequestLineBytes = 512
    var parser = RequestParser(limits: limits)
    var buffer: [UInt8] = []
    var readIndex = 0
    var transcript = Transcript()
    var fed = 0, round = 0
    while fed < input.count {
        let size = max(1, min(chunks(round), input.count - fed))
        buffer.append(contentsOf: UnsafeBufferPointer(rebasing: input[fed..<(fed + size)]))
        fed += size
        round += 1
        parsing: while true {
            switch parser.parse(buffer, from: &readIndex) {
            case .needMore: break parsing
            case .continueExpected: continue   // depends on whether body bytes came along: not compared
            case .request(let head, let body):
                let fields = head.headers.map { "\($0.name): \($0.value)" }.joined(separator: "|")
                transcript.events.append("\(head.method) \(head.target) \(head.version) keepAlive=\(head.keepAlive) [\(fields)] "
                                         + "body=\(body)")
            case .failure(let error):
                transcript.events.append("refused \(error.status.code) \(error.reason)")
                return transcript
            }
        }
        // What Connection.compactInput does, at its thresholds' extreme: drop consumed bytes.
        if readIndex > 0 {
            buffer.removeFirst(readIndex)
            readIndex = 0
        }
    }
    return transcript
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
