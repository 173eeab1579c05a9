/// What presenting a refresh token does, decided from the stored row alone (no I/O), so the
/// rules can be tested as a table: rotate a fresh token; during a short grace window after its
/// rotation, hand out a sibling (two processes of one client refreshing with the same token at
/// once); after that, treat the presentation as theft and revoke the whole grant.
public enum RefreshRotation: Equatable, Sendable {
    case rotate
    /// Second use of an already rotated token inside the grace window: also succeeds.
    case concurrentSibling
    /// Reuse after the window: revoke the grant (every token of it).
    case reuseDetected
    case expired
    case revoked

    public static func decide(rotatedAt: Int64?, revokedAt: Int64?, expiresAt: Int64, now: Int64,
                              graceMilliseconds: Int64) -> RefreshRotation {
        if revokedAt != nil { return .revoked }
        if let rotatedAt {
            return now - rotatedAt <= graceMilliseconds && graceMilliseconds > 0 ? .concurrentSibling : .reuseDetected
        }
        if now >= expiresAt { return .expired }
        return .rotate
    }
}

/// What presenting an authorization code does (RFC 6749 §4.1.2, §10.5).
public enum CodeRedemption: Equatable, Sendable {
    case redeem
    /// A used code came back: whoever holds it is not to be trusted, nor what it minted.
    case replayed
    case expired

    public static func decide(usedAt: Int64?, expiresAt: Int64, now: Int64) -> CodeRedemption {
        if usedAt != nil { return .replayed }
        if now >= expiresAt { return .expired }
        return .redeem
    }
}
