/// A gauge with a fixed set of series that its owners move up and down as things open and
/// close (connections, streams): one relaxed atomic add per change, read when scraped.
public final class GaugeFamily: MetricFamily {
    public let name: String
    public let help: String
    public var type: MetricType { .gauge }
    public let series: [Labels]
    private let cells: AtomicCells

    public init(_ name: String, help: String, series: [Labels] = [Labels()]) {
        precondition(!series.isEmpty)
        self.name = name
        self.help = help
        self.series = series
        cells = AtomicCells(count: series.count)
    }

    @inline(__always)
    public func add(_ series: Int = 0, _ amount: Int) { cells.add(series, amount) }

    public func value(_ series: Int = 0) -> Int { cells.load(series) }

    public func appendSamples(to out: inout MetricsText) {
        for (index, labels) in series.enumerated() {
            out.sample(name, labels: labels, value: Double(cells.load(index)))
        }
    }
}
