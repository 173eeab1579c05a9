import DeskgateCrypto
public import DeskgateIdentity
import DeskgateStore
import DeskgateSystem

/// The `requestState` of a 2026-07-28 `input_required` result: which approval a retry refers
/// to, with the tenant, user, tool, argument digest and expiry it was issued for, under an
/// HMAC-SHA256 tag keyed by a secret the deployment's processes share. The client echoes it
/// opaquely; a tampered, foreign (another tenant's or user's) or stale state opens to nil, and
/// the approval row is still checked against the retry after that.
public struct ApprovalRequestState: Sendable {
    static let secretName = "mcp-approval-state-v1"
    private let key: [UInt8]

    public init(storage: Storage) throws {
        key = try storage.database.write { tx in
            try DeploymentState().secret(named: Self.secretName, fresh: SecureRandom.bytes(32), at: WallClock.milliseconds(), in: tx)
        }
    }

    init(key: [UInt8]) { self.key = key }

    public func seal(approvalID: String, binding: ApprovalBinding, expiresAt: Int64) -> String {
        let body = Self.fields(approvalID: approvalID, binding: binding, expiresAt: expiresAt)
        return Base64URL.encode(body) + "." + Base64URL.encode(HMACSHA256.authenticate(key: key, data: body))
    }

    /// The approval id `state` names, if its tag is right for this binding and it has not expired.
    public func open(_ state: String, binding: ApprovalBinding, now: Int64) -> String? {
        guard state.utf8.count <= 2048 else { return nil }
        let parts = state.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let bodyBytes = Base64URL.decode(parts[0]), let tag = Base64URL.decode(parts[1]),
              let body = String(validating: bodyBytes, as: UTF8.self) else { return nil }
        let fields = body.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard fields.count == 8, fields[0] == "deskgate approval v1", let expiresAt = Int64(fields[7]) else { return nil }
        let expected = Self.fields(approvalID: fields[1], binding: binding, expiresAt: expiresAt)
        guard ConstantTime.equals(HMACSHA256.authenticate(key: key, data: expected), tag),
              ConstantTime.equals(expected, body), now < expiresAt else { return nil }
        return fields[1]
    }

    private static func fields(approvalID: String, binding: ApprovalBinding, expiresAt: Int64) -> String {
        ["deskgate approval v1", approvalID, String(binding.tenantID), String(binding.userID),
         binding.tokenID.map(String.init) ?? "-", binding.clientID ?? "-",
         binding.tool + " " + binding.argumentsDigest, String(expiresAt)].joined(separator: "\n")
    }
}
