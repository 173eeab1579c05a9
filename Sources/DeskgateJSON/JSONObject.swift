/// An ordered JSON object with unique keys.
///
/// Order is kept so output is stable (and matches what the code building it wrote); lookups
/// scan linearly because JSON-RPC objects are small, and switch to a hash index once an object
/// grows past `indexThreshold` so a large or hostile object cannot make lookups quadratic.
public struct JSONObject: Sendable, Sequence {
    public typealias Element = (key: String, value: JSONValue)

    /// A named struct, not the `Element` tuple: an array of tuples is destroyed through the
    /// runtime's generic `tuple_destroy`, ~3k instructions per JSON-RPC request (callgrind).
    fileprivate struct Member {
        var key: String
        var value: JSONValue
    }

    private var entries: [Member] = []
    /// Key to position in `entries`; only present for large objects.
    private var index: [String: Int]?

    static let indexThreshold = 16

    /// Later pairs replace earlier ones with the same key (like the subscript setter),
    /// keeping the first one's position.
    public init(_ pairs: [(String, JSONValue)] = []) {
        entries.reserveCapacity(pairs.count)
        for (key, value) in pairs { self[key] = value }
    }

    /// For literals: a repeated key is a bug in the source, so trap like `Dictionary` does.
    init(uniqueLiteralPairs pairs: [(String, JSONValue)]) {
        entries.reserveCapacity(pairs.count)
        for (key, value) in pairs {
            precondition(insertNew(key, value), "duplicate key '\(key)' in JSON object literal")
        }
    }

    public mutating func reserveCapacity(_ minimumCapacity: Int) {
        entries.reserveCapacity(minimumCapacity)
    }

    public var keys: [String] { entries.map(\.key) }
    public var values: [JSONValue] { entries.map(\.value) }
    public var count: Int { entries.count }
    public var isEmpty: Bool { entries.isEmpty }

    public struct Iterator: IteratorProtocol {
        fileprivate var members: IndexingIterator<[Member]>
        public mutating func next() -> Element? {
            members.next().map { ($0.key, $0.value) }
        }
    }

    public func makeIterator() -> Iterator {
        Iterator(members: entries.makeIterator())
    }

    /// Setting appends a new key or replaces the value in place; setting `nil` removes the key.
    public subscript(key: String) -> JSONValue? {
        get {
            guard let position = position(of: key) else { return nil }
            return entries[position].value
        }
        set {
            if let position = position(of: key) {
                if let newValue {
                    entries[position].value = newValue
                } else {
                    entries.remove(at: position)
                    rebuildIndex()
                }
            } else if let newValue {
                _ = insertNew(key, newValue)
            }
        }
    }

    /// Appends unless `key` is present; returns false (and changes nothing) when it is.
    /// The parser uses this to reject duplicate keys.
    mutating func insertNew(_ key: String, _ value: JSONValue) -> Bool {
        if position(of: key) != nil { return false }
        entries.append(Member(key: key, value: value))
        if index != nil {
            index![key] = entries.count - 1
        } else if entries.count > Self.indexThreshold {
            rebuildIndex()
        }
        return true
    }

    private func position(of key: String) -> Int? {
        if let index { return index[key] }
        // Length first: String == on different keys goes through a full comparison routine,
        // ~100 instructions a miss, and most keys of one object differ in length (callgrind).
        let length = key.utf8.count
        for position in entries.indices where entries[position].key.utf8.count == length && entries[position].key == key {
            return position
        }
        return nil
    }

    private mutating func rebuildIndex() {
        guard entries.count > Self.indexThreshold else {
            index = nil
            return
        }
        var built: [String: Int] = [:]
        built.reserveCapacity(entries.count)
        for (position, entry) in entries.enumerated() { built[entry.key] = position }
        index = built
    }
}

// JSON objects are unordered, so equality ignores order (keys are unique, so "same count and
// every member matches" is enough) and the hash combines members commutatively.
extension JSONObject: Equatable, Hashable {
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.count == rhs.count else { return false }
        for member in lhs.entries {
            guard rhs[member.key] == member.value else { return false }
        }
        return true
    }

    public func hash(into hasher: inout Hasher) {
        var sum = 0
        for member in entries {
            var one = Hasher()
            one.combine(member.key)
            one.combine(member.value)
            sum &+= one.finalize()
        }
        hasher.combine(count)
        hasher.combine(sum)
    }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    /// Keeps source order; a repeated key traps.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init(uniqueLiteralPairs: elements)
    }
}
