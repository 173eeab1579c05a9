import DeskgateHTTP
import DeskgateIdentity
import DeskgateJSON
import DeskgateSystem
import Dispatch

/// Streamable HTTP's answer to a write that may wait for a person (`MCPAnswer.offloadMayAsk`):
/// an event stream. The write's work runs off the loop; if it must wait, the stream carries the
/// `elicitation/create` request, then the call's answer once the approval is decided (read
/// from the database every second, so a decision recorded by any process counts), or a refusal
/// when it expires or the client goes away. Otherwise the stream carries the answer at once.
struct ApprovalStream {
    let service: MCPService
    let cors: HTTPHeaders

    static let pollMilliseconds = 1_000
    /// A comment this often keeps proxies from dropping a stream that waits for a person.
    static let keepAliveMilliseconds: Int64 = 15_000

    func reply(_ work: @escaping @Sendable (ReadHandle) -> MCPAnswer, context: RequestContext) -> Reply {
        var headers = cors
        headers.add("Content-Type", "text/event-stream")
        headers.add("Cache-Control", "no-cache")
        headers.add("X-Accel-Buffering", "no")
        let storage = service.storage
        // Writes run on the pool's reserved lane, as every write does (slow reads never hold them).
        let submit = context.submitter(lane: .reserved)
        return context.stream(headers: headers) { stream in
            let queued = submit {
                let answer = (try? storage.withReader { reader in try reader.snapshot { work(reader) } })
                    ?? .error(.unavailable, id: nil)
                guard case .awaitingApproval(let wait, let id) = answer else {
                    Self.finish(stream, with: answer)
                    return
                }
                Self.send(wait.request, on: stream)
                Self.await(wait, id: id, stream: stream, storage: storage)
            }
            if !queued { Self.finish(stream, with: .error(.unavailable, id: nil)) }
        }
    }

    /// Polls once a second by rescheduling itself (no timer object to share across threads);
    /// stops when the stream closes.
    private static func await(_ wait: ApprovalWait, id: JSONRPCID, stream: EventStream, storage: Storage,
                              quietSince: Int64 = WallClock.milliseconds()) {
        DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(pollMilliseconds)) {
            guard !stream.isClosed else { return }
            let now = WallClock.milliseconds()
            // A read fault keeps waiting: the decision is in the database, not lost.
            guard let outcome = (try? storage.withReader { reader in try reader.snapshot { wait.poll(reader) } }) ?? nil else {
                var quiet = quietSince
                if now - quietSince >= keepAliveMilliseconds {
                    stream.send(Array(": waiting for approval\n\n".utf8))
                    quiet = now
                }
                Self.await(wait, id: id, stream: stream, storage: storage, quietSince: quiet)
                return
            }
            send(wait.completed, on: stream)
            finish(stream, with: MCPAnswer(outcome, id: id))
        }
    }

    private static func send(_ message: JSONValue, on stream: EventStream) {
        stream.send(ServerSentEvent(event: "message", data: message.text))
    }

    private static func finish(_ stream: EventStream, with answer: MCPAnswer) {
        if let message = answer.message { send(message, on: stream) }
        stream.finish()
    }
}
