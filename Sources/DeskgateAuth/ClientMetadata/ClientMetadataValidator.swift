import DeskgateJSON

/// Turns a fetched JSON body into a `ClientMetadataDocument`, or says which field is wrong.
enum ClientMetadataValidator {
    static let maxRedirectURIs = 20
    static let maxNameLength = 200
    static let maxURILength = 2048
    static let maxScopeLength = 1000

    /// Grant types that make no sense for a public client on OAuth 2.1.
    static let refusedGrantTypes: Set<String> = ["implicit", "password", "client_credentials"]

    static func validate(_ body: [UInt8], clientID: String, maxAgeSeconds: Int) throws(ClientMetadataError) -> ClientMetadataDocument {
        var limits = JSONLimits()
        limits.maxDepth = 8
        limits.maxStringBytes = 4096
        let value: JSONValue
        do {
            value = try JSONParser.parse(body, limits: limits)
        } catch {
            throw .invalidDocument("not valid JSON (\(error.reason))")
        }
        guard let object = value.objectValue else { throw .invalidDocument("must be a JSON object") }

        guard let documentID = object["client_id"] else { throw .invalidDocument("client_id is missing") }
        guard documentID.stringValue == clientID else {
            throw .invalidDocument("client_id does not match the URL the document was fetched from")
        }

        let method = try optionalString(object, "token_endpoint_auth_method", limit: 100) ?? "none"
        guard method == "none" else {
            throw .invalidDocument("token_endpoint_auth_method must be none (metadata documents cannot hold a shared secret)")
        }
        for field in ["client_secret", "client_secret_expires_at"] where object[field] != nil {
            throw .invalidDocument("\(field) must not appear in a metadata document")
        }

        guard let list = object["redirect_uris"] else { throw .invalidDocument("redirect_uris is missing") }
        guard let uris = list.arrayValue, !uris.isEmpty, uris.count <= maxRedirectURIs else {
            throw .invalidDocument("redirect_uris must be an array of 1 to \(maxRedirectURIs) URIs")
        }
        var redirectURIs: [String] = []
        for uri in uris {
            guard let text = uri.stringValue else { throw .invalidDocument("redirect_uris must contain only strings") }
            if let problem = RedirectURIRule.problem(with: text) { throw .invalidDocument("redirect_uris: \(problem)") }
            if !redirectURIs.contains(text) { redirectURIs.append(text) }
        }

        let grantTypes = try stringArray(object, "grant_types") ?? ["authorization_code"]
        guard grantTypes.contains("authorization_code") else {
            throw .invalidDocument("grant_types must include authorization_code")
        }
        if let refused = grantTypes.first(where: refusedGrantTypes.contains) {
            throw .invalidDocument("grant_types must not include \(refused)")
        }
        let responseTypes = try stringArray(object, "response_types") ?? ["code"]
        guard responseTypes == ["code"] else { throw .invalidDocument("response_types must be exactly code") }

        let clientName = try optionalString(object, "client_name", limit: maxNameLength)
        let scope = try optionalString(object, "scope", limit: maxScopeLength)
        if let scope, !scope.split(separator: " ", omittingEmptySubsequences: false).allSatisfy(isScopeToken) {
            throw .invalidDocument("scope must be space-separated scope tokens")
        }
        let clientURI = try optionalWebURI(object, "client_uri")
        let logoURI = try optionalWebURI(object, "logo_uri")

        return ClientMetadataDocument(clientID: clientID, clientName: clientName, redirectURIs: redirectURIs,
                                      grantTypes: grantTypes, responseTypes: responseTypes,
                                      tokenEndpointAuthMethod: method, scope: scope, clientURI: clientURI,
                                      logoURI: logoURI, maxAgeSeconds: maxAgeSeconds)
    }

    /// A present field must be a non-empty string of printable text within `limit` characters;
    /// names and URIs end up on the consent page, so control characters are refused outright.
    private static func optionalString(_ object: JSONObject, _ field: String, limit: Int) throws(ClientMetadataError) -> String? {
        guard let value = object[field], !value.isNull else { return nil }
        guard let text = value.stringValue else { throw .invalidDocument("\(field) must be a string") }
        guard !text.isEmpty, text.count <= limit else { throw .invalidDocument("\(field) must be 1 to \(limit) characters") }
        guard !text.unicodeScalars.contains(where: { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }) else {
            throw .invalidDocument("\(field) must not contain control characters")
        }
        return text
    }

    private static func stringArray(_ object: JSONObject, _ field: String) throws(ClientMetadataError) -> [String]? {
        guard let value = object[field], !value.isNull else { return nil }
        guard let items = value.arrayValue, items.count <= 20 else { throw .invalidDocument("\(field) must be an array of strings") }
        var strings: [String] = []
        for item in items {
            guard let text = item.stringValue, !text.isEmpty, text.count <= 200 else {
                throw .invalidDocument("\(field) must be an array of strings")
            }
            strings.append(text)
        }
        return strings
    }

    /// `client_uri` and `logo_uri` are links a browser follows from the consent page: http(s) only.
    private static func optionalWebURI(_ object: JSONObject, _ field: String) throws(ClientMetadataError) -> String? {
        guard let text = try optionalString(object, field, limit: maxURILength) else { return nil }
        guard let parsed = RedirectURIRule.Parts(text), parsed.scheme == "https" || parsed.scheme == "http",
              !parsed.host.isEmpty, !text.contains(" ") else {
            throw .invalidDocument("\(field) must be an http or https URL")
        }
        return text
    }

    /// RFC 6749 §3.3 scope-token: %x21 / %x23-5B / %x5D-7E.
    private static func isScopeToken(_ token: Substring) -> Bool {
        !token.isEmpty && token.utf8.allSatisfy { $0 == 0x21 || (0x23...0x5B).contains($0) || (0x5D...0x7E).contains($0) }
    }
}
