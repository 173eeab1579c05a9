// libFuzzer harness for what deskgate-auth does with a Client ID Metadata Document after its
// bytes arrive (scripts/fuzz clientmeta): the client_id URL's rules, then the document's
// validation above the JSON parser. The input is the client_id on its first line and the body
// after it. Beyond "no crash, no memory error" it checks:
// - an accepted URL is printable ASCII without a fragment, https (or http to loopback with the
//   development flag only), with no user info and no dot segment in its path, and is accepted
//   the same with the flag on;
// - an accepted document is bound to the client_id it was fetched for, every redirect URI in it
//   passes the redirect rule, its lists are within their limits and hold no duplicate, it allows
//   the code grant and no refused one, its texts hold no control character;
// - an accepted document written back as JSON validates to the same document (nothing the
//   validator keeps depends on how the fields were spelled).
@testable import DeskgateAuth
import DeskgateJSON
#if canImport(Glibc)
import Glibc
#endif

func fail(_ what: String, _ detail: String) -> Never {
    print("\(what): \(detail)")
    fflush(nil)
    abort()
}

func checkURL(_ text: String) {
    let strict = try? ClientMetadataURL(text, allowInsecureLoopback: false)
    let loose = try? ClientMetadataURL(text, allowInsecureLoopback: true)
    if let strict, strict != loose { fail("a URL accepted without the development flag changed with it", text) }
    guard let url = loose else { return }
    if !text.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) || text.contains("#") { fail("URL with a space, a control or a fragment accepted", text) }
    if url.isInsecureLoopback != text.hasPrefix("http://") { fail("scheme and loopback flag disagree", text) }
    if strict != nil && url.isInsecureLoopback { fail("plain http accepted without the development flag", text) }
    if !url.requestTarget.hasPrefix("/") { fail("request target does not start with /", text) }
    let path = url.requestTarget.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)[0]
    if path.split(separator: "/", omittingEmptySubsequences: false).contains(where: { $0 == "." || $0 == ".." }) {
        fail("dot segment accepted", text)
    }
    let authority = text.dropFirst(url.isInsecureLoopback ? 7 : 8).prefix { $0 != "/" }
    if authority.contains("@") { fail("user info accepted", text) }
    if url.hostHeader.isEmpty { fail("empty Host header", text) }
}

func json(_ document: ClientMetadataDocument) -> [UInt8] {
    var object = JSONObject()
    object["client_id"] = .string(document.clientID)
    object["redirect_uris"] = .array(document.redirectURIs.map { .string($0) })
    object["grant_types"] = .array(document.grantTypes.map { .string($0) })
    object["response_types"] = .array(document.responseTypes.map { .string($0) })
    object["token_endpoint_auth_method"] = .string(document.tokenEndpointAuthMethod)
    if let name = document.clientName { object["client_name"] = .string(name) }
    if let scope = document.scope { object["scope"] = .string(scope) }
    if let uri = document.clientURI { object["client_uri"] = .string(uri) }
    if let uri = document.logoURI { object["logo_uri"] = .string(uri) }
    return JSONValue.object(object).encoded()
}

func hasControl(_ text: String?) -> Bool {
    text?.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) } ?? false
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let newline = bytes.firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
    let clientID = String(decoding: bytes[..<newline], as: UTF8.self)
    let body = newline < bytes.count ? Array(bytes[(newline + 1)...]) : []
    checkURL(clientID)

    guard let document = try? ClientMetadataValidator.validate(body, clientID: clientID, maxAgeSeconds: 300) else { return 0 }
    let shown = String(decoding: bytes, as: UTF8.self)
    if document.clientID != clientID { fail("document bound to another client_id", shown) }
    let uris = document.redirectURIs
    if uris.isEmpty || uris.count > ClientMetadataValidator.maxRedirectURIs || Set(uris).count != uris.count {
        fail("redirect_uris empty, too many or repeated", shown)
    }
    if let bad = uris.first(where: { RedirectURIRule.problem(with: $0) != nil }) { fail("redirect URI the rule refuses: \(bad)", shown) }
    if !document.grantTypes.contains("authorization_code")
        || document.grantTypes.contains(where: ClientMetadataValidator.refusedGrantTypes.contains) {
        fail("grant types accepted wrongly", shown)
    }
    if document.responseTypes != ["code"] || document.tokenEndpointAuthMethod != "none" { fail("response type or auth method", shown) }
    if hasControl(document.clientName) || hasControl(document.scope) || hasControl(document.clientURI) || hasControl(document.logoURI) {
        fail("control character kept", shown)
    }
    guard let again = try? ClientMetadataValidator.validate(json(document), clientID: clientID, maxAgeSeconds: 300) else {
        fail("the accepted document, written back, is refused", shown)
    }
    if again != document { fail("the accepted document, written back, reads differently", shown) }
    return 0
}
