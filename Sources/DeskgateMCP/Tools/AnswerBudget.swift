import DeskgateJSON

/// How much of a model's context one answer of a read tool may take (issue 19, docs/tools.md
/// "Budgets"): `max_chars` bounds both renderings of a result, the `structuredContent` JSON and
/// the text, each counted in UTF-8 bytes (so never more characters than that). A list takes
/// rows while both fit and hands out a cursor that continues at the first row left out; a long
/// message body is cut at a marker with a cursor that continues inside it.
struct AnswerBudget: Sendable, Equatable {
    static let defaultChars = 20_000
    static let minimumChars = 2_000
    static let maximumChars = 200_000
    /// What the result's frame may take besides its rows: the fence's notice, a cursor (both
    /// renderings), page numbers and counts.
    static let frameReserve = 700

    let limit: Int
    private(set) var structuredUsed = 0
    private(set) var textUsed = 0

    init(limit: Int) { self.limit = limit }

    init(_ arguments: ToolArguments) throws {
        limit = try arguments.integer("max_chars", in: Self.minimumChars...Self.maximumChars) ?? Self.defaultChars
    }

    /// What the rows may take in each rendering.
    var forRows: Int { limit - Self.frameReserve }

    /// What is left for the next row in the tighter rendering.
    var left: Int { max(0, forRows - max(structuredUsed, textUsed)) }

    var isUntouched: Bool { structuredUsed == 0 && textUsed == 0 }

    /// Takes a row of `structured` bytes of JSON and `text` bytes of text when both still fit.
    /// The first row always goes in, so every page moves on (only a row larger than the whole
    /// budget, which a small max_chars can meet, makes a page exceed it).
    mutating func take(structured: Int, text: Int) -> Bool {
        let nextStructured = structuredUsed + structured + 1, nextText = textUsed + text + 2
        guard isUntouched || (nextStructured <= forRows && nextText <= forRows) else { return false }
        (structuredUsed, textUsed) = (nextStructured, nextText)
        return true
    }

    /// Whether a row fits in what is left, the first row included.
    func fits(structured: Int, text: Int) -> Bool {
        structuredUsed + structured + 1 <= forRows && textUsed + text + 2 <= forRows
    }

    /// How many of `rows` fit, in order: each row's JSON and its text line, plus `extra` bytes a
    /// row brings in both renderings (its content warnings).
    mutating func fit(_ rows: [JSONValue], lines: [String], extra: [Int] = []) -> Int {
        var count = 0
        for index in rows.indices {
            let more = index < extra.count ? extra[index] : 0
            guard take(structured: rows[index].encoded().count + more, text: lines[index].utf8.count + more) else { break }
            count += 1
        }
        return count
    }

    /// The input schema of `max_chars`.
    static let schema = Schema.integer("Size budget in characters, \(minimumChars)-\(maximumChars) (default \(defaultChars)).")
}

/// `fields`: which fields of each record (a ticket, a message, an agent...) a read tool returns.
/// Absent: all. The record's identity (id, number) and who wrote its text (author_kind,
/// subject_author_kind, title_author_kind: untrusted text must stay marked) always come.
struct FieldSelection: Sendable, Equatable {
    static let alwaysKept: Set<String> = ["id", "number", "author_kind", "subject_author_kind", "title_author_kind"]

    /// Nil: every field.
    let names: Set<String>?

    init(names: Set<String>?) { self.names = names }

    /// Reads `fields`, refusing names no record of this tool has (`known`), so a typo is an
    /// error that lists the right names instead of an answer silently missing a field.
    init(_ arguments: ToolArguments, known: [String]) throws {
        guard let wanted = try arguments.strings("fields", maxCount: 40) else {
            names = nil
            return
        }
        let knownSet = Set(known)
        if let unknown = wanted.first(where: { !knownSet.contains($0) }) {
            var listed = Set<String>()
            throw ToolArgumentError(argument: "fields", reason: "'\(unknown)' is not a field here; the fields are "
                                    + known.filter { listed.insert($0).inserted }.joined(separator: ", "))
        }
        names = Set(wanted)
    }

    var selectsAll: Bool { names == nil }

    func keeps(_ name: String) -> Bool { names.map { $0.contains(name) || Self.alwaysKept.contains(name) } ?? true }

    /// `value` (an object) with only the selected members; anything else unchanged.
    func apply(_ value: JSONValue) -> JSONValue {
        guard names != nil, case .object(let object) = value else { return value }
        return .object(apply(object))
    }

    /// `object` with only the selected members (and `keeping`, which always come here).
    func apply(_ object: JSONObject, keeping: Set<String> = []) -> JSONObject {
        guard names != nil else { return object }
        return JSONObject(object.filter { keeps($0.key) || keeping.contains($0.key) }.map { ($0.key, $0.value) })
    }

    /// The input schema of `fields`; `of` names the record ("ticket", "message").
    static func schema(of record: String) -> JSONValue {
        Schema.array(.object(JSONObject([("type", "string")])),
                     description: "Only these fields of each \(record).")
    }

    /// The property names of a record schema (`Schema.record`), for `known`.
    static func names(of record: JSONValue, adding extra: [String] = []) -> [String] {
        var names: [String] = []
        if case .object(let properties)? = record["properties"] { names = properties.keys }
        return names + extra.filter { !names.contains($0) }
    }
}
