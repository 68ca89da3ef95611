import Testing

@testable import SentinelMetrics

@Suite("Counters, gauges, histograms and the registry")
struct MetricsTests {
    @Test("Counters and gauges are exact under concurrent updates")
    func concurrency() async {
        let counter = Counter(name: "c_total")
        let gauge = Gauge(name: "g")
        let histogram = try! Histogram(name: "h", buckets: [1, 2])
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    for _ in 0..<10_000 {
                        counter.increment()
                        gauge.increment(by: 2)
                        gauge.decrement()
                        histogram.observe(1.5)
                    }
                }
            }
        }
        #expect(counter.value == 80_000)
        #expect(gauge.value == 80_000)
        #expect(histogram.snapshot.count == 80_000 && histogram.snapshot.bucketCounts == [0, 80_000, 0])
    }

    @Test("Concurrent registration of one series yields one object and an exact total")
    func concurrentRegistration() async throws {
        let registry = MetricsRegistry()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    for index in 0..<1_000 {
                        let counter = try! registry.makeCounter(
                            name: "events_total", help: "Events.", labels: ["shard": String(index % 4)])
                        counter.increment()
                    }
                }
            }
        }
        let text = registry.renderPrometheus()
        for shard in 0..<4 { #expect(text.contains("events_total{shard=\"\(shard)\"} 2000\n")) }
    }

    @Test(
        "Histogram buckets are 'less than or equal'",
        arguments: [
            (0.5, 0), (1.0, 0), (1.0000001, 1), (2.0, 1), (2.5, 2), (Double.infinity, 2), (Double.nan, 2),
        ])
    func bucketEdges(value: Double, bucket: Int) throws {
        let histogram = try Histogram(name: "h", buckets: [1, 2])
        histogram.observe(value)
        #expect(histogram.snapshot.bucketCounts[bucket] == 1)
    }

    @Test("Asking twice returns the same series; contradictions throw")
    func registration() throws {
        let registry = MetricsRegistry()
        let a = try registry.makeCounter(name: "events_total", help: "Events.", labels: ["p": "1"])
        let b = try registry.makeCounter(name: "events_total", help: "Events.", labels: ["p": "1"])
        #expect(a === b)
        let c = try registry.makeCounter(name: "events_total", help: "Events.", labels: ["p": "2"])
        #expect(a !== c)
        #expect(throws: MetricsError.self) { try registry.makeGauge(name: "events_total", help: "Events.") }
        #expect(throws: MetricsError.self) {
            try registry.makeCounter(name: "events_total", help: "Other.", labels: ["p": "1"])
        }
        #expect(throws: MetricsError.self) {
            try registry.makeCounter(name: "events_total", help: "Events.", labels: ["q": "1"])
        }
        _ = try registry.makeHistogram(name: "h", help: "H.", buckets: [1])
        #expect(throws: MetricsError.self) { try registry.makeHistogram(name: "h", help: "H.", buckets: [2]) }
    }

    @Test(
        "Invalid names, labels and buckets are rejected",
        arguments: [
            ("bad name", "x"), ("9lives", "x"), ("ok_name", "bad-label"), ("ok_name", "__reserved"), ("", "x"),
        ])
    func invalidNames(name: String, label: String) {
        #expect(throws: MetricsError.self) {
            try MetricsRegistry().makeCounter(name: name, help: "H.", labels: [label: "v"])
        }
    }

    @Test("Reserved labels and bad buckets are rejected")
    func reserved() {
        let registry = MetricsRegistry()
        #expect(throws: MetricsError.self) { try registry.makeHistogram(name: "h", help: "H.", labels: ["le": "1"]) }
        #expect(throws: MetricsError.self) {
            try registry.makeSummary(name: "s", help: "S.", labels: ["quantile": "1"])
        }
        for buckets in [[], [2.0, 1.0], [1.0, 1.0], [1.0, .infinity]] {
            #expect(throws: MetricsError.self) { try registry.makeHistogram(name: "h2", help: "H.", buckets: buckets) }
        }
        #expect((try? registry.makeCounter(name: "ns:sub_total", help: "Colons are allowed.")) != nil)
    }

    @Test(
        "Value formatting and escaping",
        arguments: [
            (1.0, "1"), (-0.0, "0"), (0.25, "0.25"), (1e-05, "1e-05"), (3.5e20, "3.5e+20"), (.infinity, "+Inf"),
            (-.infinity, "-Inf"), (.nan, "NaN"),
        ])
    func formatting(value: Double, text: String) {
        #expect(PrometheusText.format(value) == text)
    }

    @Test("Escaping of label values and help text")
    func escaping() {
        #expect(PrometheusText.escapeLabelValue("a\\b\"c\nd") == "a\\\\b\\\"c\\nd")
        #expect(PrometheusText.escapeHelp("a\\b\"c\nd") == "a\\\\b\"c\\nd")
        #expect(PrometheusText.labelText([:]) == "")
        #expect(
            PrometheusText.labelText(["b": "2", "a": "1"], extra: ("le", "+Inf")) == "{a=\"1\",b=\"2\",le=\"+Inf\"}")
    }
}
