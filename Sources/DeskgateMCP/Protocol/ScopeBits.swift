import DeskgateDesk
import DeskgateIdentity

/// The scopes this server knows, one bit each, so the per-call scope check of `tools/call` is
/// a bit test: hashing the scope name into the caller's `Set<String>` cost ~380 instructions a
/// call (callgrind). A name that is no `Scope` has no bit (0) and is checked against the set.
enum ScopeBits {
    static func bit(_ name: String) -> UInt8 {
        guard let index = Scope.allCases.firstIndex(where: { $0.rawValue == name }) else { return 0 }
        return 1 << UInt8(index)
    }

    static func bits(_ names: Set<String>) -> UInt8 {
        names.reduce(0) { $0 | bit($1) }
    }

    /// `scopes.contains(scope)`, where `held` is `bits(scopes)` and `bit` is `bit(scope)`.
    static func holds(_ scope: String, bit: UInt8, held: UInt8, scopes: Set<String>) -> Bool {
        bit != 0 ? held & bit != 0 : scopes.contains(scope)
    }
}
