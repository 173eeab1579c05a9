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

/// A cursor into a list paged by position (the workflow family's `ticket_list` and `user_list`,
/// `list_agents`, `list_departments`): the offset of the next row and a fingerprint of the
/// listing's criteria, so a cursor of another listing is refused. Tools hand one out when a size
/// budget (`max_chars`) cut a page short, so the next call continues at exactly that row.
public struct OffsetCursor: Sendable, Equatable {
    public let offset: Int

    public init(offset: Int) { self.offset = offset }

    /// `criteria`: the listing's filters as text (anything that changes which rows it has).
    public func text(kind: String, criteria: String) -> String {
        PageCursor.encode(kind: kind, [Int64(offset), PageCursor.fingerprint(criteria)])
    }

    public static func parse(_ text: String, kind: String, criteria: String) throws -> OffsetCursor {
        guard let values = PageCursor.decode(text, kind: kind, count: 2), values[1] == PageCursor.fingerprint(criteria),
              values[0] >= 0, values[0] <= 100_000_000 else {
            throw DeskError.invalid(field: "cursor", reason: "not a next_cursor of this listing; repeat the same criteria with "
                                    + "the next_cursor unchanged, or omit it to start at the first page")
        }
        return OffsetCursor(offset: Int(values[0]))
    }
}

/// Cursors a tool makes when it cuts a page short to fit a size budget (`max_chars`): the
/// same kinds the services read, so the next page continues exactly where the cut was.
extension TicketService {
    /// Continue the thread after message `messageID`.
    public static func messagesCursor(ticketID: Int64, after messageID: Int64) -> String {
        PageCursor.encode(kind: "m1", [ticketID, messageID])
    }

    /// Continue inside message `messageID`, at `offset` (in Unicode scalars of the body as the
    /// tool shows it): the page then starts with that message and `TicketMessagePage.resumeOffset`.
    public static func messagesCursor(ticketID: Int64, resuming messageID: Int64, at offset: Int) -> String {
        PageCursor.encode(kind: "m2", [ticketID, messageID, Int64(offset)])
    }

    public static func activityCursor(ticketID: Int64, after entryID: Int64) -> String {
        PageCursor.encode(kind: "a1", [ticketID, entryID])
    }

    /// Continue `search` after `ticket` (a row of one of its pages).
    public static func searchCursor(after ticket: TicketSummary, of search: TicketSearch) -> String {
        PageCursor.encode(kind: "s1", [ticket.updatedAt, ticket.id, PageCursor.fingerprint(search.fingerprint)])
    }
}
