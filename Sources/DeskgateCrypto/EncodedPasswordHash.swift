/// The stored form `$scrypt$ln=<log2 N>,r=<r>,p=<p>$<b64url salt>$<b64url hash>`.
///
/// Parsing is strict (fixed field order, no leading zeros, canonical base64url) so each
/// hash has one spelling, and bounded so a hostile or corrupted row cannot make
/// verification allocate gigabytes or burn minutes of CPU.
struct EncodedPasswordHash: Equatable {
    static let scheme = "scrypt"

    // Bounds for hashes read back from storage.
    static let logNRange = 1...20
    static let rRange = 1...32
    static let pRange = 1...16
    static let saltLengthRange = 8...64
    static let hashLengthRange = 16...64
    /// 256 MiB: 8× the default cost's working set.
    static let maxMemory: UInt64 = 256 << 20
    /// N·r·p caps CPU time at about 16× the default cost.
    static let maxWork: UInt64 = 1 << 22

    var logN: Int
    var r: Int
    var p: Int
    var salt: [UInt8]
    var hash: [UInt8]

    var n: UInt64 { 1 << UInt64(logN) }

    static func parametersAreAcceptable(logN: Int, r: Int, p: Int) -> Bool {
        guard logNRange.contains(logN), rRange.contains(r), pRange.contains(p) else { return false }
        let n = UInt64(1) << UInt64(logN)
        return Scrypt.memoryLimit(N: n, r: UInt64(r), p: UInt64(p)) <= maxMemory
            && n * UInt64(r) * UInt64(p) <= maxWork
    }

    var encoded: String {
        "$\(Self.scheme)$ln=\(logN),r=\(r),p=\(p)$\(Base64URL.encode(salt))$\(Base64URL.encode(hash))"
    }

    init(logN: Int, r: Int, p: Int, salt: [UInt8], hash: [UInt8]) {
        self.logN = logN
        self.r = r
        self.p = p
        self.salt = salt
        self.hash = hash
    }

    init?(_ string: String) {
        // Stored hashes are short; refuse to even split something absurd.
        guard string.utf8.count <= 256 else { return nil }
        let fields = string.split(separator: "$", omittingEmptySubsequences: false)
        guard fields.count == 5, fields[0].isEmpty, fields[1] == Self.scheme else { return nil }
        let params = fields[2].split(separator: ",", omittingEmptySubsequences: false)
        guard params.count == 3,
              let logN = Self.number(params[0], key: "ln"),
              let r = Self.number(params[1], key: "r"),
              let p = Self.number(params[2], key: "p"),
              Self.parametersAreAcceptable(logN: logN, r: r, p: p),
              let salt = Base64URL.decode(fields[3]), Self.saltLengthRange.contains(salt.count),
              let hash = Base64URL.decode(fields[4]), Self.hashLengthRange.contains(hash.count)
        else { return nil }
        self.init(logN: logN, r: r, p: p, salt: salt, hash: hash)
    }

    /// `key=digits`, at most 3 digits, no sign, no leading zero.
    private static func number(_ field: Substring, key: String) -> Int? {
        guard field.hasPrefix(key + "=") else { return nil }
        let digits = field.dropFirst(key.count + 1)
        guard (1...3).contains(digits.count),
              digits.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
              digits.count == 1 || digits.first != "0"
        else { return nil }
        return Int(digits)
    }
}
