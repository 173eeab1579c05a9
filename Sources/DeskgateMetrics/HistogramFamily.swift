/// A histogram with fixed buckets and a fixed set of series.
///
/// Observations are integers in the family's unit (nanoseconds for latencies, items for
/// batch sizes); `divisor` turns them into the exposed unit (seconds: 1e9; a division, not a
/// multiplication by 1e-9, so 26,500,000 ns prints as 0.0265). Each series keeps
/// one cell per bucket (non-cumulative, so an observation is one add), one for +Inf, and the
/// sum; the scrape accumulates the buckets and derives the count.
public final class HistogramFamily: MetricFamily {
    public let name: String
    public let help: String
    public var type: MetricType { .histogram }
    /// The labels of series `index`, nil for a slot not in use (as in `CounterFamily`).
    private let labels: @Sendable (Int) -> Labels?
    private let seriesCount: Int
    /// Upper bounds in the observation unit, ascending.
    public let bounds: [Int]
    private let labelsOfBounds: [String]
    private let divisor: Double
    private let omitZeros: Bool
    private let cells: AtomicCells
    private var stride: Int { bounds.count + 2 }

    public init(_ name: String, help: String, capacity: Int, bounds: [Int], divisor: Double = 1, omitZeros: Bool = false,
                labels: @escaping @Sendable (Int) -> Labels?) {
        precondition(capacity > 0 && !bounds.isEmpty && bounds == bounds.sorted())
        self.name = name
        self.help = help
        self.labels = labels
        seriesCount = capacity
        self.bounds = bounds
        self.divisor = divisor
        self.omitZeros = omitZeros
        labelsOfBounds = bounds.map { MetricsText.format(Double($0) / divisor) }
        cells = AtomicCells(count: capacity * (bounds.count + 2))
    }

    public convenience init(_ name: String, help: String, series: [Labels], bounds: [Int], divisor: Double = 1, omitZeros: Bool = false) {
        self.init(name, help: help, capacity: series.count, bounds: bounds, divisor: divisor, omitZeros: omitZeros) { series[$0] }
    }

    public convenience init(_ name: String, help: String, bounds: [Int], divisor: Double = 1) {
        self.init(name, help: help, series: [Labels()], bounds: bounds, divisor: divisor)
    }

    /// Latency buckets from 0.5 ms to 10 s, in nanoseconds.
    public static let latencyBounds: [Int] = [
        500_000, 1_000_000, 2_500_000, 5_000_000, 10_000_000, 25_000_000, 50_000_000, 100_000_000,
        250_000_000, 500_000_000, 1_000_000_000, 2_500_000_000, 5_000_000_000, 10_000_000_000,
    ]
    public static let nanosecondsPerSecond = 1e9

    @inline(__always)
    public func observe(_ value: Int, series: Int = 0) {
        var bucket = 0
        while bucket < bounds.count && value > bounds[bucket] { bucket += 1 }
        let base = series * stride
        cells.add(base + bucket)
        cells.add(base + bounds.count + 1, value)
    }

    /// Observations so far in `series` (the `_count`).
    public func count(_ series: Int = 0) -> Int {
        let base = series * stride
        return (0...bounds.count).reduce(0) { $0 + cells.load(base + $1) }
    }

    public func appendSamples(to out: inout MetricsText) {
        var counts: [Int] = []
        counts.reserveCapacity(bounds.count + 1)
        for index in 0..<seriesCount {
            let base = index * stride
            var cumulative = 0
            counts.removeAll(keepingCapacity: true)
            for bucket in 0...bounds.count {
                cumulative += cells.load(base + bucket)
                counts.append(cumulative)
            }
            if omitZeros && cumulative == 0 { continue }
            guard let labels = labels(index) else { continue }
            for bucket in 0..<bounds.count {
                out.sample(name, suffix: "_bucket", labels: labels, extra: ("le", labelsOfBounds[bucket]), value: Double(counts[bucket]))
            }
            out.sample(name, suffix: "_bucket", labels: labels, extra: ("le", "+Inf"), value: Double(cumulative))
            out.sample(name, suffix: "_sum", labels: labels, value: Double(cells.load(base + bounds.count + 1)) / divisor)
            out.sample(name, suffix: "_count", labels: labels, value: Double(cumulative))
        }
    }
}
