import DeskgateStore
import DeskgateModel

extension AuthorizedApps {
    /// Where each of these clients sends people back (its registered redirect URIs), for the
    /// "Authorized apps" lists of the profile and admin pages; a purged client maps to nothing.
    public func redirectURIs(tenant slug: String, clientIDs: Set<String>) throws -> [String: [String]] {
        try database.withReader { db in
            let scope = try PersonalAccessTokenService.tenant(slug, on: db)
            var found: [String: [String]] = [:]
            for clientID in clientIDs {
                if let client = try scope.oauthClients.byClientID(clientID, on: db) { found[clientID] = client.redirectURIs }
            }
            return found
        }
    }
}
