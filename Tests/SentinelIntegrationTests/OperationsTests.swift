import Foundation
import SentinelPosix
import SentinelRPC
import SentinelSchema
import SentinelTestSupport
import SentinelWire
import Testing

/// What operators scrape and probe, on the real processes: both services' HTTP ports serve exactly the series
/// Docs/Metrics.md documents, with values that agree with the traffic sent, and the probes say what they promise.
@Suite(
    "/metrics, /healthz and /readyz of both services, as processes", .serialized,
    .enabled(if: RunningService.apiAvailable && BuiltProducts.available, "sentinel-api and sentinel are not built"))
struct OperationsTests {
    /// The metric families Docs/Metrics.md documents, by section: `both`, `sentinel-api`, `sentinel-monitor`.
    static func documentedFamilies() throws -> [String: Set<String>] {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Docs/Metrics.md").path
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var families: [String: Set<String>] = [:]
        var section = ""
        for line in text.split(separator: "\n") {
            if line.hasPrefix("## ") {
                section = line.contains("Both") ? "both" : line.contains("sentinel-api") ? "api" : "monitor"
            } else if line.hasPrefix("| `"), let end = line.dropFirst(3).firstIndex(of: "`") {
                families[section, default: []].insert(String(line[line.index(line.startIndex, offsetBy: 3)..<end]))
            }
        }
        return families
    }

    /// The families a `/metrics` body declares (`# TYPE` lines).
    static func families(in body: String) -> Set<String> {
        Set(body.split(separator: "\n").filter { $0.hasPrefix("# TYPE ") }.map { String($0.split(separator: " ")[2]) })
    }

    /// The value of one sample line, `name{labels} value`, or `nil` when absent.
    static func sample(_ body: String, _ series: String) -> Double? {
        for line in body.split(separator: "\n") where line.hasPrefix(series + " ") {
            return Double(line.split(separator: " ").last ?? "")
        }
        return nil
    }

    @Test("after traffic, each /metrics has every documented series and nothing else; promtool accepts both")
    func metricsMatchTheDocument() async throws {
        let documented = try Self.documentedFamilies()
        let monitor = try await RunningService.startMonitor(
            arguments: ["--http-port", "0", "--window", "500ms", "--min-count", "1"])
        let api = try await RunningService.startAPI(reportingTo: monitor)
        #expect(api.httpPort != 0 && monitor.httpPort != 0)

        #expect(try await httpGet(port: api.httpPort, path: "/healthz").body == "ok\n")
        let ready = try await httpGet(port: api.httpPort, path: "/readyz")
        #expect(ready.status == 200 && ready.body == "ready\n")
        #expect(try await httpGet(port: api.httpPort, path: "/api/snapshot").status == 404, "the API serves no page")
        #expect(try await httpGet(port: monitor.httpPort, path: "/readyz").status == 200)

        let rows = 0..<40
        try await TCPClient.withClient(address: ScoringAPITests.address(api)) { client in
            let batch = ScoreBatchRequest(transactions: rows.map(ScoringAPITests.transaction))
            let reply = try await ScoringAPITests.call(client, .scoringScoreBatch, batch, as: ScoreBatchResponse.self)
            #expect(reply.items.count == rows.count)
            var bad = ScoringAPITests.transaction(row: 1)
            bad.features[0] = .nan
            let refused = try? await client.call(
                .scoringScore, payload: ScoreRequest(transaction: bad).serializedBytes(), timeout: .seconds(5))
            #expect(refused == nil, "a NaN feature is refused")
        }
        // Bad magic on the RPC port: the server closes the connection and counts it as a protocol error.
        try await offPool {
            let socket = try LoopbackSocket(port: api.port)
            socket.sendAll(Array("XXXXXXXXXXXXXXXXXXXXXXXX".utf8))
            _ = socket.receiveToEnd()
        }.get()

        // Wait for every event to reach the monitor and for a window holding them to close.
        var monitorBody = ""
        let deadline = ContinuousClock.now + .seconds(20)
        repeat {
            monitorBody = try await httpGet(port: monitor.httpPort, path: "/metrics").body
            if Self.sample(monitorBody, "sentinel_monitor_events_total") == Double(rows.count)
                && monitorBody.contains("sentinel_monitor_feature_drift{")
            {
                break
            }
            try await Task.sleep(for: .milliseconds(50))
        } while ContinuousClock.now < deadline
        #expect(monitorBody.contains("sentinel_monitor_feature_drift{"), "\(monitorBody)")
        let apiBody = try await httpGet(port: api.httpPort, path: "/metrics").body

        // Only families that exist in some states may be missing: alerts (none may be active) and the label
        // statistics (no labels are reported here; LabelsStatsTests reports them).
        let optional: Set<String> = [
            "sentinel_monitor_alert", "sentinel_monitor_label_precision", "sentinel_monitor_label_recall",
            "sentinel_monitor_label_fraud_rate", "sentinel_monitor_label_interval",
        ]
        let apiExpected = documented["both", default: []].union(documented["api", default: []])
        let monitorExpected = documented["both", default: []].union(documented["monitor", default: []])
        #expect(Self.families(in: apiBody).subtracting(apiExpected).isEmpty, "undocumented: \(apiBody)")
        #expect(apiExpected.subtracting(Self.families(in: apiBody)).isEmpty, "missing: \(apiBody)")
        #expect(Self.families(in: monitorBody).subtracting(monitorExpected).isEmpty, "undocumented: \(monitorBody)")
        #expect(
            monitorExpected.subtracting(optional).subtracting(Self.families(in: monitorBody)).isEmpty,
            "missing: \(monitorBody)")

        // The values agree with the traffic.
        let scored =
            (Self.sample(apiBody, "sentinel_api_transactions_scored_total{decision=\"flag\"}") ?? 0)
            + (Self.sample(apiBody, "sentinel_api_transactions_scored_total{decision=\"pass\"}") ?? 0)
        #expect(scored == Double(rows.count))
        #expect(Self.sample(apiBody, "sentinel_api_requests_total{code=\"OK\",method=\"ScoreBatch\"}") == 1)
        #expect(Self.sample(apiBody, "sentinel_api_requests_total{code=\"INVALID_ARGUMENT\",method=\"Score\"}") == 1)
        #expect(Self.sample(apiBody, "sentinel_api_transaction_errors_total{code=\"INVALID_ARGUMENT\"}") == 1)
        #expect(
            Self.sample(
                apiBody, "sentinel_api_request_duration_seconds_count{code=\"OK\",method=\"ScoreBatch\"}") == 1)
        #expect(Self.sample(apiBody, "sentinel_rpc_disconnects_total{reason=\"protocol_error\"}") == 1)
        #expect(Self.sample(apiBody, "sentinel_api_model_loads_total{result=\"success\"}") == 1)
        #expect(Self.sample(apiBody, "sentinel_api_serving") == 1)
        #expect(apiBody.contains("\nsentinel_build_info{revision=\"unknown\",service=\"sentinel-api\",version=\""))
        #expect((Self.sample(apiBody, "process_resident_memory_bytes") ?? 0) > 1_000_000)
        #expect((Self.sample(apiBody, "process_open_fds") ?? 0) >= 3)
        #expect(api.log.contains("\"msg\":\"connection closed\",\"reason\":\"protocol_error\",\"peer\":\"127.0.0.1:"))
        let flagged = try #require(
            monitorBody.split(separator: "\n").first { $0.hasPrefix("sentinel_monitor_flagged_total{") })
        let monitorScored = try #require(
            monitorBody.split(separator: "\n").first { $0.hasPrefix("sentinel_monitor_scored_total{") })
        #expect(monitorScored.hasSuffix(" \(rows.count)"))
        #expect(
            Double(flagged.split(separator: " ").last ?? "")
                == Self.sample(apiBody, "sentinel_api_transactions_scored_total{decision=\"flag\"}"))

        if Promtool.path != nil {
            for body in [apiBody, monitorBody] {
                let (status, output) = try await Promtool.checkMetrics(body)
                #expect(status == 0, "promtool: \(output)")
            }
        }
        #expect(await api.terminate() == 0)
        #expect(await monitor.terminate() == 0)
    }
}
