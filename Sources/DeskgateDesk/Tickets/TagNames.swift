import DeskgateModel
/// Tag name rules: what a person would type in a tag box, kept to a safe alphabet so tags
/// read the same in URLs, filters and tool arguments.
enum TagNames {
    static let maxLength = 50
    static let maxPerCall = 20
    static let rule = "1-50 characters of lowercase a-z, 0-9, '-', '_' or space"

    /// Trims and lowercases (models often capitalise), then checks the alphabet and length.
    static func validate(_ name: String, field: String = "tags") throws -> String {
        let tag = name.trimmed.lowercased()
        let allowed = tag.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" || $0 == " "
        }
        guard (1...maxLength).contains(tag.count), allowed else {
            throw DeskError.invalid(field: field, reason: "'\(name)' is not a valid tag: use \(rule)")
        }
        return tag
    }

    /// A list from one call: at least one, at most 20, duplicates folded, order kept.
    static func validate(list names: [String]) throws -> [String] {
        guard !names.isEmpty else { throw DeskError.invalid(field: "tags", reason: "give at least one tag") }
        guard names.count <= maxPerCall else {
            throw DeskError.invalid(field: "tags", reason: "at most \(maxPerCall) tags per call (got \(names.count))")
        }
        var seen: Set<String> = []
        return try names.map { try validate($0) }.filter { seen.insert($0).inserted }
    }
}
