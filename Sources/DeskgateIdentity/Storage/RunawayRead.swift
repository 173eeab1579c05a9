#if DEBUG
import DeskgateStore

extension ReadHandle {
    /// Debug builds only: runs a read that never ends until the connection's time budget stops
    /// it (`StoreError.overBudget`), for the no-stall tests (`DebugTools`).
    public func runRunawayRead() throws { try RunawayRead.run(on: connection) }
}
#endif
