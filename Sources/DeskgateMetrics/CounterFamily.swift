/// A counter with a fixed set of series, each found by its index (the caller maps its enum
/// or table position to it once): recording is one relaxed atomic add.
public final class CounterFamily: MetricFamily {
    public let name: String
    public let help: String
    public var type: MetricType { .counter }
    public let series: [Labels]
    private let cells: AtomicCells
    /// Series still at zero are left out, so a family with many possible series (route ×
    /// status) writes only those that happened.
    private let omitZeros: Bool

    public init(_ name: String, help: String, series: [Labels], omitZeros: Bool = false) {
        precondition(!series.isEmpty)
        self.name = name
        self.help = help
        self.series = series
        self.omitZeros = omitZeros
        cells = AtomicCells(count: series.count)
    }

    /// A family of one series without labels.
    public convenience init(_ name: String, help: String) {
        self.init(name, help: help, series: [Labels()])
    }

    @inline(__always)
    public func add(_ series: Int = 0, _ amount: Int = 1) { cells.add(series, amount) }

    public func value(_ series: Int = 0) -> Int { cells.load(series) }

    public func appendSamples(to out: inout MetricsText) {
        for (index, labels) in series.enumerated() {
            let value = cells.load(index)
            if omitZeros && value == 0 { continue }
            out.sample(name, labels: labels, value: Double(value))
        }
    }
}
