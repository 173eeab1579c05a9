import Glibc
@testable import DeskgateCrypto

/// Shared keys and helpers for the key, JWS and claims suites.
enum Fixtures {
    static let key = try! SigningKey.generate()
    static let otherKey = try! SigningKey.generate()

    /// RFC 7515 Appendix A.3 key pair (private part as PKCS#8 PEM).
    static let rfcPublicJWK = [
        "kty": "EC", "crv": "P-256",
        "x": "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
        "y": "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0",
    ]
    static let rfcPrivatePEM = """
        -----BEGIN PRIVATE KEY-----
        MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgjpsQnnGQmL+YBIff
        H1136cspYG6+0iY7X1fCE9+E9LKhRANCAAR/zc4ncPbEXUGDy+5v20t7WAczNXvp
        7xO6z248e9FURcfxRM0bvZt+hyzf7bnuufSzaV1uqQskrYpGIyiFiOWt
        -----END PRIVATE KEY-----

        """
    /// Computed independently with joserfc's `ECKey.thumbprint()`.
    static let rfcThumbprint = "oKIywvGUpTVTyxMQ3bwIIeQUudfr_CkLMjCE19ECD-U"
    /// RFC 7515 Appendix A.3.1's complete JWS (header `{"alg":"ES256"}`, no kid).
    static let rfcToken = "eyJhbGciOiJFUzI1NiJ9."
        + "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ."
        + "DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q"

    static func lookup(_ keys: VerificationKey...) -> (String) -> VerificationKey? {
        { kid in keys.first { $0.keyID == kid } }
    }

    /// A fresh private directory, removed by the caller with `removeTree`.
    static func temporaryDirectory() -> String {
        var template = Array("/tmp/deskgate-crypto-XXXXXX".utf8CString)
        let path = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        precondition(path != nil, "mkdtemp failed")
        return String(cString: path!)
    }

    static func removeTree(_ directory: String) {
        if let dir = opendir(directory) {
            while let entry = readdir(dir) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
                if name != "." && name != ".." { unlink(directory + "/" + name) }
            }
            closedir(dir)
        }
        rmdir(directory)
    }

    static func mode(of path: String) -> UInt32 {
        var info = stat()
        precondition(stat(path, &info) == 0, "stat failed")
        return UInt32(info.st_mode & 0o7777)
    }
}
