import Foundation
import SentinelCLI
import SentinelLock
import SentinelMonitor
import SentinelSchema
import SentinelTestSupport
import Synchronization
import Testing

@Suite("sentinel status", .serialized)
struct StatusCommandTests {
    @Test("The terminal view shows the drift table (Amount first), rates, latency, alerts and producer gaps")
    func terminalView() async throws {
        let monitor = StatusMonitor()
        let capture = CapturedConsole()
        let status = try await monitor.run { port in
            await SentinelCommandLine.run(["status", "--monitor", "127.0.0.1:\(port)"], console: capture.console)
        }
        #expect(status == 0, "\(capture.standardError)")
        let lines = capture.standardOutput.split(separator: "\n").map(String.init)
        let header = try #require(lines.firstIndex { $0.hasPrefix("  feature") })
        #expect(lines[header].contains("PSI") && lines[header].contains("status"))
        #expect(lines[header + 1].hasPrefix("  Amount") && lines[header + 1].hasSuffix("alert"))
        #expect(lines[header + 1].contains("0.312"))
        #expect(lines[header + 2].hasPrefix("  V1") && lines[header + 2].hasSuffix("ok"))
        #expect(lines[header + 3].hasPrefix("  score"))
        let output = capture.standardOutput
        #expect(output.contains("12,345 events"))
        #expect(output.contains("up 2h 1m"))
        #expect(output.contains("FLAG RATE  1.00% (95% CI 0.53%–1.89%) vs base 0.40%"))
        #expect(output.contains("p99 480 µs"))
        #expect(output.contains("ALERTS  2 active"))
        #expect(output.contains("ALERT  feature drift: Amount"))
        #expect(output.contains("WARN   flag rate"))
        #expect(output.contains("api-1: 2 missing of 12,347 (recent gaps 77–78)"))
        #expect(monitor.requests.withLock { $0.map(\.historyWindows) } == [0])
        // Every number is from the last closed window; the open one only says how far it got.
        #expect(output.contains("window 06:00:00–06:01:00 UTC (last closed) · 900 events in it"), "\(output)")
        #expect(output.contains("in progress since 06:01:00 UTC, 12 events"))
    }

    @Test("Right after a roll-over the view shows the last closed window's drift, rates and latency, labelled")
    func lastCompleteWindow() async throws {
        // A real monitor state: 200 events with the first feature shifted, then the window rolls over.
        let profile = { (name: String) in
            RegisterModelRequest.FeatureProfile(
                name: name, edges: [-1, 0, 1], proportions: [0.25, 0.25, 0.25, 0.25], count: 1_000)
        }
        let start = StatusFixture.start
        var state = MonitorState(settings: MonitorSettings(), startedAt: start)  // 60 s windows, minimum 100
        _ = try state.register(
            RegisterModelRequest(
                modelVersion: "v1",
                reference: RegisterModelRequest.ReferenceProfile(
                    features: [profile("Amount"), profile("V14")], score: profile("score"), baseFraudRate: 0.01,
                    baseFlagRate: 0.02),
                threshold: 0.5),
            at: start)
        let events = (1...200).map { (sequence: UInt64) in
            ScoringEvent(
                sequence: sequence, transactionId: "tx-\(sequence)",
                features: [
                    2.5,
                    [-1.5, -0.5, 0.5, 1.5][
                        Int(sequence % 4)],
                ],
                fraudProbability: 0.1, decision: .pass, modelVersion: "v1", serverLatencyNanoseconds: 100_000)
        }
        _ = try state.ingest(EventBatch(producerId: "api-1", events: events), at: start + 1_000_000)
        _ = state.advance(to: start + 60_000_000)
        let snapshot = state.snapshot(MonitorSnapshotRequest(), at: start + 61_000_000)
        let monitor = StatusMonitor(snapshot: snapshot)
        let capture = CapturedConsole()
        let status = try await monitor.run { port in
            await SentinelCommandLine.run(["status", "--monitor", "127.0.0.1:\(port)"], console: capture.console)
        }
        #expect(status == 0, "\(capture.standardError)")
        let output = capture.standardOutput
        #expect(output.contains("window 06:00:00–06:01:00 UTC (last closed) · 200 events in it"), "\(output)")
        let lines = output.split(separator: "\n").map(String.init)
        let amount = try #require(lines.first { $0.hasPrefix("  Amount") })
        #expect(amount.contains("  alert") && !amount.contains(" 0.000 "), "\(amount)")
        #expect(output.contains("ALERT  feature drift: Amount"))
        #expect(output.contains("0.00 ms") == false && output.contains("p50 100 µs"), "\(output)")
        #expect(output.contains("0 of 200 flagged"))
    }

    @Test("--json prints the dashboard's JSON, with events_total and the active alerts")
    func json() async throws {
        let monitor = StatusMonitor()
        let capture = CapturedConsole()
        let status = try await monitor.run { port in
            await SentinelCommandLine.run(
                ["status", "--monitor", "127.0.0.1:\(port)", "--json", "--model", "gbdt-7", "--history", "12"],
                console: capture.console)
        }
        #expect(status == 0, "\(capture.standardError)")
        #expect(capture.standardOutput == SnapshotJSON.render(StatusFixture.snapshot) + "\n")
        let object = try JSONSerialization.jsonObject(with: Data(capture.standardOutput.utf8)) as? [String: Any]
        #expect(object?["events_total"] as? Int == 12_345)
        let alerts = try #require(object?["alerts"] as? [[String: Any]])
        #expect(alerts.map { $0["level"] as? String } == ["alert", "warn"])
        #expect(alerts.map { $0["kind"] as? String } == ["feature_drift", "flag_rate"])
        #expect(alerts.first?["feature"] as? String == "Amount")
        let requests = monitor.requests.withLock { $0 }
        #expect(requests.map(\.historyWindows) == [12])
        #expect(requests.map(\.modelVersion) == ["gbdt-7"])
    }

    @Test("--watch --count 3 prints three blocks, then exits 0")
    func watch() async throws {
        let monitor = StatusMonitor()
        let capture = CapturedConsole(environment: ["TERM": "dumb"])
        let status = try await monitor.run { port in
            await SentinelCommandLine.run(
                ["status", "--monitor", "127.0.0.1:\(port)", "--watch", "--interval", "0.1", "--count", "3"],
                console: capture.console)
        }
        #expect(status == 0, "\(capture.standardError)")
        #expect(capture.standardOutput.components(separatedBy: "monitor 127.0.0.1:").count - 1 == 3)
        #expect(monitor.requests.withLock { $0.count } == 3)
    }

    @Test(
        "Bad command lines are usage errors (exit 64)",
        arguments: [
            ["status"], ["status", "--monitor", "nohost"], ["status", "--monitor", "127.0.0.1:1", "--count", "2"],
            ["status", "--monitor", "127.0.0.1:1", "--watch", "--interval", "0"],
            ["status", "--monitor", "127.0.0.1:1", "--watch", "--count", "0"],
            ["status", "--monitor", "127.0.0.1:1", "--bogus"],
        ])
    func usageErrors(arguments: [String]) async {
        let capture = CapturedConsole()
        #expect(await SentinelCommandLine.run(arguments, console: capture.console) == 64)
        #expect(capture.standardError.contains("usage: sentinel status"))
    }

    @Test("An unreachable monitor is an error (exit 1) naming the address")
    func unreachable() async throws {
        // Bind then close a port so nothing listens on it.
        let port = try await StatusMonitor().run { port in port }
        let capture = CapturedConsole()
        let status = await SentinelCommandLine.run(
            ["status", "--monitor", "127.0.0.1:\(port)", "--timeout", "2"], console: capture.console)
        #expect(status == 1)
        #expect(capture.standardError.contains("error: monitor at 127.0.0.1:\(port)"))
    }
}
