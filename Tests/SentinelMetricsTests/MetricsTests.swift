import Glibc
import SentinelLock
import Synchronization
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

@Suite("Collected series: mirrors, replaced families, process and build")
struct CollectedSeriesTests {
    @Test("a mirrored counter only moves up; collectors run before every rendering")
    func advance() throws {
        let registry = MetricsRegistry()
        let counter = try registry.makeCounter(name: "sentinel_mirrored_total", help: "Mirrored.")
        let source = Lock(5.0)
        registry.addCollector { counter.advance(to: source.withLock { $0 }) }
        #expect(registry.renderPrometheus().contains("sentinel_mirrored_total 5\n"))
        source.withLock { $0 = 3 }
        #expect(registry.renderPrometheus().contains("sentinel_mirrored_total 5\n"), "a counter never decreases")
        source.withLock { $0 = 8 }
        #expect(registry.renderPrometheus().contains("sentinel_mirrored_total 8\n"))
    }

    @Test("replacing a gauge family drops the series not listed, and an empty family is not rendered")
    func replace() throws {
        let registry = MetricsRegistry()
        try registry.replaceGauges(
            name: "sentinel_alert", help: "Active alerts.", labelNames: ["subject"],
            values: [(["subject": "V4"], 1), (["subject": "V10"], 1)])
        let both = registry.renderPrometheus()
        #expect(both.contains("sentinel_alert{subject=\"V4\"} 1") && both.contains("sentinel_alert{subject=\"V10\"} 1"))
        try registry.replaceGauges(
            name: "sentinel_alert", help: "Active alerts.", labelNames: ["subject"], values: [(["subject": "V4"], 1)])
        #expect(!registry.renderPrometheus().contains("V10"))
        try registry.replaceGauges(name: "sentinel_alert", help: "Active alerts.", labelNames: ["subject"], values: [])
        #expect(!registry.renderPrometheus().contains("sentinel_alert"))
        #expect(throws: MetricsError.self) {
            try registry.replaceGauges(
                name: "sentinel_alert", help: "Active alerts.", labelNames: ["subject"], values: [(["other": "x"], 1)])
        }
    }

    @Test("a latency histogram becomes Prometheus buckets: each value at or below its bound, within one bucket")
    func latencyBuckets() {
        var latency = LatencyHistogram()
        for nanoseconds: UInt64 in [5_000, 20_000, 20_000, 900_000, 3_000_000_000] {
            latency.record(nanoseconds: nanoseconds)
        }
        let snapshot = latency.prometheusSnapshot(bounds: [0.000_01, 0.000_025, 0.001, 1])
        #expect(snapshot.bucketCounts == [1, 2, 1, 0, 1])
        #expect(snapshot.count == 5)
        #expect(abs(snapshot.sum - 3.000_945) < 1e-9)
    }

    @Test("process series come from /proc; build info carries its labels")
    func process() {
        let registry = MetricsRegistry()
        registry.registerProcessMetrics()
        registry.registerBuildInfo(service: "sentinel-test", version: "1.2.3", revision: "")
        let text = registry.renderPrometheus()
        func value(_ name: String) -> Double? {
            text.split(separator: "\n").first { $0.hasPrefix(name + " ") }.flatMap {
                Double($0.split(separator: " ")[1])
            }
        }
        #expect((value("process_resident_memory_bytes") ?? 0) > 1_000_000)
        #expect((value("process_open_fds") ?? 0) >= 3)
        #expect((value("process_max_fds") ?? 0) >= (value("process_open_fds") ?? .infinity))
        let start = value("process_start_time_seconds") ?? 0
        let now = Double(time(nil))
        #expect(start > now - 86_400 * 30 && start <= now + 1, "started recently: \(start) vs \(now)")
        #expect(
            text.contains("sentinel_build_info{revision=\"unknown\",service=\"sentinel-test\",version=\"1.2.3\"} 1"))
    }
}
