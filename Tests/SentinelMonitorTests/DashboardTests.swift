import Foundation
import SentinelHTTP
import SentinelMetrics
import SentinelMonitor
import SentinelSchema
import SentinelTestSupport
import Testing

@Suite("Dashboard", .serialized)
struct DashboardTests {
    private func decode(_ text: String) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(text.utf8))
        return try #require(object as? [String: Any])
    }

    @Test("The snapshot JSON has the documented keys, snake_case levels and kinds, and round-trips the numbers")
    func snapshotJSON() throws {
        let snapshot = DashboardFixture.snapshot()
        let json = try decode(SnapshotJSON.render(snapshot))
        #expect(
            Set(json.keys) == [
                "generated_at", "generated_at_unix_us", "started_at_unix_us", "uptime_seconds", "events_total",
                "window_length_seconds", "models", "alerts", "producers", "history", "label_metrics",
            ])
        #expect(json["events_total"] as? Int == 412_388)
        #expect(json["uptime_seconds"] as? Double == 11_561.0)  // 3 h 12 min 41 s
        #expect(json["generated_at"] as? String == "2025-11-29T06:12:41Z")
        let alerts = try #require(json["alerts"] as? [[String: Any]])
        #expect(alerts.map { $0["kind"] as? String } == ["feature_drift", "flag_rate"])
        #expect(alerts.map { $0["level"] as? String } == ["warn", "warn"])
        #expect(alerts.first?["feature"] as? String == "Amount")
        let model = try #require((json["models"] as? [[String: Any]])?.first)
        let drift = try #require(model["drift"] as? [String: Any])
        let features = try #require(drift["features"] as? [[String: Any]])
        #expect(features.map { $0["name"] as? String } == DashboardFixture.features)
        let amount = try #require(features.first { $0["name"] as? String == "Amount" })
        #expect(amount["psi"] as? Double == 0.18)
        #expect(amount["status"] as? String == "warn")
        #expect(amount.keys.contains("exact_ks") && amount["exact_ks"] is NSNull)
        // Label performance: a fully labelled day has exact figures and null bounds; a partial one has bounds.
        let days = try #require(json["label_metrics"] as? [[String: Any]])
        let full = try #require(days.first?["performance"] as? [String: Any])
        #expect(abs((full["precision"] as? Double ?? 0) - 52.0 / 60.0) < 1e-9 && full["precision_low"] is NSNull)
        #expect(full["label_coverage"] as? Double == 1)
        let partial = try #require(days.last?["performance"] as? [String: Any])
        let low = try #require(partial["precision_low"] as? Double)
        let high = try #require(partial["precision_high"] as? Double)
        #expect(low < 18.0 / 22.0 && 18.0 / 22.0 < high)
        #expect(partial["recall_low"] is Double && partial["fraud_rate_high"] is Double)
        let overall = try #require(model["label_performance"] as? [String: Any])
        #expect(overall["labelled"] as? Int == 12_220 && overall["threshold"] as? Double == 0.41)
        let latency = try #require(model["window_latency"] as? [String: Any])
        #expect(latency["p99_ns"] as? Int == 611_000)
        let history = try #require(json["history"] as? [[String: Any]])
        #expect(history.count == 12)
        // The per-window Wilson interval brackets the window's rate.
        for window in history {
            let rate = try #require(window["flag_rate"] as? Double)
            let low = try #require(window["flag_rate_low"] as? Double)
            let high = try #require(window["flag_rate_high"] as? Double)
            #expect(low < rate && rate < high)
        }
        let producer = try #require((json["producers"] as? [[String: Any]])?.first)
        #expect((producer["gaps"] as? [[String: Any]])?.first?["first"] as? Int == 90_211)
    }

    @Test("Non-finite numbers become null and strings are escaped")
    func escaping() throws {
        var snapshot = MonitorSnapshotResponse()
        snapshot.alerts = [
            MonitorSnapshotResponse.Alert(
                kind: .latency, feature: "a\"b\\c\n</script>", level: .alert, reason: "tab\there", value: .nan,
                threshold: .infinity)
        ]
        snapshot.history = [MonitorSnapshotResponse.WindowSummary(events: 0, flagged: 0)]
        let text = SnapshotJSON.render(snapshot)
        #expect(!text.contains("</script>"))
        let json = try decode(text)
        let alert = try #require((json["alerts"] as? [[String: Any]])?.first)
        #expect(alert["feature"] as? String == "a\"b\\c\n</script>")
        #expect(alert["reason"] as? String == "tab\there")
        #expect(alert["value"] is NSNull && alert["threshold"] is NSNull)
        let window = try #require((json["history"] as? [[String: Any]])?.first)
        #expect(window["flag_rate"] as? Double == 0 && window["flag_rate_high"] as? Double == 0)
    }

    @Test("The routes serve the page, the JSON, Prometheus text and the health check")
    func routes() async throws {
        let registry = MetricsRegistry()
        let counter = try registry.makeCounter(name: "sentinel_monitor_events_total", help: "Events ingested.")
        counter.increment(by: 5)
        let dashboard = Dashboard(metrics: registry) { _ in DashboardFixture.snapshot() }
        #expect(dashboard.makeRouter().paths == Dashboard.paths.sorted())
        try await withDashboardServer(dashboard) { port in
            let page = try await httpGet(port: port, path: "/")
            #expect(page.status == 200)
            #expect(page.headers["content-type"] == "text/html; charset=utf-8")
            let policy = try #require(page.headers["content-security-policy"])
            #expect(policy.hasPrefix("default-src 'none'"))
            #expect(policy.contains("script-src 'self'") && !policy.contains("unsafe-inline"))
            #expect(page.body.contains("<title>Sentinel monitor</title>"))
            // Self-contained: no scripts, styles, fonts or images from elsewhere; the page's only references are its
            // own same-origin files, and it carries no inline styles or scripts.
            #expect(!page.body.contains("http://") && !page.body.contains("https://"))
            #expect(references(in: page.body) == ["/dashboard.css", "/report.html", "/dashboard.js"])
            #expect(!page.body.contains("<style") && !page.body.contains("style=\"") && !page.body.contains("<script>"))
            let styles = try await httpGet(port: port, path: "/dashboard.css")
            #expect(!styles.body.contains("url(") && !styles.body.contains("@import"))
            let script = try await httpGet(port: port, path: "/dashboard.js")
            #expect(!script.body.contains("http://") && !script.body.contains("https://"))
            #expect(!script.body.contains("style=\""))
            let api = try await httpGet(port: port, path: "/api/snapshot")
            #expect(api.status == 200)
            #expect(api.headers["content-type"] == "application/json")
            #expect(api.body == SnapshotJSON.render(DashboardFixture.snapshot()))
            let metrics = try await httpGet(port: port, path: "/metrics")
            #expect(metrics.status == 200)
            #expect(metrics.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8")
            #expect(metrics.body.contains("sentinel_monitor_events_total 5"))
            let health = try await httpGet(port: port, path: "/healthz")
            #expect(health.status == 200 && health.body == "ok\n")
            // The download: one self-contained HTML file with an overlay per column of the last closed window.
            let report = try await httpGet(port: port, path: "/report.html")
            #expect(report.status == 200 && report.headers["content-type"] == "text/html; charset=utf-8")
            #expect(report.headers["content-disposition"]?.hasPrefix("attachment") == true)
            #expect(report.body.components(separatedBy: "<svg").count - 1 == DashboardFixture.features.count + 1)
            #expect(report.body.contains("gbdt-2026-11-28") && !report.body.contains("<script"))
            let bad = try await httpGet(port: port, path: "/api/snapshot?since=yesterday")
            #expect(bad.status == 400 && bad.body.contains("since must be a positive time"))
        }
    }

    /// The page's files, as checked in.
    static let resources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources/SentinelMonitor/Resources")

    @Test(
        "Each page file is served with its content type, byte for byte as in Resources/",
        arguments: [
            ("/", "dashboard.html", "text/html; charset=utf-8"),
            ("/dashboard.css", "dashboard.css", "text/css; charset=utf-8"),
            ("/dashboard.js", "dashboard.js", "text/javascript; charset=utf-8"),
        ])
    func pageFiles(path: String, file: String, contentType: String) async throws {
        let expected = try Data(contentsOf: Self.resources.appendingPathComponent(file))
        #expect(!expected.isEmpty)
        let dashboard = Dashboard(metrics: nil) { _ in DashboardFixture.snapshot() }
        try await withDashboardServer(dashboard) { port in
            let response = try await httpGet(port: port, path: path)
            #expect(response.status == 200)
            #expect(response.headers["content-type"] == contentType)
            #expect(response.headers["cache-control"] == "no-cache")
            #expect(response.headers["x-content-type-options"] == "nosniff")
            #expect(response.headers["content-length"] == String(expected.count))
            #expect(Data(response.body.utf8) == expected)
        }
    }

    /// The values of every `src="…"` and `href="…"` attribute, in order.
    private func references(in html: String) -> [String] {
        html.matches(of: #/(?:src|href)="([^"]*)"/#).map { String($0.output.1) }
    }

    @Test("A failing snapshot provider answers 503 with its error; no registry leaves /metrics unrouted")
    func failures() async throws {
        struct Unavailable: Error, CustomStringConvertible {
            var description: String { "state is recovering" }
        }
        let dashboard = Dashboard(metrics: nil) { _ in throw Unavailable() }
        try await withDashboardServer(dashboard) { port in
            let api = try await httpGet(port: port, path: "/api/snapshot")
            #expect(api.status == 503)
            #expect(api.body == "snapshot unavailable: state is recovering\n")
            #expect(try await httpGet(port: port, path: "/metrics").status == 404)
        }
    }
}
