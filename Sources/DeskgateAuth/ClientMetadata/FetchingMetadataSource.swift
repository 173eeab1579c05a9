/// The authorization server's real `ClientMetadataSource`: documents come from the
/// SSRF-bounded fetcher; the authorize flow stores them (kind `cimd`) for their cache lifetime.
struct FetchingMetadataSource: ClientMetadataSource {
    let fetcher: ClientMetadataFetcher

    func isMetadataURL(_ clientID: String) -> Bool { ClientMetadataFetcher.isMetadataURL(clientID) }

    func document(for clientID: String) throws -> FetchedClientMetadata {
        do {
            let document = try fetcher.fetch(clientID)
            return FetchedClientMetadata(clientID: document.clientID, clientName: document.clientName,
                                         redirectURIs: document.redirectURIs, grantTypes: document.grantTypes,
                                         scope: document.scope, maxAgeSeconds: document.maxAgeSeconds)
        } catch {
            throw ClientMetadataUnavailable(error.description)
        }
    }
}
