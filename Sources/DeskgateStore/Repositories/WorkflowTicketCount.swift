import DeskgateSQL
import DeskgateModel
/// How many workflow tickets of a tenant were created in a window, from migration 9's
/// per-bucket counts: the buckets wholly inside the window are summed, the rest of the window
/// (at most one bucket at each edge) is counted on `workflow_tickets_by_created`.
/// Exact for any window, including open ends and creation times outside the usual range.
struct WorkflowTicketCount {
    /// Which buckets to sum and which ranges of creation times to count row by row.
    struct Plan: Equatable {
        var buckets: ClosedRange<Int64>?
        var ranges: [ClosedRange<Int64>]
    }

    static let bucket = Schema9.bucketMilliseconds

    /// The plan for creation times in `from...to` (nil: open). The bucket arithmetic runs on
    /// `0...(Int64.max - bucket)`, where it cannot overflow and where SQL's truncating division
    /// equals floor division; anything outside that (no real ticket) is counted as a range.
    static func plan(from: Int64?, to: Int64?) -> Plan {
        let low = from ?? .min, high = to ?? .max
        guard low <= high else { return Plan(buckets: nil, ranges: []) }
        var ranges: [ClosedRange<Int64>] = []
        let ceiling = Int64.max - bucket
        if low < 0 { ranges.append(low...min(high, -1)) }
        if high > ceiling { ranges.append(max(low, ceiling + 1)...high) }
        let start = max(low, 0), end = min(high, ceiling)
        guard start <= end else { return Plan(buckets: nil, ranges: ranges) }
        let first = (start + bucket - 1) / bucket               // first bucket starting at or after `start`
        let last = (end + 1) / bucket - 1                        // last bucket ending at or before `end`
        guard first <= last else { return Plan(buckets: nil, ranges: ranges + [start...end]) }
        if start < first * bucket { ranges.append(start...(first * bucket - 1)) }
        if (last + 1) * bucket <= end { ranges.append(((last + 1) * bucket)...end) }
        return Plan(buckets: first...last, ranges: ranges)
    }

    /// The count, in one statement (one read of each structure, one snapshot).
    static func total(tenantID: RowTenant, from: Int64?, to: Int64?, on db: any SQLConnection) throws -> Int {
        let plan = plan(from: from, to: to)
        var parts: [String] = []
        var bindings: [any SQLBindable] = [tenantID]
        if let buckets = plan.buckets {
            parts.append("(SELECT coalesce(sum(tickets), 0) FROM workflow_ticket_months WHERE tenant_id = ?1 AND month BETWEEN ? AND ?)")
            bindings += [buckets.lowerBound, buckets.upperBound]
        }
        for range in plan.ranges {
            parts.append("""
                (SELECT count(*) FROM tickets WHERE tenant_id = ?1 AND workflow_version_id IS NOT NULL
                 AND created_at BETWEEN ? AND ?)
                """)
            bindings += [range.lowerBound, range.upperBound]
        }
        guard !parts.isEmpty else { return 0 }
        return try db.queryOne("SELECT " + parts.joined(separator: " + "), bindings: bindings) { $0.int(0) } ?? 0
    }
}
