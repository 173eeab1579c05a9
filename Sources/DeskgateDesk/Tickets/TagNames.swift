import DeskgateModel
/// Tag name rules: what a person would type in a tag box, kept to a safe alphabet so tags
/// read the same in URLs, filters and tool arguments. A tag keeps the case it was first typed
/// in ("VIP", "Hello World") and matches in any case: the store's `name` column compares
/// without case (NOCASE / `deskgate_nocase`), so "vip" finds, adds or removes "VIP".
enum TagNames {
    static let maxLength = 50
    static let maxPerCall = 20
    static let rule = "1-50 characters of letters a-z (any case), 0-9, '-', '_' or space"

    /// Trims, then checks the alphabet and length; the case stays as typed.
    static func validate(_ name: String, field: String = "tags") throws -> String {
        let tag = name.trimmed
        let allowed = tag.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0)
                || $0 == "-" || $0 == "_" || $0 == " "
        }
        guard (1...maxLength).contains(tag.count), allowed else {
            throw DeskError.invalid(field: field, reason: "'\(name)' is not a valid tag: use \(rule)")
        }
        return tag
    }

    /// Whether two valid names are the same tag (the alphabet is ASCII, so this is the store's rule).
    static func same(_ lhs: String, _ rhs: String) -> Bool {
        lhs.lowercased() == rhs.lowercased()
    }

    /// A list from one call: at least one, at most 20, duplicates (in any case) folded, order kept.
    static func validate(list names: [String]) throws -> [String] {
        guard !names.isEmpty else { throw DeskError.invalid(field: "tags", reason: "give at least one tag") }
        guard names.count <= maxPerCall else {
            throw DeskError.invalid(field: "tags", reason: "at most \(maxPerCall) tags per call (got \(names.count))")
        }
        var seen: Set<String> = []
        return try names.map { try validate($0) }.filter { seen.insert($0.lowercased()).inserted }
    }
}
