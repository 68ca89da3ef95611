import Foundation
import SentinelMetrics
import SentinelMonitor
import SentinelTestSupport
import Testing

/// `/metrics` checked by Prometheus's own linter; skipped without it (`apt-get install -y prometheus`).
@Suite("Dashboard /metrics and promtool", .serialized)
struct DashboardPrometheusTests {
    @Test(
        "promtool check metrics accepts the monitor's /metrics",
        .enabled(if: Promtool.path != nil, "promtool is not installed"))
    func promtoolAccepts() async throws {
        let metrics = MonitorMetrics()
        let registry = metrics.registry
        try registry.makeGauge(
            name: "sentinel_monitor_feature_psi", help: "PSI of one input in the current window.",
            labels: ["model_version": "gbdt-1", "feature": "Amount"]
        ).set(0.31)
        let histogram = try registry.makeHistogram(
            name: "sentinel_monitor_batch_seconds", help: "Time to apply one event batch.")
        histogram.observe(0.002)
        let summary = try registry.makeSummary(
            name: "sentinel_monitor_snapshot_seconds", help: "Time to build a snapshot.")
        summary.record(nanoseconds: 1_200_000)
        let body = try await withDashboardServer(Dashboard(metrics: registry) { _ in DashboardFixture.snapshot() }) {
            port in
            try await httpGet(port: port, path: "/metrics").body
        }
        #expect(body.contains("# TYPE sentinel_monitor_events_total counter"))
        let (status, output) = try await Promtool.checkMetrics(body)
        #expect(status == 0, "promtool: \(output)")
    }
}
