import DeskgateHTTP

/// Where a client may put its access token: `Authorization: Bearer …` (RFC 6750 §2.1) or
/// `X-Deskgate-Access-Token`. Never the query string: URLs end up in logs.
enum BearerToken {
    static func extract(from headers: HTTPHeaders) -> String? {
        // The header's bytes, not a String of them: only the token itself becomes one. A present
        // Authorization header decides, even when it holds no bearer token (nil).
        if let verdict = headers.withValueBytes("authorization", { $0.map(bearer) }) { return verdict }
        if let token = headers["x-deskgate-access-token"], !token.isEmpty { return token }
        return nil
    }
}

extension BearerToken {
    /// `Bearer <token>`: the scheme (any case) after optional spaces, one space, then the token
    /// with surrounding spaces and tabs trimmed. On bytes: splitting, lowercasing and trimming
    /// Characters cost ~8k instructions per request (callgrind).
    static func bearer(_ authorization: String) -> String? {
        var value = authorization
        return value.withUTF8 { bearer($0) }
    }

    static func bearer(_ b: UnsafeBufferPointer<UInt8>) -> String? {
        var i = 0
        while i < b.count, b[i] == 0x20 { i += 1 }
        let scheme = i
        while i < b.count, b[i] != 0x20 { i += 1 }
        guard i - scheme == 6, i < b.count else { return nil }
        let word: StaticString = "bearer"
        let isBearer = word.withUTF8Buffer { letters in
            (0..<6).allSatisfy { i in
                let c = b[scheme + i]
                return (c >= 0x41 && c <= 0x5A ? c | 0x20 : c) == letters[i]
            }
        }
        guard isBearer else { return nil }
        var start = i + 1, end = b.count
        while start < end, b[start] == 0x20 || b[start] == 0x09 { start += 1 }
        while end > start, b[end - 1] == 0x20 || b[end - 1] == 0x09 { end -= 1 }
        guard start < end else { return nil }
        return String(decoding: UnsafeBufferPointer(rebasing: b[start..<end]), as: UTF8.self)
    }
}

extension Substring {
    func trimmingCharacters(in set: String) -> String {
        var text = self
        while let first = text.first, set.contains(first) { text = text.dropFirst() }
        while let last = text.last, set.contains(last) { text = text.dropLast() }
        return String(text)
    }
}
