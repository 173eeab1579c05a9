import DeskgateJSON

/// A number value from its literal text (tests use it to say "exactly this text").
func number(_ text: String) -> JSONValue {
    .number(JSONNumber(text: text)!)
}

/// Parses `text` and returns the error, or nil when it parsed.
func parseError(_ text: String, limits: JSONLimits = .init()) -> JSONError? {
    parseError(Array(text.utf8), limits: limits)
}

func parseError(_ bytes: [UInt8], limits: JSONLimits = .init()) -> JSONError? {
    do {
        _ = try JSONParser.parse(bytes, limits: limits)
        return nil
    } catch {
        return error
    }
}
