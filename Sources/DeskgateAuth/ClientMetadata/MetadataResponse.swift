/// A complete HTTP response to the metadata GET: status 200, JSON, body within the limit.
struct MetadataResponse: Equatable {
    var status: Int
    /// Field names lower-cased, values trimmed, in arrival order.
    var headers: [(name: String, value: String)]
    var body: [UInt8]

    /// All values of a field joined with ", " (RFC 9110 §5.3), or `nil` when absent.
    func header(_ name: String) -> String? {
        let values = headers.filter { $0.name == name }.map(\.value)
        return values.isEmpty ? nil : values.joined(separator: ", ")
    }

    static func == (lhs: MetadataResponse, rhs: MetadataResponse) -> Bool {
        lhs.status == rhs.status && lhs.body == rhs.body
            && lhs.headers.map(\.name) == rhs.headers.map(\.name) && lhs.headers.map(\.value) == rhs.headers.map(\.value)
    }
}
