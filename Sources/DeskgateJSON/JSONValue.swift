/// A parsed or hand-built JSON document.
///
/// Equality is structural: numbers compare by their literal text (so `1` and `1.0` differ,
/// which is what lets a JSON-RPC id be echoed byte for byte), strings compare the way Swift
/// compares `String`s, and objects compare without regard to key order (JSON objects are
/// unordered; the order is only kept so that output is stable and readable).
public enum JSONValue: Sendable, Equatable, Hashable {
    case null
    case bool(Bool)
    case number(JSONNumber)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)
}

// Typed accessors: `nil` when the value has another type, so call sites read as
// `guard let name = params["name"]?.stringValue else { ... }`.
extension JSONValue {
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// Only plain integer literals within `Int` range (see `JSONNumber.int`).
    public var intValue: Int? {
        if case .number(let n) = self { return n.int }
        return nil
    }

    public var doubleValue: Double? {
        if case .number(let n) = self { return n.double }
        return nil
    }

    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    public var arrayValue: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    public var objectValue: JSONObject? {
        if case .object(let o) = self { return o }
        return nil
    }

    public var numberValue: JSONNumber? {
        if case .number(let n) = self { return n }
        return nil
    }

    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The member named `key`, or `nil` when this is not an object or has no such member.
    public subscript(key: String) -> JSONValue? {
        if case .object(let o) = self { return o[key] }
        return nil
    }
}
