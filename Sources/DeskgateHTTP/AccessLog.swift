import DeskgateJSON
import DeskgateSystem

/// One JSON line per request, batched per loop iteration into a single write.
///
/// The path is logged without its query string: queries can carry codes and tokens.
struct AccessLog {
    let enabled: Bool
    private var buffer: [UInt8] = []
    private var cachedSecond: Int64 = -1
    private var cachedPrefix: [UInt8] = []

    init(enabled: Bool) {
        self.enabled = enabled
        if enabled { buffer.reserveCapacity(64 * 1024) }
    }

    struct Entry {
        var requestID: RequestID
        var method: String
        var path: String
        var status: Int
        var bytes: Int
        var startedAt: UInt64
        var remote: String
    }

    /// `now`: when the response was encoded (the metrics read the same clock reading).
    mutating func record(_ entry: @autoclosure () -> Entry, now: UInt64) {
        guard enabled else { return }
        let entry = entry()
        let wallMilliseconds = WallClock.milliseconds()
        let second = wallMilliseconds / 1000
        if second != cachedSecond {
            cachedSecond = second
            cachedPrefix = Array(Timestamp.iso8601(seconds: second).dropLast().utf8)
        }
        buffer.append(contentsOf: "{\"ts\":\"".utf8)
        buffer.append(contentsOf: cachedPrefix)
        let millis = Int(wallMilliseconds % 1000)
        buffer.append(UInt8(ascii: "."))
        buffer.append(UInt8(ascii: "0") + UInt8(millis / 100))
        buffer.append(UInt8(ascii: "0") + UInt8(millis / 10 % 10))
        buffer.append(UInt8(ascii: "0") + UInt8(millis % 10))
        buffer.append(contentsOf: "Z\",\"level\":\"info\",\"event\":\"request\",\"request_id\":".utf8)
        buffer.append(UInt8(ascii: "\""))
        entry.requestID.appendHex(to: &buffer)
        buffer.append(UInt8(ascii: "\""))
        buffer.append(contentsOf: ",\"method\":".utf8)
        JSONQuoted.append(entry.method, to: &buffer)
        buffer.append(contentsOf: ",\"path\":".utf8)
        JSONQuoted.append(entry.path, to: &buffer)
        buffer.append(contentsOf: ",\"status\":".utf8)
        ResponseEncoder.appendDecimal(entry.status, into: &buffer)
        buffer.append(contentsOf: ",\"bytes\":".utf8)
        ResponseEncoder.appendDecimal(entry.bytes, into: &buffer)
        let micros = now >= entry.startedAt ? Int((now - entry.startedAt) / 1000) : 0
        buffer.append(contentsOf: ",\"duration_ms\":".utf8)
        ResponseEncoder.appendDecimal(micros / 1000, into: &buffer)
        buffer.append(UInt8(ascii: "."))
        let fraction = micros % 1000
        buffer.append(UInt8(ascii: "0") + UInt8(fraction / 100))
        buffer.append(UInt8(ascii: "0") + UInt8(fraction / 10 % 10))
        buffer.append(UInt8(ascii: "0") + UInt8(fraction % 10))
        buffer.append(contentsOf: ",\"remote\":".utf8)
        JSONQuoted.append(entry.remote, to: &buffer)
        buffer.append(contentsOf: "}\n".utf8)
    }

    mutating func flush() {
        guard !buffer.isEmpty else { return }
        Log.emit(buffer)
        buffer.removeAll(keepingCapacity: true)
    }
}
