import DeskgateMetrics
import Testing

/// The text format as Prometheus (and `prometheus_client`'s parser) reads it.
@Suite("Metrics exposition")
struct ExpositionTests {
    private func text(_ family: any MetricFamily) -> String {
        let registry = MetricsRegistry()
        registry.register(family)
        return String(decoding: registry.exposition(), as: UTF8.self)
    }

    @Test(arguments: [
        (0.0, "0"), (3.0, "3"), (-2.0, "-2"), (0.25, "0.25"), (0.0005, "0.0005"), (1.5e-9, "1.5e-09"),
        (Double.infinity, "+Inf"), (-Double.infinity, "-Inf"), (Double.nan, "NaN"), (1e20, "1e+20"),
    ])
    func numbers(value: Double, expected: String) {
        #expect(MetricsText.format(value) == expected)
    }

    @Test func counterWithEscapedLabelsAndHelp() {
        let family = CounterFamily("deskgate_test_total", help: "A \\ help\nline.",
                                   series: [Labels([("route", "/a\"b\\c\nd")]), Labels([("route", "/plain")])])
        family.add(0, 2)
        family.add(1)
        family.add(1)
        #expect(text(family) == """
            # HELP deskgate_test_total A \\\\ help\\nline.
            # TYPE deskgate_test_total counter
            deskgate_test_total{route="/a\\"b\\\\c\\nd"} 2
            deskgate_test_total{route="/plain"} 2

            """)
    }

    @Test func zerosAreLeftOutOnlyWhenAsked() {
        let sparse = CounterFamily("sparse_total", help: "h", series: [Labels([("s", "a")]), Labels([("s", "b")])], omitZeros: true)
        sparse.add(1)
        #expect(text(sparse) == "# HELP sparse_total h\n# TYPE sparse_total counter\nsparse_total{s=\"b\"} 1\n")
        let dense = CounterFamily("dense_total", help: "h")
        #expect(text(dense) == "# HELP dense_total h\n# TYPE dense_total counter\ndense_total 0\n")
    }

    @Test func histogramBucketsAreCumulativeWithSumAndCount() {
        let family = HistogramFamily("lat_seconds", help: "h", series: [Labels([("route", "/x")])],
                                     bounds: [1_000_000, 10_000_000], divisor: 1e9)
        // Bounds are inclusive (`le`): exactly 1 ms is in the first bucket.
        for nanoseconds in [500_000, 1_000_000, 5_000_000, 20_000_000] { family.observe(nanoseconds) }
        #expect(family.count() == 4)
        #expect(text(family) == """
            # HELP lat_seconds h
            # TYPE lat_seconds histogram
            lat_seconds_bucket{route="/x",le="0.001"} 2
            lat_seconds_bucket{route="/x",le="0.01"} 3
            lat_seconds_bucket{route="/x",le="+Inf"} 4
            lat_seconds_sum{route="/x"} 0.0265
            lat_seconds_count{route="/x"} 4

            """)
    }

    @Test func unlabelledHistogramInItsOwnUnit() {
        let family = HistogramFamily("batch", help: "h", bounds: [1, 4])
        family.observe(1)
        family.observe(7)
        #expect(text(family) == """
            # HELP batch h
            # TYPE batch histogram
            batch_bucket{le="1"} 1
            batch_bucket{le="4"} 1
            batch_bucket{le="+Inf"} 2
            batch_sum 8
            batch_count 2

            """)
    }

    @Test func gaugesMoveBothWaysAndSampledFamiliesReadWhenScraped() {
        let gauge = GaugeFamily("open", help: "h")
        gauge.add(0, 3)
        gauge.add(0, -1)
        #expect(gauge.value() == 2)
        let sampled = SampledFamily("cache_total", help: "h", type: .counter) {
            [(Labels([("result", "hit")]), 5), (Labels([("result", "miss")]), 1)]
        }
        #expect(text(sampled) == """
            # HELP cache_total h
            # TYPE cache_total counter
            cache_total{result="hit"} 5
            cache_total{result="miss"} 1

            """)
    }

    @Test func registeringANameAgainReplacesTheFamily() {
        let registry = MetricsRegistry()
        registry.register(GaugeFamily("g", help: "first"))
        registry.register(GaugeFamily("g", help: "second"))
        let text = String(decoding: registry.exposition(), as: UTF8.self)
        #expect(text == "# HELP g second\n# TYPE g gauge\ng 0\n")
    }

    @Test func concurrentAddsAreNotLost() async {
        let family = CounterFamily("c_total", help: "h")
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<8 { group.addTask { for _ in 0..<10_000 { family.add() } } }
        }
        #expect(family.value() == 80_000)
    }
}
