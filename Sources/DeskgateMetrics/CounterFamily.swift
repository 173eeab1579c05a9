/// A counter with a fixed set of series, each found by its index (the caller maps its enum
/// or table position to it once): recording is one relaxed atomic add.
public final class CounterFamily: MetricFamily {
    public let name: String
    public let help: String
    public var type: MetricType { .counter }
    /// The labels of series `index`, nil for a slot not in use (yet): families whose series
    /// are known only as the server starts (route patterns) reserve slots up front.
    private let labels: @Sendable (Int) -> Labels?
    private let cells: AtomicCells
    /// Series still at zero are left out, so a family with many possible series (route ×
    /// status) writes only those that happened.
    private let omitZeros: Bool

    public init(_ name: String, help: String, capacity: Int, omitZeros: Bool = false, labels: @escaping @Sendable (Int) -> Labels?) {
        self.name = name
        self.help = help
        self.labels = labels
        self.omitZeros = omitZeros
        cells = AtomicCells(count: capacity)
    }

    public convenience init(_ name: String, help: String, series: [Labels], omitZeros: Bool = false) {
        self.init(name, help: help, capacity: series.count, omitZeros: omitZeros) { series[$0] }
    }

    /// A family of one series without labels.
    public convenience init(_ name: String, help: String) {
        self.init(name, help: help, series: [Labels()])
    }

    @inline(__always)
    public func add(_ series: Int = 0, _ amount: Int = 1) { cells.add(series, amount) }

    public func value(_ series: Int = 0) -> Int { cells.load(series) }

    public func appendSamples(to out: inout MetricsText) {
        for index in 0..<cells.count {
            // Zeros first: most slots of a sparse family are, and their labels cost more to make.
            let value = cells.load(index)
            if omitZeros && value == 0 { continue }
            guard let labels = labels(index) else { continue }
            out.sample(name, labels: labels, value: Double(value))
        }
    }
}
