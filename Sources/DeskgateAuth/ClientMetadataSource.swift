/// Where authorize gets Client ID Metadata Documents (a `client_id` that is an https URL).
/// The fetcher itself (SSRF limits, size and time bounds, cache headers) lives in
/// `ClientMetadata/`; this seam lets the server run without it and tests inject documents.
public protocol ClientMetadataSource: Sendable {
    /// True when `clientID` should be fetched rather than looked up among registered clients.
    func isMetadataURL(_ clientID: String) -> Bool
    /// The validated document (blocking: called on the worker pool). Throws a
    /// `ClientMetadataUnavailable` whose description is fit for the person at the browser.
    func document(for clientID: String) throws -> FetchedClientMetadata
}

/// The fields of a validated document that authorization needs.
public struct FetchedClientMetadata: Sendable, Equatable {
    public var clientID: String
    public var clientName: String?
    public var redirectURIs: [String]
    public var grantTypes: [String]
    public var scope: String?
    /// How long the document may be cached (already clamped by the fetcher).
    public var maxAgeSeconds: Int

    public init(clientID: String, clientName: String?, redirectURIs: [String], grantTypes: [String], scope: String?,
                maxAgeSeconds: Int) {
        self.clientID = clientID
        self.clientName = clientName
        self.redirectURIs = redirectURIs
        self.grantTypes = grantTypes
        self.scope = scope
        self.maxAgeSeconds = maxAgeSeconds
    }
}

public struct ClientMetadataUnavailable: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
