/// The values of a matched route's `{name}` segments, percent-decoded: a route has one or two,
/// so they are a short list of pairs. A `Dictionary` cost ~1.4k instructions per request to
/// build and hash into (callgrind), for a lookup or two.
public struct PathParameters: Sendable, Equatable, ExpressibleByDictionaryLiteral, CustomStringConvertible {
    private var pairs: [(name: String, value: String)] = []

    public init() {}

    public init(dictionaryLiteral elements: (String, String)...) {
        for (name, value) in elements { self[name] = value }
    }

    public var count: Int { pairs.count }
    public var isEmpty: Bool { pairs.isEmpty }

    /// Setting a name again replaces its value, as a dictionary would.
    public subscript(name: String) -> String? {
        get {
            for pair in pairs where pair.name == name { return pair.value }
            return nil
        }
        set {
            if let index = pairs.firstIndex(where: { $0.name == name }) {
                if let newValue { pairs[index].value = newValue } else { pairs.remove(at: index) }
            } else if let newValue {
                pairs.append((name, newValue))
            }
        }
    }

    /// Order does not matter, as between dictionaries: names are unique.
    public static func == (lhs: PathParameters, rhs: PathParameters) -> Bool {
        lhs.count == rhs.count && lhs.pairs.allSatisfy { rhs[$0.name] == $0.value }
    }

    public var description: String {
        "[" + pairs.map { "\($0.name): \($0.value)" }.joined(separator: ", ") + "]"
    }
}
