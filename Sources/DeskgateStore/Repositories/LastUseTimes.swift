import DeskgateSQL

/// Batched "last used" times of credentials, written by whichever process noted them. A time
/// only moves `last_used_at` forward, so flushes from several processes may arrive in any
/// order. Deployment-wide: the ids come from verified credentials of any tenant the process
/// served, so the statements run across tenants. Returns how many rows moved.
enum LastUseTimes {
    static func record(_ uses: [(id: Int64, at: Int64)], table: StaticString, in tx: WriteTransaction) throws -> Int {
        try tx.connection.acrossTenants {
            var moved = 0
            for use in uses {
                moved += try tx.connection.run("""
                    UPDATE \(table) SET last_used_at = ?2 WHERE id = ?1 AND (last_used_at IS NULL OR last_used_at < ?2)
                    """, use.id, use.at)
            }
            return moved
        }
    }
}
