import DeskgateStore
public import DeskgateIdentity
public import DeskgateModel
import DeskgateSystem
import DeskgateJSON

/// The tenant's MCP audit log as admins and operators read it: filtered pages for the admin
/// page, whole exports for downloads and the CLI, and the retention sweep (docs/audit.md).
public struct AuditLog: Sendable {
    let storage: Storage
    let tenant: Tenant

    public init(storage: Storage, tenant: Tenant) {
        self.storage = storage
        self.tenant = tenant
    }

    public static let pageSizes = 1...200
    /// Rows read per statement while exporting (the export streams; memory stays flat).
    static let exportBatch = 1000

    public struct Page: Sendable, Equatable {
        public let entries: [AuditRecord]
        /// Pass as `before` for the next (older) page; nil on the last page.
        public let nextBefore: Int64?
    }

    /// Newest first, keyset-paged by id.
    public func page(_ filter: AuditFilter, before: Int64? = nil, limit: Int = 50, on reader: ReadHandle) throws -> Page {
        guard Self.pageSizes.contains(limit) else { throw DeskError.invalid(field: "per_page", reason: "must be between 1 and 200") }
        let rows = try AuditRepository().page(tenantID: tenant.id, filter: filter, cursor: before, newestFirst: true,
                                              limit: limit + 1, on: reader.connection)
        let entries = Array(rows.prefix(limit))
        return Page(entries: entries, nextBefore: rows.count > limit ? entries.last?.id : nil)
    }

    /// Every matching row (the first `maximumRows` of them, when given), oldest first, handed to
    /// `emit` as export text (the CSV header first), a batch of rows per read; returns the number of rows.
    @discardableResult
    public func export(_ filter: AuditFilter, format: AuditExport.Format, maximumRows: Int? = nil, on reader: ReadHandle,
                       emit: (String) throws -> Void) throws -> Int {
        let emails = Dictionary(try AgentDirectory.users(tenant, on: reader).map { ($0.id, $0.email) }, uniquingKeysWith: { a, _ in a })
        if format == .csv { try emit(AuditExport.csvHeader) }
        var cursor: Int64 = 0, count = 0
        while true {
            let batch = min(Self.exportBatch, (maximumRows ?? Int.max) - count)
            guard batch > 0 else { return count }
            let rows = try AuditRepository().page(tenantID: tenant.id, filter: filter, cursor: cursor, newestFirst: false,
                                                  limit: batch, on: reader.connection)
            var text = ""
            for row in rows {
                text += AuditExport.line(row, tenant: tenant.slug, userEmail: row.userID.flatMap { emails[$0] }, format: format)
            }
            if !text.isEmpty { try emit(text) }
            count += rows.count
            guard rows.count == batch, let last = rows.last else { return count }
            cursor = last.id
        }
    }

    /// Rows deleted per transaction by the sweep.
    public static let sweepBatch = 1000

    /// Deletes every tenant's rows older than its retention (`AuditRetention`; 0 keeps them),
    /// a bounded batch per transaction; returns how many went. `now`: milliseconds since the epoch.
    @discardableResult
    public static func sweep(storage: Storage, now: Int64? = nil, batch: Int = sweepBatch) throws -> Int {
        let now = now ?? WallClock.milliseconds()
        let tenants = try storage.database.withReader { try TenantDirectory().list(on: $0) }
        var deleted = 0
        for tenant in tenants {
            let days = AuditRetention(settingsJSON: tenant.settingsJSON).days
            guard days > 0 else { continue }
            let cutoff = now - Int64(days) * 86_400_000
            while true {
                let count = try storage.database.write { tx in
                    try AuditRepository().deleteOlder(tenantID: tenant.id, than: cutoff, limit: batch, in: tx)
                }
                deleted += count
                if count < batch { break }
            }
        }
        return deleted
    }
}

/// How long a tenant keeps its audit log: `audit_retention_days` in `tenants.settings_json`
/// (days; 0 keeps rows forever). Absent or malformed reads as the default, 90.
public struct AuditRetention: Sendable, Equatable {
    public var days: Int

    public static let key = "audit_retention_days"
    public static let defaultDays = 90
    /// A hundred years: more is a typo, not a policy.
    public static let maximumDays = 36_500

    public init(days: Int) { self.days = days }

    public init(settingsJSON: String) {
        days = Self.defaultDays
        guard settingsJSON != "{}", let value = (try? JSONParser.parse(settingsJSON))?[Self.key]?.intValue,
              (0...Self.maximumDays).contains(value) else { return }
        days = value
    }

    /// `settingsJSON` with this retention set (other members kept).
    public func merged(into settingsJSON: String) -> String {
        var root = (try? JSONParser.parse(settingsJSON))?.objectValue ?? JSONObject()
        root[Self.key] = .number(JSONNumber(days))
        return JSONValue.object(root).text
    }

    public var description: String { days == 0 ? "kept forever" : "kept \(days) days" }
}

extension TenantService {
    /// Sets how long the tenant keeps its MCP audit log, recorded as an
    /// `audit_retention_changed` security event under `who`.
    public func setAuditRetention(_ retention: AuditRetention, slug: String, by who: ActorRef = .operator) throws -> Tenant {
        guard (0...AuditRetention.maximumDays).contains(retention.days) else {
            throw DeskError.invalid(field: AuditRetention.key, reason: "takes 0 (keep forever) to \(AuditRetention.maximumDays) days")
        }
        return try database.write { tx in
            let db = tx.connection
            guard let tenant = try TenantDirectory().bySlug(slug, on: db) else { throw DeskError.notFound("tenant '\(slug)'") }
            if case .agent(let adminID) = who { try AgentAdministration.requireAdmin(adminID, scope: tenant.scope, on: db) }
            let before = AuditRetention(settingsJSON: tenant.settingsJSON)
            guard try TenantDirectory().setSettings(retention.merged(into: tenant.settingsJSON), forSlug: slug, in: tx),
                  let updated = try TenantDirectory().bySlug(slug, on: db) else {
                throw DeskError.notFound("tenant '\(slug)'")
            }
            if before != retention {
                try SecurityEvent.record("audit_retention_changed", tenant: tenant.scope, actor: who.userID, subject: nil,
                                         detail: [(AuditRetention.key, String(retention.days))], address: nil,
                                         at: WallClock.milliseconds(), in: tx)
            }
            return updated
        }
    }
}
