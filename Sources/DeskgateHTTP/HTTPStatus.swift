/// A response status code with its reason phrase.
public struct HTTPStatus: Sendable, Equatable, Hashable, CustomStringConvertible {
    public let code: Int
    public let reason: String
    /// The reason is the registered one, so the encoder may use a prebuilt status line.
    let isStandard: Bool

    public init(_ code: Int, _ reason: String) {
        self.code = code
        self.reason = reason
        isStandard = Self.reasons[code] == reason
    }

    private init(standard code: Int, _ reason: String) {
        self.code = code
        self.reason = reason
        isStandard = true
    }

    public init(code: Int) {
        if let reason = Self.reasons[code] {
            self.init(standard: code, reason)
        } else {
            self.init(code, "Status \(code)")
        }
    }

    public static func == (lhs: HTTPStatus, rhs: HTTPStatus) -> Bool { lhs.code == rhs.code && lhs.reason == rhs.reason }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    public var description: String { "\(code) \(reason)" }

    public static let `continue` = HTTPStatus(standard: 100, "Continue")
    public static let ok = HTTPStatus(standard: 200, "OK")
    public static let created = HTTPStatus(standard: 201, "Created")
    public static let accepted = HTTPStatus(standard: 202, "Accepted")
    public static let noContent = HTTPStatus(standard: 204, "No Content")
    public static let found = HTTPStatus(standard: 302, "Found")
    public static let seeOther = HTTPStatus(standard: 303, "See Other")
    public static let notModified = HTTPStatus(standard: 304, "Not Modified")
    public static let badRequest = HTTPStatus(standard: 400, "Bad Request")
    public static let unauthorized = HTTPStatus(standard: 401, "Unauthorized")
    public static let forbidden = HTTPStatus(standard: 403, "Forbidden")
    public static let notFound = HTTPStatus(standard: 404, "Not Found")
    public static let methodNotAllowed = HTTPStatus(standard: 405, "Method Not Allowed")
    public static let notAcceptable = HTTPStatus(standard: 406, "Not Acceptable")
    public static let requestTimeout = HTTPStatus(standard: 408, "Request Timeout")
    public static let conflict = HTTPStatus(standard: 409, "Conflict")
    public static let contentTooLarge = HTTPStatus(standard: 413, "Content Too Large")
    public static let uriTooLong = HTTPStatus(standard: 414, "URI Too Long")
    public static let unsupportedMediaType = HTTPStatus(standard: 415, "Unsupported Media Type")
    public static let expectationFailed = HTTPStatus(standard: 417, "Expectation Failed")
    public static let misdirectedRequest = HTTPStatus(standard: 421, "Misdirected Request")
    public static let unprocessableContent = HTTPStatus(standard: 422, "Unprocessable Content")
    public static let tooManyRequests = HTTPStatus(standard: 429, "Too Many Requests")
    public static let headerFieldsTooLarge = HTTPStatus(standard: 431, "Request Header Fields Too Large")
    public static let internalServerError = HTTPStatus(standard: 500, "Internal Server Error")
    public static let notImplemented = HTTPStatus(standard: 501, "Not Implemented")
    public static let serviceUnavailable = HTTPStatus(standard: 503, "Service Unavailable")
    public static let httpVersionNotSupported = HTTPStatus(standard: 505, "HTTP Version Not Supported")

    private static let reasons: [Int: String] = {
        let all: [HTTPStatus] = [
            .continue, .ok, .created, .accepted, .noContent, .found, .seeOther, .notModified,
            .badRequest, .unauthorized, .forbidden, .notFound, .methodNotAllowed, .notAcceptable,
            .requestTimeout, .conflict, .contentTooLarge, .uriTooLong, .unsupportedMediaType,
            .expectationFailed, .misdirectedRequest, .unprocessableContent, .tooManyRequests, .headerFieldsTooLarge,
            .internalServerError, .notImplemented, .serviceUnavailable, .httpVersionNotSupported,
        ]
        return Dictionary(uniqueKeysWithValues: all.map { ($0.code, $0.reason) })
    }()
}
