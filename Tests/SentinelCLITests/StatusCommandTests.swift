import Foundation
import SentinelCLI
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
        #expect(output.contains("p99 0.48 ms"))
        #expect(output.contains("ALERTS  2 active"))
        #expect(output.contains("ALERT  feature drift: Amount"))
        #expect(output.contains("WARN   flag rate"))
        #expect(output.contains("api-1: 2 missing of 12,347 (recent gaps 77–78)"))
        #expect(monitor.requests.withLock { $0.map(\.historyWindows) } == [0])
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
