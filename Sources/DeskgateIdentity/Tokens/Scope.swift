import DeskgateModel
/// What a token may be used for (design: "Scopes and permissions"). A scope only narrows:
/// the user's role still decides what each call may touch.
public enum Scope: String, Sendable, CaseIterable, Hashable, Comparable {
    case ticketsRead = "tickets:read"
    case ticketsWrite = "tickets:write"
    case directoryRead = "directory:read"

    /// Every scope, in declaration order: the default for a new token.
    public static let all = Set(allCases)

    /// Declaration order, so stored and printed scope lists are stable.
    public static func < (lhs: Scope, rhs: Scope) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }

    /// Parses scope names separated by spaces and/or commas (`"tickets:read, directory:read"`),
    /// as OAuth clients and people both write them. Names are case-sensitive, as in OAuth.
    public static func parse(_ text: String) throws -> Set<Scope> {
        try parse([text])
    }

    /// `parse` over several arguments (a repeated `--scope`), each of which may itself be a list.
    public static func parse(_ texts: [String]) throws -> Set<Scope> {
        let names = texts.flatMap { $0.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\t" }) }
        guard !names.isEmpty else {
            throw DeskError.invalid(field: "scope", reason: "no scope given; valid scopes: \(validNames)")
        }
        return Set(try names.map { name in
            guard let scope = Scope(rawValue: String(name)) else {
                throw DeskError.invalid(field: "scope", reason: "unknown scope '\(name)'; valid scopes: \(validNames)")
            }
            return scope
        })
    }

    /// Space-separated in declaration order: how the store and OAuth `scope` values carry them.
    public static func text(_ scopes: Set<Scope>) -> String {
        scopes.sorted().map(\.rawValue).joined(separator: " ")
    }

    static var validNames: String { allCases.map(\.rawValue).joined(separator: ", ") }
}
