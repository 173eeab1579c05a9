public import DeskgateModel

/// Which scopes an authorization may carry: what was asked, cut down to what the client
/// registered (if it registered any) and to what the user's role could ever use.
public enum ScopePolicy {
    /// Viewers are read-only, so a write scope would be a promise the role never keeps.
    public static func allowed(for role: UserRole) -> Scopes {
        role == .viewer ? [.ticketsRead, .directoryRead] : Scopes.all
    }

    /// Names we do not know (`openid`, `offline_access`, another product's scopes) are ignored,
    /// as RFC 6749 §3.3 lets a server do; asking only for those, or only for scopes the client
    /// or the user may not have, is `invalid_scope`. No `scope` at all means everything allowed.
    public static func narrow(requested: String?, clientRegistered: String, role: UserRole) -> Result<Scopes, OAuthFailure> {
        var allowed = allowed(for: role)
        let registered = Scopes(known: clientRegistered)
        if !registered.isEmpty { allowed.formIntersection(registered) }
        let names = (requested ?? "").split(separator: " ")
        if names.isEmpty {
            return allowed.isEmpty ? .failure(.invalidScope("this app may not be granted any scope")) : .success(allowed)
        }
        let asked = Scopes(known: requested ?? "")
        guard !asked.isEmpty else {
            return .failure(.invalidScope("none of the requested scopes exist; valid scopes: \(Scopes.validNames)"))
        }
        let granted = asked.intersection(allowed)
        guard !granted.isEmpty else {
            return .failure(.invalidScope("none of the requested scopes may be granted to this app for this user"))
        }
        return .success(granted)
    }}
