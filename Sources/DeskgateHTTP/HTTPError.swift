/// An error that maps to one HTTP status and a one-line reason safe to show the client.
///
/// The parser produces these for malformed requests; handlers throw them for
/// failures they want answered with a specific status (anything else becomes a 500).
public struct HTTPError: Error, Sendable, Equatable, CustomStringConvertible {
    public let status: HTTPStatus
    public let reason: String

    public init(_ status: HTTPStatus, _ reason: String) {
        self.status = status
        self.reason = reason
    }

    public var description: String { "\(status.code) \(reason)" }
}
