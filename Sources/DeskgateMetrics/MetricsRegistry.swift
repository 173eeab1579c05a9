import Synchronization

/// One metric family as the exposition writes it: its samples, gathered at scrape time.
public protocol MetricFamily: Sendable {
    var name: String { get }
    var help: String { get }
    var type: MetricType { get }
    /// Appends the family's sample lines (not its HELP and TYPE lines).
    func appendSamples(to out: inout MetricsText)
}

public enum MetricType: String, Sendable {
    case counter, gauge, histogram
}

/// The families a process exposes on `/metrics`, in the order they were registered.
///
/// One per process (`Metrics.registry`): each server is its own process, and the code that
/// records (the HTTP core, the store, the MCP dispatcher) reaches it without plumbing. Label
/// values are fixed when a family is made (route patterns, tool names, small enums), never a
/// tenant, a token or a raw path, so the output stays small and leaks nothing tenant-specific.
public final class MetricsRegistry: Sendable {
    private let families = Mutex<[any MetricFamily]>([])

    public init() {}

    /// Registers `family`; a second family with the same name replaces the first (tests and
    /// servers that rebuild their routes re-register, never double).
    @discardableResult
    public func register<Family: MetricFamily>(_ family: Family) -> Family {
        families.withLock { list in
            if let index = list.firstIndex(where: { $0.name == family.name }) {
                list[index] = family
            } else {
                list.append(family)
            }
        }
        return family
    }

    /// The Prometheus text exposition format (version 0.0.4).
    public func exposition() -> [UInt8] {
        let snapshot = families.withLock { $0 }
        var out = MetricsText()
        for family in snapshot {
            out.header(name: family.name, help: family.help, type: family.type)
            family.appendSamples(to: &out)
        }
        return out.bytes
    }

    /// The content type of `exposition()`.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"
}

/// The process's registry.
public enum Metrics {
    public static let registry = MetricsRegistry()
}
