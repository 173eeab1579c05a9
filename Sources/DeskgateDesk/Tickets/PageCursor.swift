import DeskgateCrypto

/// Opaque paging cursors: base64url of "kind.v1.n1.n2…". Opaque so callers pass them back
/// unchanged; validated on the way in, so a cursor from another ticket or search, or
/// damaged text, is refused instead of silently paging the wrong list.
enum PageCursor {
    static func encode(kind: String, _ values: [Int64]) -> String {
        Base64URL.encode(Array(([kind] + values.map(String.init)).joined(separator: ".").utf8))
    }

    /// The values, or nil when `text` is not a cursor of this kind with `count` values.
    static func decode(_ text: String, kind: String, count: Int) -> [Int64]? {
        guard text.utf8.count <= 200, let bytes = Base64URL.decode(text),
              let plain = String(validating: bytes, as: UTF8.self) else { return nil }
        let parts = plain.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == count + 1, parts[0] == kind else { return nil }
        let values = parts.dropFirst().compactMap { Int64($0) }
        return values.count == count ? values : nil
    }

    /// A short, stable hash (FNV-1a, 32 bits) binding a cursor to the search that made it.
    /// Not a security boundary: visibility is re-applied on every page anyway.
    static func fingerprint(_ text: String) -> Int64 {
        var hash: UInt32 = 2_166_136_261
        for byte in text.utf8 {
            hash ^= UInt32(byte)
            hash = hash &* 16_777_619
        }
        return Int64(hash)
    }
}
