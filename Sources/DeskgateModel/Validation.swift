/// Input rules shared by every edge that creates directory records.
package enum Validation {
    /// Tenant slugs appear in URLs and issuers: lowercase letters, digits and inner hyphens.
    package static func slug(_ slug: String) throws -> String {
        let bytes = Array(slug.utf8)
        let allowed = bytes.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D }
        guard (2...63).contains(bytes.count), allowed, bytes.first != 0x2D, bytes.last != 0x2D else {
            throw DeskError.invalid(field: "slug",
                                    reason: "use 2-63 lowercase letters, digits or hyphens, not starting or ending with a hyphen")
        }
        return slug
    }

    package static func name(_ name: String, field: String = "name", maxLength: Int = 200) throws -> String {
        let trimmed = name.trimmed
        guard !trimmed.isEmpty else { throw DeskError.invalid(field: field, reason: "must not be empty") }
        guard trimmed.count <= maxLength else {
            throw DeskError.invalid(field: field, reason: "must be at most \(maxLength) characters")
        }
        guard !trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw DeskError.invalid(field: field, reason: "must not contain control characters")
        }
        return trimmed
    }

    /// A pragmatic check (one @, a dot in the domain, no spaces); delivery is what really validates.
    package static func email(_ email: String) throws -> String {
        let lowered = email.trimmed.lowercased()
        let parts = lowered.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."),
              !parts[1].hasSuffix("."), lowered.count <= 254,
              !lowered.contains(where: { $0.isWhitespace || $0.isNewline }) else {
            throw DeskError.invalid(field: "email", reason: "'\(email)' is not an email address")
        }
        return lowered
    }

    package static func password(_ password: String) throws -> String {
        guard password.count >= 10 else {
            throw DeskError.invalid(field: "password", reason: "must be at least 10 characters")
        }
        guard password.utf8.count <= 1024 else {
            throw DeskError.invalid(field: "password", reason: "must be at most 1024 bytes")
        }
        return password
    }
}

extension String {
    package var trimmed: String {
        var result = Substring(self)
        while let first = result.first, first.isWhitespace { result = result.dropFirst() }
        while let last = result.last, last.isWhitespace { result = result.dropLast() }
        return String(result)
    }
}
