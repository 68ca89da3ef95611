import Testing

@testable import SentinelMetrics

@Suite("Prometheus text exposition, golden output")
struct PrometheusGoldenTests {
    /// Checked once with `promtool check metrics` (Prometheus 2.x): no problems reported.
    static let golden = #"""
        # HELP sentinel_drift_share Share of features at warn or alert.
        # TYPE sentinel_drift_share gauge
        sentinel_drift_share 0.25
        # HELP sentinel_events_total Events applied.\nPer producer \\ replica.
        # TYPE sentinel_events_total counter
        sentinel_events_total{producer="api \"1\""} 3
        sentinel_events_total{producer="api-2"} 1.5
        # HELP sentinel_rpc_duration_seconds RPC latency.
        # TYPE sentinel_rpc_duration_seconds histogram
        sentinel_rpc_duration_seconds_bucket{method="Score",le="0.001"} 2
        sentinel_rpc_duration_seconds_bucket{method="Score",le="0.01"} 2
        sentinel_rpc_duration_seconds_bucket{method="Score",le="0.1"} 3
        sentinel_rpc_duration_seconds_bucket{method="Score",le="+Inf"} 4
        sentinel_rpc_duration_seconds_sum{method="Score"} 3.0625
        sentinel_rpc_duration_seconds_count{method="Score"} 4
        # HELP sentinel_score_latency_seconds Scoring latency.
        # TYPE sentinel_score_latency_seconds summary
        sentinel_score_latency_seconds{quantile="0.5"} 5e-08
        sentinel_score_latency_seconds{quantile="0.9"} 0.002
        sentinel_score_latency_seconds{quantile="0.99"} 0.002
        sentinel_score_latency_seconds{quantile="0.999"} 0.002
        sentinel_score_latency_seconds_sum 0.0020001
        sentinel_score_latency_seconds_count 3

        """#

    static func makeRegistry() throws -> MetricsRegistry {
        let registry = MetricsRegistry()
        let help = "Events applied.\nPer producer \\ replica."
        try registry.makeCounter(name: "sentinel_events_total", help: help, labels: ["producer": "api \"1\""])
            .increment(by: 3)
        try registry.makeCounter(name: "sentinel_events_total", help: help, labels: ["producer": "api-2"])
            .increment(by: 1.5)
        try registry.makeGauge(name: "sentinel_drift_share", help: "Share of features at warn or alert.").set(0.25)
        let rpc = try registry.makeHistogram(
            name: "sentinel_rpc_duration_seconds", help: "RPC latency.", labels: ["method": "Score"],
            buckets: [0.001, 0.01, 0.1])
        for value in [0.0078125 / 16, 0.001, 0.0625 - 0.0078125 / 16 - 0.001, 3] { rpc.observe(value) }
        let summary = try registry.makeSummary(name: "sentinel_score_latency_seconds", help: "Scoring latency.")
        summary.record(nanoseconds: 50)
        summary.record(nanoseconds: 50)
        summary.record(nanoseconds: 2_000_000)  // bucket mid-point clamped to the maximum
        return registry
    }

    @Test("A registry with every metric type renders exactly the golden text")
    func golden() throws {
        let text = try Self.makeRegistry().renderPrometheus()
        #expect(text == Self.golden)
    }

    @Test("An empty registry renders nothing")
    func empty() {
        #expect(MetricsRegistry().renderPrometheus().isEmpty)
    }
}
