import DeskgateHTTP

/// Where a client may put its access token: `Authorization: Bearer …` (RFC 6750 §2.1) or
/// `X-Deskgate-Access-Token`. Never the query string: URLs end up in logs.
enum BearerToken {
    static func extract(from headers: HTTPHeaders) -> String? {
        if let authorization = headers["authorization"] {
            let parts = authorization.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
            if parts.count == 2, parts[0].lowercased() == "bearer" {
                let token = parts[1].trimmingCharacters(in: " \t")
                return token.isEmpty ? nil : token
            }
            return nil
        }
        if let token = headers["x-deskgate-access-token"], !token.isEmpty { return token }
        return nil
    }
}

extension Substring {
    func trimmingCharacters(in set: String) -> String {
        var text = self
        while let first = text.first, set.contains(first) { text = text.dropFirst() }
        while let last = text.last, set.contains(last) { text = text.dropLast() }
        return String(text)
    }
}
