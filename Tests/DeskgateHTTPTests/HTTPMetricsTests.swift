import DeskgateMetrics
import Testing
@testable import DeskgateHTTP

/// Requests are counted by route pattern and status, their latency by route and status class.
@Suite("HTTP metrics")
struct HTTPMetricsTests {
    private func lines() -> [Substring] {
        String(decoding: Metrics.registry.exposition(), as: UTF8.self).split(separator: "\n")
    }

    @Test func routesAreNumberedOncePerMethodAndPattern() {
        let get = RouteTable.shared.index(method: "GET", pattern: "/metrics-test/a/{id}")
        #expect(get != RouteTable.unmatched)
        #expect(RouteTable.shared.index(method: "GET", pattern: "/metrics-test/a/{id}") == get)
        #expect(RouteTable.shared.index(method: "POST", pattern: "/metrics-test/a/{id}") != get)
        #expect(RouteTable.shared.route(get)! == ("GET", "/metrics-test/a/{id}"))
    }

    @Test func statusesOutsideTheListCountAsOtherAndImpossibleOnesAs500() {
        HTTPMetrics.install()
        let route = RouteTable.shared.index(method: "GET", pattern: "/metrics-test/b")
        HTTPMetrics.record(route: route, status: 200, startedAt: 1_000, finishedAt: 2_001_000)
        HTTPMetrics.record(route: route, status: 418, startedAt: 0, finishedAt: 0)
        HTTPMetrics.record(route: route, status: 999, startedAt: 5, finishedAt: 1)   // a clock that went back: 0 s
        let series = #"{method="GET",route="/metrics-test/b","#
        let mine = lines().filter { $0.contains(series) }
        #expect(mine.contains("deskgate_http_requests_total\(series)status=\"200\"} 1"))
        #expect(mine.contains("deskgate_http_requests_total\(series)status=\"other\"} 1"))
        #expect(mine.contains("deskgate_http_requests_total\(series)status=\"500\"} 1"))
        #expect(mine.filter { $0.hasPrefix("deskgate_http_requests_total") }.count == 3)
        #expect(mine.contains("deskgate_http_request_duration_seconds_bucket\(series)status_class=\"2xx\",le=\"0.0025\"} 1"))
        #expect(mine.contains("deskgate_http_request_duration_seconds_bucket\(series)status_class=\"2xx\",le=\"0.001\"} 0"))
        #expect(mine.contains("deskgate_http_request_duration_seconds_sum\(series)status_class=\"2xx\"} 0.002"))
        #expect(mine.contains("deskgate_http_request_duration_seconds_count\(series)status_class=\"4xx\"} 1"))
        #expect(mine.contains("deskgate_http_request_duration_seconds_count\(series)status_class=\"5xx\"} 1"))
        #expect(!mine.contains { $0.contains("status_class=\"3xx\"") })
    }
}
