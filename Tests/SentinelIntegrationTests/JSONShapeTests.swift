import Foundation
import SentinelTestSupport
import Testing

/// The JSON the services and the CLI print, on the real processes after real traffic, conforms to the schemas in
/// Docs/schemas/: `/api/snapshot` (plain and with per-window features), `sentinel status --json`,
/// `sentinel stats --json` and `sentinel replay --json`.
@Suite(
    "Docs/schemas/*.schema.json against real responses", .serialized,
    .enabled(if: BuiltProducts.available && RunningService.apiAvailable, "the executables are not built"))
struct JSONShapeTests {
    @Test("after a replay with labels and a closed window, every JSON output conforms to its schema")
    func realResponsesConform() async throws {
        let monitor = try await RunningService.startMonitor(
            arguments: ["--http-port", "0", "--window", "500ms", "--min-count", "1"])
        let api = try await RunningService.startAPI(reportingTo: monitor)

        let replay = try await BuiltProducts.run(
            "sentinel",
            [
                "replay", "--api", api.address, "--data", LabelsStatsTests.sample, "--monitor", monitor.address,
                "--labels-after", "200", "--drift", "Amount*3", "--json",
            ])
        #expect(replay.status == 0, "\(replay.error)")
        #expect(try JSONSchema(named: "replay").violations(of: replay.output) == [], "\(replay.output)")

        let stats = try await BuiltProducts.run("sentinel", ["stats", "--api", api.address, "--json"])
        #expect(stats.status == 0, "\(stats.error)")
        #expect(try JSONSchema(named: "stats").violations(of: stats.output) == [], "\(stats.output)")

        // Wait until every event is counted and labelled, a window holding them has closed and the drift has raised an
        // alert (every member of the snapshot then has an instance to check).
        var snapshot = try JSONValue(parsing: "{}")
        let deadline = ContinuousClock.now + .seconds(20)
        repeat {
            snapshot = try JSONValue(parsing: try await httpGet(port: monitor.httpPort, path: "/api/snapshot").body)
            if case .object(let root) = snapshot, case .array(let models) = root["models"],
                case .object(let model) = models.first, model["window_closed"] == .bool(true),
                model["events_total"] == .integer(1500), case .array(let days) = root["label_metrics"], !days.isEmpty,
                case .array(let alerts) = root["alerts"], !alerts.isEmpty
            {
                break
            }
            try await Task.sleep(for: .milliseconds(100))
        } while ContinuousClock.now < deadline

        let schema = try JSONSchema(named: "snapshot")
        for path in ["/api/snapshot", "/api/snapshot?features=1&history=5"] {
            let body = try await httpGet(port: monitor.httpPort, path: path).body
            #expect(schema.violations(of: body) == [], "\(path): \(body)")
            #expect(body.contains("\"window_closed\":true") && body.contains("\"kind\":\"feature_drift\""), "\(body)")
        }
        let status = try await BuiltProducts.run("sentinel", ["status", "--monitor", monitor.address, "--json"])
        #expect(status.status == 0, "\(status.error)")
        #expect(schema.violations(of: status.output) == [], "\(status.output)")

        #expect(await api.terminate() == 0)
        #expect(await monitor.terminate() == 0)
    }
}
