import DeskgateModel

/// What a token may be used for (design: "Scopes and permissions"), one bit per scope. A scope
/// only narrows: the user's role still decides what each call may touch.
///
/// The one representation of scopes: tokens, grants, principals, MCP tools and callers carry a
/// `Scopes`; names appear only at the edges (OAuth `scope` values, the JWT claim, the store's
/// text columns, pages), through `init(known:)`, `init(names:)`, `text` and `names`.
///
/// The store keeps its own form: model rows carry `scopes: [String]`, stored as the same
/// space-separated text in the same columns as before `Scopes` (no migration). Identity's
/// services convert with `init(names:)` where they read a grant, code, refresh token or PAT and
/// with `names` where they write one.
public struct Scopes: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8

    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let ticketsRead = Scopes(rawValue: 1 << 0)
    public static let ticketsWrite = Scopes(rawValue: 1 << 1)
    public static let directoryRead = Scopes(rawValue: 1 << 2)

    /// Bit ↔ name, in canonical order: the order of every scope list clients see
    /// (`scopes_supported`, token responses, the JWT `scope` claim, `WWW-Authenticate`).
    public static let table: [(scope: Scopes, name: String)] = [
        (.ticketsRead, "tickets:read"),
        (.ticketsWrite, "tickets:write"),
        (.directoryRead, "directory:read"),
    ]

    /// Every scope: the default for a new token.
    public static let all = Scopes(table.map(\.scope))

    /// One scope by its exact name (case-sensitive, as in OAuth); nil for a name we do not know.
    public init?(name: some StringProtocol) {
        guard let row = Self.table.first(where: { $0.name == name }) else { return nil }
        self = row.scope
    }

    /// The known scopes among `names`; the others (`openid`, another product's scopes) are
    /// ignored, as RFC 6749 §3.3 lets a server do.
    public init(names: some Sequence<some StringProtocol>) {
        self = []
        for name in names { if let scope = Scopes(name: name) { insert(scope) } }
    }

    /// The known scopes in a space-separated OAuth `scope` value; unknown names, repeats and
    /// extra spaces are ignored.
    public init(known text: some StringProtocol) {
        self.init(names: text.split(separator: " "))
    }

    /// Names in canonical order.
    public var names: [String] { Self.table.compactMap { contains($0.scope) ? $0.name : nil } }

    /// Space-separated names in canonical order: how the store and OAuth `scope` values carry them.
    public var text: String { names.joined(separator: " ") }

    /// Single scopes in canonical order.
    public var members: [Scopes] { Self.table.compactMap { contains($0.scope) ? $0.scope : nil } }

    /// Parses scope names separated by spaces and/or commas (`"tickets:read, directory:read"`),
    /// as people write them; unlike `init(known:)`, an unknown name or an empty list is an error.
    public static func parse(_ text: String) throws -> Scopes {
        try parse([text])
    }

    /// `parse` over several arguments (a repeated `--scope`), each of which may itself be a list.
    public static func parse(_ texts: [String]) throws -> Scopes {
        let names = texts.flatMap { $0.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\t" }) }
        guard !names.isEmpty else {
            throw DeskError.invalid(field: "scope", reason: "no scope given; valid scopes: \(validNames)")
        }
        var scopes: Scopes = []
        for name in names {
            guard let scope = Scopes(name: name) else {
                throw DeskError.invalid(field: "scope", reason: "unknown scope '\(name)'; valid scopes: \(validNames)")
            }
            scopes.insert(scope)
        }
        return scopes
    }

    static var validNames: String { table.map(\.name).joined(separator: ", ") }
}

extension Scopes: CustomStringConvertible {
    public var description: String { "[\(text)]" }
}
