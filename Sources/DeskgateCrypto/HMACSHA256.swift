import COpenSSL

/// HMAC-SHA256 (RFC 2104) computed by OpenSSL.
public enum HMACSHA256 {
    public static func authenticate(key: [UInt8], data: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: SHA256.digestLength)
        var length: UInt32 = 0
        // A zero-length key or message must still be passed as a valid pointer.
        let keyBytes = key.isEmpty ? [0] : key
        let dataBytes = data.isEmpty ? [0] : data
        let result = keyBytes.withUnsafeBytes { k in
            dataBytes.withUnsafeBufferPointer { d in
                out.withUnsafeMutableBufferPointer { o in
                    HMAC(OpenSSL.sha256, k.baseAddress, Int32(key.count),
                         d.baseAddress, data.count, o.baseAddress, &length)
                }
            }
        }
        guard result != nil, length == UInt32(SHA256.digestLength) else {
            OpenSSL.clearErrors()
            fatalError("HMAC-SHA256 failed")
        }
        return out
    }

    public static func authenticate(key: [UInt8], data: String) -> [UInt8] {
        authenticate(key: key, data: Array(data.utf8))
    }
}
