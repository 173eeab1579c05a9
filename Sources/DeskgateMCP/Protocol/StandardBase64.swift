import DeskgateCrypto

/// RFC 4648 §4 base64 (with padding), as the MCP `=?base64?…?=` header form uses it.
enum StandardBase64 {
    static func decode(_ text: String) -> [UInt8]? {
        var urlSafe = String(text.map { $0 == "+" ? "-" : ($0 == "/" ? "_" : $0) })
        while urlSafe.hasSuffix("=") { urlSafe.removeLast() }
        return Base64URL.decode(urlSafe)
    }
}
