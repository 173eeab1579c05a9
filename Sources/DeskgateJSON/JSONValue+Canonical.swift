// Canonical encoding: compact, object members sorted by their keys' UTF-8 bytes at every depth,
// so the same value written in any member order encodes to the same bytes (approvals, retries
// and the audit log hash it).
extension JSONValue {
    /// The canonical bytes; members of the top-level object named in `leavingOut` are left out.
    /// Written in one pass without building sorted copies of the objects (which cost ~20k
    /// instructions for a one-member object in the audit log's digest, callgrind).
    public func canonicalEncoded(leavingOut skipped: Set<String> = []) -> [UInt8] {
        var sink = ByteSink(capacity: 256)
        defer { sink.release() }
        writeCanonical(to: &sink, leavingOut: skipped)
        return Array(sink.buffer)
    }

    func writeCanonical(to out: inout ByteSink, leavingOut skipped: Set<String>) {
        switch self {
        case .array(let elements):
            out.append(UInt8(ascii: "["))
            for position in elements.indices {
                if position > 0 { out.append(UInt8(ascii: ",")) }
                elements[position].writeCanonical(to: &out, leavingOut: [])
            }
            out.append(UInt8(ascii: "]"))
        case .object(let object):
            out.append(UInt8(ascii: "{"))
            var first = true
            func member(_ key: String, _ value: JSONValue) {
                guard skipped.isEmpty || !skipped.contains(key) else { return }
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                JSONOutput.appendString(key, to: &out)
                out.append(UInt8(ascii: ":"))
                value.writeCanonical(to: &out, leavingOut: [])
            }
            if object.count <= 1 {
                for (key, value) in object { member(key, value) }
            } else {
                var members: [(key: String, value: JSONValue)] = []
                members.reserveCapacity(object.count)
                for (key, value) in object { members.append((key, value)) }
                members.sort { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
                for (key, value) in members { member(key, value) }
            }
            out.append(UInt8(ascii: "}"))
        default:
            write(to: &out)
        }
    }
}
