@testable import DeskgateAuth
import DeskgateJSON
import Testing

@Suite struct ClientMetadataValidatorTests {
    static let url = "https://app.example.com/oauth/client.json"

    /// A valid document with `changes` applied (`.null` removes a field).
    static func document(_ changes: [String: JSONValue] = [:]) -> [UInt8] {
        var object: JSONObject = [
            "client_id": .string(url),
            "client_name": "Example App",
            "redirect_uris": ["http://127.0.0.1/callback", "https://app.example.com/callback"],
        ]
        for (key, value) in changes {
            if value == .null { object[key] = nil } else { object[key] = value }
        }
        return JSONValue.object(object).encoded()
    }

    func validate(_ body: [UInt8]) throws(ClientMetadataError) -> ClientMetadataDocument {
        try ClientMetadataValidator.validate(body, clientID: Self.url, maxAgeSeconds: 600)
    }

    @Test func acceptsAMinimalDocumentWithDefaults() throws {
        let document = try validate(Self.document())
        #expect(document == ClientMetadataDocument(
            clientID: Self.url, clientName: "Example App",
            redirectURIs: ["http://127.0.0.1/callback", "https://app.example.com/callback"],
            grantTypes: ["authorization_code"], responseTypes: ["code"], tokenEndpointAuthMethod: "none",
            scope: nil, clientURI: nil, logoURI: nil, maxAgeSeconds: 600))
    }

    @Test func acceptsClaudeCodeStyleDocument() throws {
        let body = Array("""
            {"client_id":"\(Self.url)","client_name":"Claude Code","client_uri":"https://claude.ai",
             "logo_uri":"https://claude.ai/logo.png","redirect_uris":["http://localhost/callback","http://127.0.0.1/callback"],
             "grant_types":["authorization_code","refresh_token"],"response_types":["code"],
             "token_endpoint_auth_method":"none","scope":"tickets:read tickets:write","software_id":"x"}
            """.utf8)
        let document = try validate(body)
        #expect(document.grantTypes == ["authorization_code", "refresh_token"])
        #expect(document.clientURI == "https://claude.ai")
        #expect(document.logoURI == "https://claude.ai/logo.png")
        #expect(document.scope == "tickets:read tickets:write")
        #expect(document.redirectURIs == ["http://localhost/callback", "http://127.0.0.1/callback"])
    }

    @Test(arguments: [
        "https://app.example.com/cb", "http://127.0.0.1:8765/callback", "http://[::1]/cb", "http://localhost:3000/cb",
        "com.example.app:/oauth2redirect", "cursor://anysphere.cursor-retrieval/oauth/callback", "https://app.example.com/cb?x=1",
    ])
    func acceptsRedirectURI(_ uri: String) throws {
        let document = try validate(Self.document(["redirect_uris": [.string(uri)]]))
        #expect(document.redirectURIs == [uri])
    }

    static let refusedDocuments: [(String, [UInt8], String)] = [
        ("not JSON", Array("{not json".utf8), "not valid JSON"),
        ("array", Array("[]".utf8), "must be a JSON object"),
        ("duplicate key", Array(#"{"client_id":"\#(url)","client_id":"x","redirect_uris":["https://a.example/cb"]}"#.utf8), "not valid JSON"),
        ("no client_id", document(["client_id": .null]), "client_id is missing"),
        ("other client_id", document(["client_id": "https://evil.example/oauth/client.json"]), "does not match"),
        ("client_id with trailing slash", document(["client_id": .string(url + "/")]), "does not match"),
        ("client_id differs in case", document(["client_id": "https://APP.example.com/oauth/client.json"]), "does not match"),
        ("numeric client_id", document(["client_id": 5]), "does not match"),
        ("no redirect_uris", document(["redirect_uris": .null]), "redirect_uris is missing"),
        ("empty redirect_uris", document(["redirect_uris": []]), "array of 1 to"),
        ("string redirect_uris", document(["redirect_uris": "https://a.example/cb"]), "array of 1 to"),
        ("number in redirect_uris", document(["redirect_uris": [1]]), "only strings"),
        ("http non-loopback", document(["redirect_uris": ["http://app.example.com/cb"]]), "loopback"),
        ("http 10/8", document(["redirect_uris": ["http://10.0.0.1/cb"]]), "loopback"),
        ("fragment", document(["redirect_uris": ["https://app.example.com/cb#x"]]), "fragment"),
        ("javascript", document(["redirect_uris": ["javascript:alert(1)"]]), "javascript scheme"),
        ("data", document(["redirect_uris": ["data:text/html,hi"]]), "data scheme"),
        ("file", document(["redirect_uris": ["file:///etc/passwd"]]), "file scheme"),
        ("relative", document(["redirect_uris": ["/callback"]]), "not an absolute URI"),
        ("https without host", document(["redirect_uris": ["https:///cb"]]), "need a host"),
        ("userinfo", document(["redirect_uris": ["https://u:p@app.example.com/cb"]]), "user name or password"),
        ("bad loopback port", document(["redirect_uris": ["http://127.0.0.1:99999/cb"]]), "not an absolute URI"),
        ("space", document(["redirect_uris": ["https://app.example.com/a b"]]), "spaces"),
        ("secret method", document(["token_endpoint_auth_method": "client_secret_basic"]), "must be none"),
        ("post method", document(["token_endpoint_auth_method": "client_secret_post"]), "must be none"),
        ("private_key_jwt", document(["token_endpoint_auth_method": "private_key_jwt"]), "must be none"),
        ("numeric method", document(["token_endpoint_auth_method": 1]), "must be a string"),
        ("client_secret", document(["client_secret": "s3cret"]), "client_secret must not appear"),
        ("grant without code", document(["grant_types": ["refresh_token"]]), "must include authorization_code"),
        ("implicit grant", document(["grant_types": ["authorization_code", "implicit"]]), "must not include implicit"),
        ("password grant", document(["grant_types": ["authorization_code", "password"]]), "must not include password"),
        ("client_credentials", document(["grant_types": ["authorization_code", "client_credentials"]]), "client_credentials"),
        ("grant_types string", document(["grant_types": "authorization_code"]), "array of strings"),
        ("token response", document(["response_types": ["code", "token"]]), "response_types"),
        ("no code response", document(["response_types": ["token"]]), "response_types"),
        ("client_name number", document(["client_name": 3]), "client_name must be a string"),
        ("empty client_name", document(["client_name": ""]), "1 to 200"),
        ("long client_name", document(["client_name": .string(String(repeating: "n", count: 201))]), "1 to 200"),
        ("control in name", document(["client_name": "Evil\u{0}App"]), "control characters"),
        ("newline in name", document(["client_name": "Evil\nApp"]), "control characters"),
        ("javascript client_uri", document(["client_uri": "javascript:alert(1)"]), "client_uri must be an http or https URL"),
        ("logo_uri without host", document(["logo_uri": "https:///logo.png"]), "logo_uri must be an http or https URL"),
        ("bad scope", document(["scope": "a  b"]), "scope"),
        ("quote in scope", document(["scope": "a\"b"]), "scope"),
        ("too deep", Array(#"{"client_id":"\#(url)","redirect_uris":["https://a.example/cb"],"x":[[[[[[[[[1]]]]]]]]]}"#.utf8), "not valid JSON"),
    ]

    @Test(arguments: refusedDocuments) func refusesDocument(_ row: (String, [UInt8], String)) {
        do {
            _ = try validate(row.1)
            Issue.record("\(row.0): accepted")
        } catch {
            guard case .invalidDocument(let reason) = error else {
                Issue.record("\(row.0): unexpected \(error)")
                return
            }
            #expect(reason.contains(row.2), "\(row.0): \(reason)")
        }
    }

    @Test func descriptionsUseOnlyTheErrorDescriptionCharacterSet() {
        // Echoed back in the refusal (no scheme, so "not an absolute URI"), quote and backslash included.
        let hostile = Array(#"{"client_id":"\#(Self.url)","redirect_uris":["<b>\"q\\"]}"#.utf8)
        do {
            _ = try validate(hostile)
            Issue.record("accepted")
        } catch {
            // RFC 6749 §5.2: %x20-21 / %x23-5B / %x5D-7E
            #expect(error.description.unicodeScalars.allSatisfy { (0x20...0x21).contains($0.value) || (0x23...0x5B).contains($0.value) || (0x5D...0x7E).contains($0.value) },
                    "\(error.description)")
            #expect(error.description.contains("<b>'q?"), "\(error.description)")
        }
        let long = ClientMetadataError.invalidDocument(String(repeating: "x", count: 1000))
        #expect(long.description.count == 300)
    }

    @Test func descriptionsAreFitForErrorDescription() {
        let error = ClientMetadataError.invalidDocument("client_id does not match the URL the document was fetched from")
        #expect(error.description == "invalid client metadata document: client_id does not match the URL the document was fetched from")
        // Every refused destination reads the same, whatever range it is in.
        #expect(ClientMetadataError.addressNotAllowed.description == "client metadata URL host address not allowed")
        for error in [ClientMetadataError.hostNotFound, .connectionFailed, .timedOut, .tlsFailed, .redirected, .tooLarge] {
            #expect(!error.description.contains("127.") && !error.description.contains("errno"))
        }
    }
}
