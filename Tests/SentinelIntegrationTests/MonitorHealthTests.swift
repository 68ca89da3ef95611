import Foundation
import Testing

@Suite(
    "sentinel-monitor and sentinel health, as processes", .serialized,
    .enabled(if: BuiltProducts.available, "the sentinel and sentinel-monitor executables are not built"))
struct MonitorHealthTests {
    @Test("the monitor starts on port 0, health says SERVING, SIGTERM stops it with exit 0")
    func healthy() async throws {
        let monitor = try await RunningService.startMonitor(arguments: ["--http-port", "0"])
        #expect(monitor.port != 0)
        #expect(monitor.log.contains("\"msg\":\"listening\""))
        #expect(monitor.log.contains("\"dashboard\":\"http://127.0.0.1:"))
        // Standard output is JSON lines only; the human lines are on standard error.
        #expect(BuiltProducts.nonJSONLines(monitor.log).isEmpty, "\(monitor.log)")
        // The shared log shape: time, level, msg first.
        #expect(monitor.log.split(separator: "\n").allSatisfy { $0.hasPrefix("{\"time\":\"") }, "\(monitor.log)")
        #expect(monitor.errors.contains("listening on 127.0.0.1:\(monitor.port)\n"))
        #expect(monitor.errors.contains("dashboard on http://127.0.0.1:"))
        let health = try await BuiltProducts.run("sentinel", ["health", "--monitor", "127.0.0.1:\(monitor.port)"])
        #expect(health.status == 0)
        #expect(health.output.contains("SERVING"))
        #expect(await monitor.terminate() == 0)
        #expect(monitor.log.contains("\"msg\":\"stopped\""))
        #expect(BuiltProducts.nonJSONLines(monitor.log).isEmpty, "\(monitor.log)")
    }

    @Test("health against a port nobody listens on exits 1 naming the address")
    func unreachable() async throws {
        let monitor = try await RunningService.startMonitor(arguments: ["--http-port", "0"])
        let port = monitor.port
        #expect(await monitor.terminate() == 0)
        let health = try await BuiltProducts.run(
            "sentinel", ["health", "--monitor", "127.0.0.1:\(port)", "--timeout", "2"])
        #expect(health.status == 1)
        #expect(health.error.contains("cannot connect to 127.0.0.1:\(port) (connection refused)"))
    }

    @Test("with a token file, health needs the same token")
    func token() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("token-\(UUID().uuidString)")
        try "integration-secret\n".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let monitor = try await RunningService.startMonitor(arguments: ["--token-file", file.path, "--http-port", "0"])
        let address = "127.0.0.1:\(monitor.port)"
        let without = try await BuiltProducts.run("sentinel", ["health", "--monitor", address])
        #expect(without.status == 1)
        #expect(without.error.contains("UNAUTHENTICATED"))
        let with = try await BuiltProducts.run("sentinel", ["health", "--monitor", address, "--token-file", file.path])
        #expect(with.status == 0)
        #expect(!monitor.log.contains("integration-secret"))
        #expect(await monitor.terminate() == 0)
    }

    @Test("--help and --version work (backup's too); a bad command line exits 64, a failed backup 1")
    func commandLine() async throws {
        #expect(try await BuiltProducts.run("sentinel-monitor", ["--version"]).output.hasPrefix("sentinel-monitor "))
        let help = try await BuiltProducts.run("sentinel-monitor", ["--help"])
        #expect(help.status == 0 && help.output.contains("--port"))
        #expect(try await BuiltProducts.run("sentinel-monitor", ["--bogus"]).status == 64)
        let backupHelp = try await BuiltProducts.run("sentinel-monitor", ["backup", "--help"])
        #expect(backupHelp.status == 0 && backupHelp.output.contains("DEST") && backupHelp.output.contains("restore"))
        let noDestination = try await BuiltProducts.run("sentinel-monitor", ["backup", "--state-dir", "/nonexistent"])
        #expect(noDestination.status == 64 && noDestination.error.contains("DEST is missing"))
        let noState = try await BuiltProducts.run(
            "sentinel-monitor", ["backup", "--state-dir", "/nonexistent", "/tmp"])
        #expect(noState.status == 1 && noState.error.contains("/nonexistent is not a directory"), "\(noState.error)")
        #expect(try await BuiltProducts.run("sentinel", ["health"]).status == 64)
        #expect(try await BuiltProducts.run("sentinel", ["health", "--monitor", "no-port"]).status == 64)
    }
}
