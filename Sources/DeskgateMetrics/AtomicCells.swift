import Synchronization

/// A fixed number of integers that any thread may add to, read only when `/metrics` is scraped.
///
/// Relaxed atomic adds: one instruction on the hot path, no lock, no ordering with anything
/// else (a scrape may see one counter a request ahead of another; Prometheus expects that).
/// Allocated once and never freed: metric families live as long as the process.
public final class AtomicCells: @unchecked Sendable {
    private let base: UnsafeMutablePointer<Atomic<Int>>
    public let count: Int

    public init(count: Int) {
        precondition(count > 0)
        self.count = count
        base = .allocate(capacity: count)
        for index in 0..<count { (base + index).initialize(to: Atomic(0)) }
    }

    @inline(__always)
    public func add(_ index: Int, _ amount: Int = 1) {
        base[index].wrappingAdd(amount, ordering: .relaxed)
    }

    public func load(_ index: Int) -> Int {
        base[index].load(ordering: .relaxed)
    }
}
