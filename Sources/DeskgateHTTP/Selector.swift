import CLinux
#if canImport(Glibc)
import Glibc
#endif

/// Readiness notification over epoll, level-triggered. The loop never calls epoll itself.
final class Selector {
    static let readable = EPOLLIN.rawValue | EPOLLRDHUP.rawValue
    static let writable = EPOLLOUT.rawValue
    static let hangup = EPOLLHUP.rawValue | EPOLLERR.rawValue | EPOLLRDHUP.rawValue

    private let epollFD: Int32
    private var events: [epoll_event]

    init(capacity: Int = 512) throws {
        epollFD = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard epollFD >= 0 else { throw SystemError.call("epoll_create1", errno) }
        events = Array(repeating: epoll_event(), count: capacity)
    }

    deinit { close(epollFD) }

    func register(_ fd: Int32, interest: UInt32) {
        control(EPOLL_CTL_ADD, fd, interest)
    }

    func reregister(_ fd: Int32, interest: UInt32) {
        control(EPOLL_CTL_MOD, fd, interest)
    }

    func deregister(_ fd: Int32) {
        var event = epoll_event()
        epoll_ctl(epollFD, EPOLL_CTL_DEL, fd, &event)
    }

    private func control(_ operation: Int32, _ fd: Int32, _ interest: UInt32) {
        var event = epoll_event()
        event.events = interest
        event.data.fd = fd
        epoll_ctl(epollFD, operation, fd, &event)
    }

    /// Waits up to `timeoutMilliseconds` (-1: for ever); returns how many events `event(at:)` can read.
    func wait(timeoutMilliseconds: Int32) -> Int {
        let count = events.withUnsafeMutableBufferPointer { buffer in
            epoll_wait(epollFD, buffer.baseAddress, Int32(buffer.count), timeoutMilliseconds)
        }
        return max(0, Int(count))
    }

    func event(at index: Int) -> (fd: Int32, events: UInt32) {
        (events[index].data.fd, events[index].events)
    }
}
