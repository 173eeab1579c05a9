public import DeskgateSQL
import DeskgateModel
import DeskgateSystem

/// Rows for `deskgate debug write-probe`: it records increasing sequence numbers through the
/// write queue and prints each one only from its completion; after kill -9 every printed
/// number must be in `sequences`.
public struct DurabilityProbe: Sendable {
    public init() {}

    public func record(sequence: Int64, in tx: WriteTransaction) throws {
        try tx.connection.run("INSERT INTO durability_probe (sequence, written_at) VALUES (?1, ?2)",
                              sequence, WallClock.milliseconds())
    }

    public func sequences(on db: any SQLConnection) throws -> [Int64] {
        try db.queryAll("SELECT sequence FROM durability_probe ORDER BY sequence") { $0.int64(0) }
    }
}
