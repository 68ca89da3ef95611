import Foundation
import SentinelMetrics
import SentinelMonitor
import Testing

/// `/metrics` checked by Prometheus's own linter; skipped without it (`apt-get install -y prometheus`).
@Suite("Dashboard /metrics and promtool", .serialized)
struct DashboardPrometheusTests {
    static let promtool: String? = ["/usr/bin/promtool", "/usr/local/bin/promtool"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    @Test(
        "promtool check metrics accepts the monitor's /metrics",
        .enabled(if: promtool != nil, "promtool is not installed"))
    func promtoolAccepts() async throws {
        let promtool = try #require(Self.promtool)
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
        let body = try await withDashboardServer(Dashboard(metrics: registry) { DashboardFixture.snapshot() }) {
            port in
            try await httpGet(port: port, path: "/metrics").body
        }
        #expect(body.contains("# TYPE sentinel_monitor_events_total counter"))
        let (status, output) = try await check(promtool, input: body)
        #expect(status == 0, "promtool: \(output)")
    }

    /// Pipes `input` into `promtool check metrics` on a thread of its own.
    private func check(_ promtool: String, input: String) async throws -> (Int32, String) {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: promtool)
                process.arguments = ["check", "metrics"]
                let stdin = Pipe()
                let output = Pipe()
                process.standardInput = stdin
                process.standardOutput = output
                process.standardError = output
                do {
                    try process.run()
                    stdin.fileHandleForWriting.write(Data(input.utf8))
                    try stdin.fileHandleForWriting.close()
                    let data = output.fileHandleForReading.readDataToEndOfFile()
                    process.waitUntilExit()
                    continuation.resume(returning: (process.terminationStatus, String(decoding: data, as: UTF8.self)))
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }
}
