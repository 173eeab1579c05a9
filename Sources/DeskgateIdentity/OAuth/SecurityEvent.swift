import DeskgateJSON
public import DeskgateStore
import DeskgateModel
import DeskgateSystem

/// Writes a security event (sign-ins, approvals, revocations, replay and reuse detection)
/// to the tenant's audit table and as one JSON line on stderr. Details are ids and names,
/// never a token, code, password or secret.
public enum SecurityEvent {
    public static func record(_ kind: String, tenant: TenantScope, actor: Int64?, subject: Int64?,
                              detail: [(String, String)] = [], address: String?, at time: Int64,
                              in tx: WriteTransaction) throws {
        let json = JSONValue.object(JSONObject(detail.map { ($0.0, .string($0.1)) })).text
        try tenant.securityEvents.record(kind: kind, actorUserID: actor, subjectUserID: subject, detailJSON: json,
                                         address: address, at: time, in: tx)
        var fields: [String: LogValue] = ["kind": .string(kind), "tenant": .string(tenant.slug)]
        if let subject { fields["user_id"] = .int(Int(subject)) }
        if let address { fields["remote"] = .string(address) }
        for (name, value) in detail where name != "email" { fields[name] = .string(value) }
        Log.info("security_event", fields)
    }
}
