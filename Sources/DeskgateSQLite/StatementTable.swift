/// A connection's prepared statements by SQL text: open addressing, hashed on the text's length
/// and last 16 bytes with a multiplicative mix. A request looks up four to six statements
/// (BEGIN, the revocation counter, its queries, COMMIT), and `Dictionary`'s SipHash and generic
/// probing cost ~450 instructions a lookup (callgrind). The SQL text is always the program's
/// own, never a client's, so a keyed hash would buy nothing here; equality still compares the
/// whole text (a pointer check for the same `static let` text). Whole statements are often
/// 300-1,000 bytes: hashing all of them cost ~1k a lookup, while their tails (the WHERE
/// clauses) already tell them apart.
struct StatementTable {
    private var keys: [String?]
    private var hashes: [UInt64]
    private var statements: [Statement?]
    private(set) var count = 0

    init(capacity: Int = 64) {
        let size = max(8, capacity.nextPowerOfTwo)
        keys = Array(repeating: nil, count: size)
        hashes = Array(repeating: 0, count: size)
        statements = Array(repeating: nil, count: size)
    }

    subscript(sql: String) -> Statement? {
        let hash = Self.hash(sql)
        let mask = keys.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while let key = keys[slot] {
            if hashes[slot] == hash && key == sql { return statements[slot] }
            slot = (slot + 1) & mask
        }
        return nil
    }

    /// Adds `statement` for `sql`, which must not be in the table yet.
    mutating func insert(_ statement: Statement, for sql: String) {
        if (count + 1) * 2 > keys.count { grow() }
        let hash = Self.hash(sql)
        let mask = keys.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while keys[slot] != nil { slot = (slot + 1) & mask }
        keys[slot] = sql
        hashes[slot] = hash
        statements[slot] = statement
        count += 1
    }

    mutating func removeAll() {
        self = StatementTable(capacity: keys.count)
    }

    private mutating func grow() {
        var larger = StatementTable(capacity: keys.count * 2)
        for slot in keys.indices {
            if let key = keys[slot], let statement = statements[slot] { larger.insert(statement, for: key) }
        }
        self = larger
    }

    static func hash(_ sql: String) -> UInt64 {
        var text = sql
        return text.withUTF8 { bytes -> UInt64 in
            var mixed = UInt64(bytes.count) &* 0x9E37_79B9_7F4A_7C15
            if bytes.count >= 16, let base = bytes.baseAddress {
                let raw = UnsafeRawPointer(base + (bytes.count - 16))
                mixed = (mixed ^ raw.loadUnaligned(as: UInt64.self)) &* 0xBF58_476D_1CE4_E5B9
                mixed = (mixed ^ raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)) &* 0x94D0_49BB_1331_11EB
            } else {
                for byte in bytes { mixed = (mixed ^ UInt64(byte)) &* 0x100_0000_01B3 }
            }
            return mixed ^ (mixed >> 31)
        }
    }
}

extension Int {
    fileprivate var nextPowerOfTwo: Int {
        var size = 1
        while size < self { size <<= 1 }
        return size
    }
}
