/// A family whose values are read when scraped, from state its owner keeps anyway (queue
/// lengths, pool sizes, cache statistics): nothing is recorded on any hot path.
public final class SampledFamily: MetricFamily {
    public let name: String
    public let help: String
    public let type: MetricType
    private let read: @Sendable () -> [(Labels, Double)]

    public init(_ name: String, help: String, type: MetricType = .gauge, read: @escaping @Sendable () -> [(Labels, Double)]) {
        precondition(type != .histogram)
        self.name = name
        self.help = help
        self.type = type
        self.read = read
    }

    /// One unlabelled series.
    public convenience init(_ name: String, help: String, type: MetricType = .gauge, value: @escaping @Sendable () -> Double) {
        self.init(name, help: help, type: type) { [(Labels(), value())] }
    }

    public func appendSamples(to out: inout MetricsText) {
        for (labels, value) in read() { out.sample(name, labels: labels, value: value) }
    }
}
