public import DeskgateSQL
import DeskgateModel

/// Row decoding and column bindings for the model's PublishedSigningKey types.
extension SigningKeyState: SQLBindable {}

extension PublishedSigningKey {
    static let columns = "kid, alg, public_jwk_json, state, created_at, activated_at, retired_at"

    init(row: any SQLRow) throws {
        self.init(kid: row.string(0), alg: row.string(1), publicJWKJSON: row.string(2),
                  state: try row.value(SigningKeyState.self, 3), createdAt: row.int64(4),
                  activatedAt: row.optionalInt64(5), retiredAt: row.optionalInt64(6))
    }
}
