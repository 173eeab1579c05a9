import DeskgateJSON
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A value in a structured log line.
public enum LogValue: Sendable {
    case string(String)
    case int(Int)
    case double(Double)
    case bool(Bool)
}

extension LogValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}

/// One JSON object per line on stderr.
///
/// Callers pass only what is safe to keep: never a token, password, code or secret.
/// Request paths are logged without their query string for the same reason.
public enum Log {
    public enum Level: String, Sendable { case debug, info, warn, error }

    private static let sink = Mutex<Int32>(2)

    public static func info(_ event: String, _ fields: [String: LogValue] = [:]) { write(.info, event, fields) }
    public static func warn(_ event: String, _ fields: [String: LogValue] = [:]) { write(.warn, event, fields) }
    public static func error(_ event: String, _ fields: [String: LogValue] = [:]) { write(.error, event, fields) }

    public static func write(_ level: Level, _ event: String, _ fields: [String: LogValue]) {
        var line = JSONWriter(capacity: 160)
        line.beginObject()
        line.key(literal: "ts"); line.string(plain: Timestamp.iso8601(milliseconds: WallClock.milliseconds()))
        line.key(literal: "level"); line.string(plain: level.rawValue)
        line.key(literal: "event"); line.string(event)
        for key in fields.keys.sorted() {
            line.key(key)
            append(fields[key]!, to: &line)
        }
        line.endObject()
        var bytes: [UInt8] = []
        bytes.reserveCapacity(line.count + 1)
        line.append(to: &bytes)
        bytes.append(UInt8(ascii: "\n"))
        emit(bytes)
    }

    /// Writes pre-formatted lines (the access log batches them per loop iteration).
    public static func emit(_ bytes: [UInt8]) {
        // One writer at a time, so lines from different threads never interleave.
        sink.withLock { fd in writeAll(bytes, to: fd) }
    }

    /// Writes every byte (retrying short writes and EINTR); gives up quietly if the descriptor is gone.
    public static func writeAll(_ bytes: [UInt8], to fd: Int32) {
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n <= 0 { if errno == EINTR { continue }; return }
                offset += n
            }
        }
    }

    private static func append(_ value: LogValue, to line: inout JSONWriter) {
        switch value {
        case .string(let text): line.string(text)
        case .int(let number): line.number(number)
        case .double(let number): if number.isFinite { line.number(number) } else { line.null() }
        case .bool(let flag): line.bool(flag)
        }
    }
}
