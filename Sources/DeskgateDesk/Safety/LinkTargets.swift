/// Whether a link's visible text names another site than the one it leads to
/// ("www.paypal.com" pointing at evil.example). Text that is not a URL or domain never differs:
/// "Read more" can lead anywhere. Folded (lower-case) text in, a plain answer out.
enum LinkTargets {
    static func differ(text: String, target: String) -> Bool {
        guard let shown = host(shownIn: text), let real = host(target: target) else { return false }
        if sameSite(shown, real) { return false }
        // A redirector that carries the shown address on to it (newsletter click tracking).
        for carried in ["=https://", "=http://", "%3a%2f%2f", "%2f%2f"] where target.contains(carried + shown) {
            return false
        }
        return true
    }

    /// The host a link's visible text names: a URL, "www.…", an email address, or a bare domain
    /// with a common top-level domain (so "setup.py" or "index.html" are not domains).
    static func host(shownIn text: String) -> String? {
        var t = Substring(text).drop { " \n<>\"'(".contains($0) }
        while let last = t.last, " \n<>\"')./,;:".contains(last) { t = t.dropLast() }
        guard !t.isEmpty, !t.contains(" "), !t.contains("\n") else { return nil }
        var explicit = false
        for scheme in ["https://", "http://", "hxxps://", "hxxp://", "ftp://"] where t.hasPrefix(scheme) {
            t = t.dropFirst(scheme.count)
            explicit = true
        }
        if t.hasPrefix("www.") { explicit = true }
        if let at = t.lastIndex(of: "@") { t = t[t.index(after: at)...] }
        let host = t.prefix { !"/?#:".contains($0) }
        guard let domain = validDomain(host), explicit || commonTopLevel.contains(domain.split(separator: ".").last!) else { return nil }
        return domain
    }

    /// The host a link leads to; nil for relative links, which stay on the page's own site.
    static func host(target: String) -> String? {
        var t = Substring(target).drop { $0 == " " || $0 == "\n" }
        if t.hasPrefix("javascript:") || t.hasPrefix("data:") || t.hasPrefix("vbscript:") { return t.hasPrefix("data:") ? "data:" : "javascript:" }
        if t.hasPrefix("mailto:") {
            let address = t.dropFirst(7).prefix { $0 != "?" }
            guard let at = address.lastIndex(of: "@") else { return nil }
            return validDomain(address[address.index(after: at)...])
        }
        if let scheme = t.firstRange(of: "://"), t[..<scheme.lowerBound].allSatisfy({ $0.isLetter }) {
            t = t[scheme.upperBound...]
        } else if t.hasPrefix("//") {
            t = t.dropFirst(2)
        } else if !t.hasPrefix("www.") {
            return nil
        }
        var authority = t.prefix { !"/?#\\".contains($0) }
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }   // user@host
        return validDomain(authority.prefix { $0 != ":" }) ?? String(authority)
    }

    static func sameSite(_ a: String, _ b: String) -> Bool {
        let a = a.hasPrefix("www.") ? String(a.dropFirst(4)) : a
        let b = b.hasPrefix("www.") ? String(b.dropFirst(4)) : b
        return a == b || a.hasSuffix("." + b) || b.hasSuffix("." + a) || registrable(a) == registrable(b)
    }

    /// The name a company registers: the last two labels, three under "co.uk"-like second levels.
    private static func registrable(_ host: String) -> String {
        let labels = host.split(separator: ".")
        guard labels.count >= 2 else { return host }
        let secondLevel: Set<Substring> = ["co", "com", "org", "net", "ac", "gov", "edu", "ne", "or", "gv"]
        let keep = labels.count >= 3 && labels.last!.count == 2 && secondLevel.contains(labels[labels.count - 2]) ? 3 : 2
        return labels.suffix(keep).joined(separator: ".")
    }

    private static func validDomain(_ host: Substring) -> String? {
        let host = host.hasSuffix(".") ? host.dropLast() : host
        let labels = host.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, let top = labels.last, top.count >= 2, top.allSatisfy({ $0.isLetter }) || top.hasPrefix("xn--"),
              labels.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" } })
        else { return nil }
        return String(host)
    }

    private static let commonTopLevel: Set<Substring> = [
        "com", "net", "org", "io", "co", "ai", "app", "dev", "info", "biz", "me", "us", "uk", "de", "fr", "es", "it", "nl",
        "eu", "ca", "au", "ch", "at", "be", "se", "no", "dk", "fi", "pl", "pt", "ie", "nz", "jp", "cn", "ru", "in", "br",
        "mx", "xyz", "site", "online", "shop", "store", "cloud", "tech", "email", "support", "link", "click", "top", "live",
        "gov", "edu", "tv", "ly", "gg", "cc", "ws", "sg", "hk", "kr", "tw", "za", "ar", "cl", "cz", "gr", "hu", "ro", "il",
        "tr", "ua", "vn", "id", "ph", "my", "help", "page", "net", "bank", "pay", "login", "secure", "zip", "mov",
    ]
}

/// Whether text a reader would not see carries words meant for a model: instruction vocabulary,
/// or simply a lot of words (a newsletter's hidden preheader is a short teaser).
enum HiddenWords {
    static func carryInstructions(_ b: [UInt8], _ segments: [Range<Int>], orAtLeast many: Int = 40) -> Bool {
        var count = 0
        for segment in segments {
            var k = segment.lowerBound
            while k < segment.upperBound {
                guard FoldedWords.isWordByte(b[k]) else { k += 1; continue }
                var h = FoldedWords.hashSeed
                while k < segment.upperBound, FoldedWords.isWordByte(b[k]) { h = (h ^ UInt32(b[k])) &* 16_777_619; k += 1 }
                count += 1
                if lexicon.contains(h) { return true }
            }
        }
        return count >= many
    }

    /// Word hashes (the same FNV-1a the phrase index uses) of the vocabulary aimed at a model.
    private static let lexicon: Set<UInt32> = Set([
        "ai", "assistant", "llm", "llms", "model", "gpt", "chatgpt", "claude", "copilot", "gemini", "agent", "agents",
        "bot", "chatbot", "instruction", "instructions", "ignore", "disregard", "prompt", "prompts", "system", "token",
        "tokens", "password", "passwords", "secret", "secrets", "credential", "credentials", "api", "apikey", "forward",
        "export", "reveal", "tickets", "exfiltrate", "confidential", "override", "assistants", "ki", "ia",
    ].map { FoldedWords.hash(Array($0.utf8)) })
}
