public import DeskgateModel
import DeskgateJSON
import DeskgateSystem

/// The audit log as files: CSV (RFC 4180) and JSON Lines, one row per call, the same fields in
/// the same order in both (docs/audit.md). The admin page's downloads and `deskgate audit export`
/// write exactly these bytes.
public enum AuditExport {
    public enum Format: String, Sendable, CaseIterable {
        case csv, jsonl

        public var contentType: String { self == .csv ? "text/csv; charset=utf-8" : "application/jsonl; charset=utf-8" }
        public var fileExtension: String { rawValue }
    }

    public static let fields = ["id", "at", "tenant", "user_id", "user_email", "token_id", "client_id", "tool", "args_digest",
                                "tickets", "outcome", "reason", "duration_ms", "process"]

    /// The first line of a CSV export.
    public static var csvHeader: String { fields.joined(separator: ",") + "\r\n" }

    /// One row, as CSV (with its CRLF) or as one JSON object and a newline.
    public static func line(_ record: AuditRecord, tenant: String, userEmail: String?, format: Format) -> String {
        switch format {
        case .csv:
            return csvRow([String(record.id), Timestamp.iso8601(milliseconds: record.at), tenant,
                           record.userID.map(String.init) ?? "", userEmail ?? "", record.tokenID.map(String.init) ?? "",
                           record.clientID ?? "", record.tool, record.argsDigest, record.tickets, record.outcome.rawValue,
                           record.reason ?? "", String(record.durationMilliseconds), record.process])
        case .jsonl:
            func number(_ value: Int64?) -> JSONValue { value.map { .number(JSONNumber(Int($0))) } ?? .null }
            func text(_ value: String?) -> JSONValue { value.map { .string($0) } ?? .null }
            let tickets: [JSONValue] = record.tickets.split(separator: ",").map { item in
                Int(item).map { .number(JSONNumber($0)) } ?? .string(String(item))
            }
            let object = JSONObject([
                ("id", number(record.id)), ("at", .string(Timestamp.iso8601(milliseconds: record.at))), ("tenant", .string(tenant)),
                ("user_id", number(record.userID)), ("user_email", text(userEmail)), ("token_id", number(record.tokenID)),
                ("client_id", text(record.clientID)), ("tool", .string(record.tool)), ("args_digest", .string(record.argsDigest)),
                ("tickets", .array(tickets)), ("outcome", .string(record.outcome.rawValue)), ("reason", text(record.reason)),
                ("duration_ms", number(Int64(record.durationMilliseconds))), ("process", .string(record.process)),
            ])
            return JSONValue.object(object).text + "\n"
        }
    }

    /// Cells joined by commas, ending in CRLF. A cell is quoted when it holds a comma, a quote,
    /// CR or LF (quotes doubled inside). A cell that a spreadsheet would read as a formula (it
    /// starts with `=`, `+`, `-`, `@`, a tab or CR) gets a leading `'` first, so opening the
    /// file never runs anything (OWASP "CSV injection"); no field Deskgate writes starts so
    /// legitimately (numbers are never negative), so the guard changes no real value.
    public static func csvRow(_ cells: [String]) -> String {
        cells.map(csvCell).joined(separator: ",") + "\r\n"
    }

    static func csvCell(_ raw: String) -> String {
        var cell = raw
        if let first = cell.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r"].contains(first) { cell = "'" + cell }
        guard cell.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else { return cell }
        var quoted = "\""
        for character in cell { quoted += character == "\"" ? "\"\"" : String(character) }
        return quoted + "\""
    }
}
