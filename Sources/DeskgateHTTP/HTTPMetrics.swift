import DeskgateMetrics

/// What the HTTP core counts: requests by route and status, their latency, open connections
/// and event streams. Recorded on the event loops with relaxed atomic adds (no lock, no
/// allocation); labels are resolved only when `/metrics` is scraped.
enum HTTPMetrics {
    /// Status codes with a series of their own; any other code counts as "other".
    static let statuses: [Int] = [
        200, 201, 202, 204, 206, 301, 302, 303, 304, 307, 308,
        400, 401, 403, 404, 405, 406, 408, 409, 410, 411, 413, 414, 415, 422, 428, 429, 431,
        500, 501, 502, 503, 504, 505,
    ]
    static let statusSlots = statuses.count + 1
    /// Status code → slot, for every code an encoder can write (100…599).
    static let slotOfStatus: [UInt8] = {
        var table = [UInt8](repeating: UInt8(statuses.count), count: 600)
        for (slot, code) in statuses.enumerated() { table[code] = UInt8(slot) }
        return table
    }()
    static let classes = ["1xx", "2xx", "3xx", "4xx", "5xx"]

    private static func routeLabels(_ route: Int) -> [(String, String)]? {
        guard let (method, pattern) = RouteTable.shared.route(route) else { return nil }
        if route == RouteTable.unmatched { return [("method", "other"), ("route", "unmatched")] }
        return [("method", method), ("route", pattern)]
    }

    static let requests = Metrics.registry.register(CounterFamily(
        "deskgate_http_requests_total", help: "HTTP requests answered, by route pattern and status code.",
        capacity: RouteTable.capacity * statusSlots, omitZeros: true) { index in
            guard var pairs = routeLabels(index / statusSlots) else { return nil }
            let slot = index % statusSlots
            pairs.append(("status", slot < statuses.count ? String(statuses[slot]) : "other"))
            return Labels(pairs)
        })

    static let latency = Metrics.registry.register(HistogramFamily(
        "deskgate_http_request_duration_seconds",
        help: "Time from reading a request to encoding its response (for an event stream: its head), by route pattern and status class.",
        capacity: RouteTable.capacity * classes.count, bounds: HistogramFamily.latencyBounds,
        divisor: HistogramFamily.nanosecondsPerSecond, omitZeros: true) { index in
            guard var pairs = routeLabels(index / classes.count) else { return nil }
            pairs.append(("status_class", classes[index % classes.count]))
            return Labels(pairs)
        })

    static let openConnections = Metrics.registry.register(GaugeFamily(
        "deskgate_http_open_connections", help: "Client connections currently open."))

    static let openStreams = Metrics.registry.register(GaugeFamily(
        "deskgate_http_open_streams", help: "Event streams (SSE) currently open."))

    /// Registers the families, so a scrape shows them before the first request completes.
    static func install() {
        _ = (requests, latency, openConnections, openStreams)
    }

    static func record(route: Int, status: Int, startedAt: UInt64, finishedAt: UInt64) {
        Recorder().record(route: route, status: status, startedAt: startedAt, finishedAt: finishedAt)
    }

    /// The families and tables a request touches, copied out of the lazily made globals once
    /// per event loop (each global access is a `swift_once` check).
    struct Recorder {
        let requests = HTTPMetrics.requests
        let latency = HTTPMetrics.latency
        let openConnections = HTTPMetrics.openConnections
        let openStreams = HTTPMetrics.openStreams
        let slotOfStatus = HTTPMetrics.slotOfStatus
        let statusSlots = HTTPMetrics.statusSlots
        let classCount = HTTPMetrics.classes.count

        @inline(__always)
        func record(route: Int, status: Int, startedAt: UInt64, finishedAt: UInt64) {
            let code = status >= 100 && status < 600 ? status : 500
            requests.add(route * statusSlots + Int(slotOfStatus[code]))
            let elapsed = finishedAt > startedAt ? Int(finishedAt - startedAt) : 0
            latency.observe(elapsed, series: route * classCount + code / 100 - 1)
        }
    }
}
