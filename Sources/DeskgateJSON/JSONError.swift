/// Why a document was rejected, and where: `offset` is the index of the offending byte
/// in the input (the input's length when it ended too early).
public struct JSONError: Error, Sendable, Equatable, CustomStringConvertible {
    public let offset: Int
    public let reason: String

    public init(offset: Int, reason: String) {
        self.offset = offset
        self.reason = reason
    }

    /// For example "unexpected character 'x' at byte 17".
    public var description: String { "\(reason) at byte \(offset)" }
}
