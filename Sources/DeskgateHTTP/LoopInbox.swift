import CLinux
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Messages other threads send to an event loop. They carry only Sendable values;
/// the loop applies them to the state it alone owns.
enum LoopMessage: Sendable {
    case respond(ConnectionRef, Response)
    case streamData(ConnectionRef, [UInt8])
    case streamEnd(ConnectionRef)
    case shutdown(graceSeconds: Double)
}

/// Identifies one request on one connection, so a late completion can never reach
/// a different connection that reused the descriptor, or a later request.
struct ConnectionRef: Sendable, Equatable {
    let fd: Int32
    let connectionID: UInt64
    let serial: UInt64
}

/// A queue into one loop, woken through an eventfd (one write per empty→non-empty transition).
final class LoopInbox: Sendable {
    let eventFD: Int32
    private let queue = Mutex<[LoopMessage]>([])

    init() throws {
        let fd = eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC))
        guard fd >= 0 else { throw SystemError.call("eventfd", errno) }
        eventFD = fd
    }

    func post(_ message: LoopMessage) {
        let wasEmpty = queue.withLock { messages in
            messages.append(message)
            return messages.count == 1
        }
        if wasEmpty {
            var one: UInt64 = 1
            _ = write(eventFD, &one, 8)
        }
    }

    /// Called by the loop when the eventfd is readable.
    func drain() -> [LoopMessage] {
        var counter: UInt64 = 0
        _ = read(eventFD, &counter, 8)
        return queue.withLock { messages in
            let drained = messages
            messages.removeAll(keepingCapacity: true)
            return drained
        }
    }
}

/// A failed system call, with the name of the call and errno.
public struct SystemError: Error, CustomStringConvertible, Sendable {
    public let call: String
    public let code: Int32

    static func call(_ call: String, _ code: Int32) -> SystemError { SystemError(call: call, code: code) }

    public var description: String { "\(call): \(String(cString: strerror(code)))" }
}
