import DeskgateCrypto
import DeskgateModel

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

/// A page of one ticket's rows (messages, history) by id, oldest first: the cursor names the
/// ticket and the last id shown, so it pages that ticket only.
struct TicketRowCursor {
    let kind: String
    /// What the rows are, for the error ("messages", "activity").
    let rows: String
    /// The first row, for the error ("message", "change").
    let first: String

    /// The id to continue after; nil without a cursor. A cursor of another kind or ticket is refused.
    func after(_ cursor: String?, ticketID: Int64) throws -> Int64? {
        guard let cursor else { return nil }
        guard let values = PageCursor.decode(cursor, kind: kind, count: 2), values[0] == ticketID else {
            throw DeskError.invalid(field: "cursor", reason: "not a next_cursor from this ticket's \(rows); "
                                    + "pass the next_cursor of the previous page unchanged, or omit it to start at the first \(first)")
        }
        return values[1]
    }

    /// The cursor after `lastID` when more rows were read than the page shows (one extra tells).
    func next(ticketID: Int64, lastID: Int64?, more: Bool) -> String? {
        more ? lastID.map { PageCursor.encode(kind: kind, [ticketID, $0]) } : nil
    }
}
