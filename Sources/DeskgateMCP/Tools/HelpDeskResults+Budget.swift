import DeskgateDesk
import DeskgateJSON
import DeskgateModel
import DeskgateSystem

/// Message bodies under a size budget (`AnswerBudget`): the part of a shown body one answer
/// carries, from where an earlier cut left off, and where it was cut in turn. Offsets count
/// Unicode scalars of the body as shown (sanitized), so a cursor resumes at the same place.
struct BodyPiece: Equatable {
    /// Scalars of the body shown by earlier answers.
    let start: Int
    let text: String
    /// Scalars left after `text` when the body was cut; nil when it ends here.
    let more: Int?

    /// The whole body from `start`.
    static func rest(of body: String, from start: Int) -> BodyPiece {
        guard start > 0 else { return BodyPiece(start: 0, text: body, more: nil) }
        var scalars = body.unicodeScalars[...]
        scalars = scalars.dropFirst(start)
        return BodyPiece(start: start, text: String(String.UnicodeScalarView(scalars)), more: nil)
    }

    /// At most `room` bytes of the body from `start` (as JSON escapes them, which is never less
    /// than the text needs), cut between characters. At least one character, so an answer
    /// always moves on.
    static func cut(_ body: String, from start: Int, room: Int) -> BodyPiece {
        let rest = Self.rest(of: body, from: start).text
        var taken = 0, used = 0, end = rest.startIndex
        for character in rest {
            var cost = 0
            for scalar in character.unicodeScalars {
                cost += scalar.value < 0x20 || scalar == "\"" || scalar == "\\" ? 6 : String(scalar).utf8.count
            }
            if used + cost > room, taken > 0 { break }
            used += cost
            taken += character.unicodeScalars.count
            end = rest.index(after: end)
        }
        let total = rest.unicodeScalars.count
        return BodyPiece(start: start, text: String(rest[..<end]), more: taken < total ? total - taken : nil)
    }
}

extension HelpDeskResults {
    /// The fields of a message, for `fields` (`FieldSelection`).
    static let messageFields = ["id", "kind", "author", "author_kind", "body", "created_at", "sanitized", "body_from", "body_cut"]

    /// A message with `piece` of its body: `body_from` says where a continued body starts,
    /// `body_cut` how much is left and the cursor that reads on.
    static func message(_ shown: ShownMessage, piece: BodyPiece, cursor: String?, fields: FieldSelection) -> JSONValue {
        guard case .object(var object) = message(shown) else { return .null }
        object["body"] = .string(piece.text)
        if piece.start > 0 { object["body_from"] = .number(JSONNumber(piece.start)) }
        if let more = piece.more {
            object["body_cut"] = .object(JSONObject([("more_chars", .number(JSONNumber(more))),
                                                     ("next_cursor", cursor.map { .string($0) } ?? .null)]))
        }
        return .object(fields.apply(object))
    }

    /// The text of a message with `piece` of its body: the body fenced as usual (cut inside
    /// the fence, which is then closed), and after the fence the marker saying how to read on.
    static func text(_ shown: ShownMessage, piece: BodyPiece, cursor: String?, tool: String, fence: CustomerTextFence) -> String {
        let message = shown.message
        let label = message.kind == .note ? "Internal note" : "Reply"
        let kind = message.author.kind
        let head = "\(label) by \(shown.authorName) (\(kind.rawValue)) at \(Timestamp.iso8601(milliseconds: message.createdAt))"
            + (piece.start > 0 ? ", continued from character \(piece.start)" : "") + ":\n"
        let body = kind.isUntrusted ? fence.fenced(piece.text) : piece.text
        return head + body + (piece.more.map { cutMarker(more: $0, cursor: cursor, tool: tool) } ?? "")
    }

    /// The marker after a cut body (outside any fence: it is Deskgate's text, not the customer's).
    static func cutMarker(more: Int, cursor: String?, tool: String) -> String {
        "\n[message cut here: \(more) more characters"
            + (cursor.map { "; \(tool) with cursor \($0) reads on]" } ?? "]")
    }

    /// Bytes the body's text takes in a result (JSON-escaped, the larger rendering).
    static func bodyCost(_ text: String) -> Int { JSONValue.string(text).encoded().count }
}

/// One page of messages under a budget: which messages go in, the last one possibly cut, and
/// the cursor that continues exactly after what was shown.
struct BudgetedMessages {
    var rows: [JSONValue] = []
    var lines: [String] = []
    var shown: [HelpDeskResults.ShownMessage] = []
    /// Where the next page starts; nil when nothing is left.
    var nextCursor: String?

    /// `messages` in order (the first may resume at `resumeOffset`), while `budget` allows.
    /// `after(lastShownID)`/`resuming(id, offset)` make the cursors; `rest` is the cursor when
    /// every message fit (the service's own next page, or nil).
    init(_ messages: [HelpDeskResults.ShownMessage], resumeOffset: Int, budget: inout AnswerBudget, fields: FieldSelection,
         tool: String, fence: CustomerTextFence, rest: String?,
         after: (Int64) -> String, resuming: (Int64, Int) -> String) {
        nextCursor = rest
        for (index, message) in messages.enumerated() {
            let start = index == 0 ? resumeOffset : 0
            let whole = BodyPiece.rest(of: message.body, from: start)
            let warnings = HelpDeskResults.contentWarnings([message]).encoded().count
            let row = HelpDeskResults.message(message, piece: whole, cursor: nil, fields: fields)
            let line = HelpDeskResults.text(message, piece: whole, cursor: nil, tool: tool, fence: fence)
            let (rowSize, lineSize) = (row.encoded().count + warnings, line.utf8.count + warnings)
            if budget.fits(structured: rowSize, text: lineSize) {
                _ = budget.take(structured: rowSize, text: lineSize)
                append(message, row, line)
                continue
            }
            // It does not fit whole: cut its body to what is left, or stop before it when too
            // little is left for a useful piece (never on the first message: pages move on).
            let empty = BodyPiece(start: start, text: "", more: 0)
            let probe = "m2." + String(repeating: "0", count: 60)   // a cursor's size
            let frame = max(HelpDeskResults.message(message, piece: empty, cursor: probe, fields: fields).encoded().count,
                            HelpDeskResults.text(message, piece: empty, cursor: probe, tool: tool, fence: fence).utf8.count) + warnings
            let room = budget.left - frame - 2
            guard room >= 200 || shown.isEmpty else {
                nextCursor = after(shown.last!.message.id)
                return
            }
            let piece = BodyPiece.cut(message.body, from: start, room: max(room, 100))
            let cursor = piece.more == nil ? nil : resuming(message.message.id, start + piece.text.unicodeScalars.count)
            let cutRow = HelpDeskResults.message(message, piece: piece, cursor: cursor, fields: fields)
            let cutLine = HelpDeskResults.text(message, piece: piece, cursor: cursor, tool: tool, fence: fence)
            _ = budget.take(structured: cutRow.encoded().count + warnings, text: cutLine.utf8.count + warnings)
            append(message, cutRow, cutLine)
            nextCursor = cursor ?? (index == messages.count - 1 ? rest : after(message.message.id))
            return
        }
    }

    private mutating func append(_ message: HelpDeskResults.ShownMessage, _ row: JSONValue, _ line: String) {
        shown.append(message)
        rows.append(row)
        lines.append(line)
    }
}
