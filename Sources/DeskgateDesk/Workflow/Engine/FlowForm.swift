import DeskgateSQL
import DeskgateJSON
import DeskgateStore
import DeskgateModel

/// Typed form values: checking what a caller supplies against a field's type, and the JSON
/// text a value is stored as (`ticket_field_values.value_json`).
enum FlowForm {
    /// A supplied value as the field's type wants it, or an error that says what to send.
    /// Users and departments may be named by id or by email / name; they are stored by id.
    static func value(_ json: JSONValue, for field: FlowGraph.Field, scope: TenantScope, on db: any SQLConnection) throws -> FieldValue {
        let at = "fields.\(field.key)"
        func wrong(_ expected: String) -> DeskError { .invalid(field: at, reason: "must be \(expected)") }
        switch field.type {
        case .text, .richText:
            guard let s = json.stringValue else { throw wrong("a string") }
            guard s.count <= (field.type == .text ? 2_000 : 50_000) else { throw wrong("at most \(field.type == .text ? 2_000 : 50_000) characters") }
            return .text(s)
        case .number:
            guard let d = json.doubleValue, d.isFinite else { throw wrong("a number") }
            return .number(d)
        case .boolean:
            guard let b = json.boolValue else { throw wrong("true or false") }
            return .bool(b)
        case .date:
            guard let s = json.stringValue, ISODate.isValid(s) else { throw wrong("a date as YYYY-MM-DD") }
            return .date(s)
        case .select:
            guard let s = json.stringValue, field.options.contains(s) else {
                throw wrong("one of " + field.options.map { "'\($0)'" }.joined(separator: ", "))
            }
            return .text(s)
        case .user:
            let user = try json.intValue.flatMap { try scope.users.byID(Int64($0), on: db) }
                ?? json.stringValue.flatMap { try scope.users.byEmail($0.lowercased(), on: db) }
            guard let user, user.isActive else { throw wrong("an active user of this tenant, by id or email") }
            return .reference(user.id)
        case .department:
            let department = try json.intValue.flatMap { try scope.departments.byID(Int64($0), on: db) }
                ?? json.stringValue.flatMap { try scope.departments.byName($0, on: db) }
            guard let department else { throw wrong("a department of this tenant, by id or name") }
            return .reference(department.id)
        }
    }

    static func stored(_ value: FieldValue) -> String { WorkflowDocument.encode(value).text }

    /// A stored value read back by its field's type; nil for text that no longer parses.
    static func read(_ text: String, for field: FlowGraph.Field) -> FieldValue? {
        guard let json = try? JSONParser.parse(text) else { return nil }
        switch field.type {
        case .text, .richText, .select: return json.stringValue.map(FieldValue.text)
        case .number: return json.doubleValue.map(FieldValue.number)
        case .boolean: return json.boolValue.map(FieldValue.bool)
        case .date: return json.stringValue.map(FieldValue.date)
        case .user, .department: return json.intValue.map { .reference(Int64($0)) }
        }
    }

    /// The JSON a value is shown as in tool results.
    static func json(_ value: FieldValue) -> JSONValue { WorkflowDocument.encode(value) }
}
