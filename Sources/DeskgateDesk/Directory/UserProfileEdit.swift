public import DeskgateModel

/// A change to a user's profile (`deskgate user create/update --alias --label --lang --phone`,
/// the admin agent page): nil leaves a part as it is, "" clears it.
public struct UserProfileEdit: Sendable, Equatable {
    public var alias: String?
    public var label: String?
    public var lang: String?
    public var phone: String?

    public init(alias: String? = nil, label: String? = nil, lang: String? = nil, phone: String? = nil) {
        self.alias = alias
        self.label = label
        self.lang = lang
        self.phone = phone
    }

    /// `profile` with this edit applied, each part checked; an error names the part to fix.
    public func applied(to profile: UserProfile) throws -> UserProfile {
        func part(_ value: String?, _ current: String?, _ check: (String) throws -> String) rethrows -> String? {
            guard let value else { return current }
            let trimmed = value.trimmed
            return trimmed.isEmpty ? nil : try check(trimmed)
        }
        return UserProfile(
            alias: try part(alias, profile.alias) { try Validation.name($0, field: "alias", maxLength: 100) },
            label: try part(label, profile.label) { try Validation.name($0, field: "label", maxLength: 200) },
            lang: try part(lang, profile.lang, Self.language),
            phone: try part(phone, profile.phone, Self.phoneNumber))
    }

    /// A language tag: 2–3 letters, then subtags of 2–8 letters or digits ("en", "pt-BR", "zh-Hant").
    static func language(_ text: String) throws -> String {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        let isAlnum = { (c: Character) in c.isASCII && (c.isLetter || c.isNumber) }
        guard text.count <= 35, let first = parts.first, (2...3).contains(first.count), first.allSatisfy({ $0.isASCII && $0.isLetter }),
              parts.dropFirst().allSatisfy({ (2...8).contains($0.count) && $0.allSatisfy(isAlnum) }) else {
            throw DeskError.invalid(field: "lang", reason: "'\(text)' is not a language tag such as en or pt-BR")
        }
        return String(first).lowercased() + parts.dropFirst().map { "-" + $0 }.joined()
    }

    /// Digits with the usual separators, a leading + allowed; at most 40 characters.
    static func phoneNumber(_ text: String) throws -> String {
        let allowed = Set("0123456789 +-().")
        guard text.count <= 40, text.allSatisfy(allowed.contains), text.filter(\.isNumber).count >= 3,
              !text.dropFirst().contains("+") else {
            throw DeskError.invalid(field: "phone", reason: "'\(text)' is not a phone number (digits, spaces, + - ( ) .)")
        }
        return text
    }
}
