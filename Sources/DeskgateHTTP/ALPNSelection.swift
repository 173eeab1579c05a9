/// Application protocol negotiation (ALPN, RFC 7301): the server speaks HTTP/1.1 only.
public enum ALPNSelection {
    public static let http11: [UInt8] = Array("http/1.1".utf8)

    public enum Outcome: Equatable, Sendable {
        /// `http/1.1` was offered: its range in the client's list.
        case selected(Range<Int>)
        /// The client offered protocols, none of them HTTP/1.1 (an h2-only client): refused
        /// with the no_application_protocol alert rather than answered in a language it did not ask for.
        case refused
    }

    /// `offered` is the wire form: length-prefixed names. A malformed list is refused.
    public static func select(offered: UnsafeBufferPointer<UInt8>) -> Outcome {
        var index = 0
        while index < offered.count {
            let length = Int(offered[index])
            let start = index + 1
            guard length > 0, start + length <= offered.count else { return .refused }
            if length == http11.count, offered[start..<(start + length)].elementsEqual(http11) {
                return .selected(start..<(start + length))
            }
            index = start + length
        }
        return .refused
    }

    public static func select(offered: [UInt8]) -> Outcome {
        offered.withUnsafeBufferPointer { select(offered: $0) }
    }
}
