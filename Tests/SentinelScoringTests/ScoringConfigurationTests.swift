import Foundation
import SentinelArguments
import SentinelLog
import SentinelPosix
import SentinelRPC
import Testing

@testable import SentinelScoring

@Suite("sentinel-api configuration")
struct ScoringConfigurationTests {
    @Test("defaults, flags, and environment variables (a flag wins)")
    func parsing() throws {
        var defaults = Arguments(["--model", "m.sentinel"])
        let plain = try ScoringConfiguration(parsing: &defaults)
        #expect(plain == ScoringConfiguration(modelPath: "m.sentinel"))
        #expect(plain.port == 8000 && plain.httpPort == 9100 && plain.maximumBatchSize == 10_000)
        #expect(plain.host == "127.0.0.1", "without a token the API is reachable only from this machine")

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sentinel-config-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let apiToken = directory.appendingPathComponent("api-token").path
        let monitorToken = directory.appendingPathComponent("monitor-token").path
        try "  api secret\n".write(toFile: apiToken, atomically: true, encoding: .utf8)
        try "monitor secret".write(toFile: monitorToken, atomically: true, encoding: .utf8)
        let environment = [
            "SENTINEL_MODEL": "env.sentinel", "SENTINEL_API_PORT": "9000", "SENTINEL_MONITOR": "mon:8001",
            "SENTINEL_SPOOL_DIR": "/tmp/spool", "SENTINEL_MAX_BATCH": "50", "SENTINEL_GRACE_PERIOD": "2.5",
            "SENTINEL_LOG_REQUESTS": "1", "SENTINEL_API_TOKEN_FILE": apiToken,
            "SENTINEL_MONITOR_TOKEN_FILE": monitorToken, "SENTINEL_API_HOST": "127.0.0.1",
            "SENTINEL_REPORT_RETENTION": "10m", "SENTINEL_REPORT_RETENTION_MB": "8",
            "SENTINEL_EVENT_DURABILITY": "sync",
        ]
        var fromEnvironment = Arguments(["--port", "0"], environment: environment)
        let configured = try ScoringConfiguration(parsing: &fromEnvironment)
        #expect(configured.modelPath == "env.sentinel")
        #expect(configured.port == 0)
        #expect(configured.host == "127.0.0.1")
        #expect(configured.monitor?.address == SocketAddress(parsing: "mon:8001"))
        #expect(configured.spoolDirectory == "/tmp/spool")
        #expect(configured.maximumBatchSize == 50)
        #expect(configured.gracePeriodSeconds == 2.5)
        #expect(configured.logRequests)
        #expect(configured.reportRetention == .seconds(600) && configured.reportRetentionMegabytes == 8)
        #expect(plain.reportRetention == .seconds(3_600) && plain.reportRetentionMegabytes == 64)
        #expect(configured.eventDurability == .sync && plain.eventDurability == .async)
        var flagWins = Arguments(["--event-durability", "async"], environment: environment)
        #expect(try ScoringConfiguration(parsing: &flagWins).eventDurability == .async)
        #expect(
            configured.server.authToken == AuthToken("api secret"), "surrounding white space is not part of the token")
        #expect(configured.monitor?.token == AuthToken("monitor secret"))

        var tokenOnly = Arguments(["--model", "m", "--token-file", apiToken, "--http-port", "0"])
        let withToken = try ScoringConfiguration(parsing: &tokenOnly)
        #expect(withToken.host == "0.0.0.0", "with a token and no --host, every interface")
        #expect(withToken.httpPort == 0)
    }

    @Test(
        "bad command lines are usage errors",
        arguments: [
            ([], "missing --model"),
            (["--model", "m", "--port", "70000"], "invalid value for --port: '70000'"),
            (["--model", "m", "--max-batch", "0"], "--max-batch must be at least 1, got 0"),
            (["--model", "m", "--grace-period", "-1"], "--grace-period must be a non-negative number of seconds"),
            (
                ["--model", "m", "--monitor", "nohost"],
                "invalid address 'nohost' for --monitor: expected HOST:PORT, an IPv6 address in brackets ([::1]:8000)"
            ),
            (
                ["--model", "m", "--monitor", "::1:8001"],
                "invalid address '::1:8001' for --monitor: expected HOST:PORT, an IPv6 address in brackets ([::1]:8000)"
            ),
            (["--model", "m", "--bogus"], "unknown option '--bogus'"),
            (
                ["--model", "m", "--report-retention-mb", "-1"],
                "--report-retention-mb must be between 0 and 1048576, got -1"
            ),
            (
                ["--model", "m", "--monitor", "m:1", "--event-durability", "fsync"],
                "--event-durability must be async or sync, got 'fsync'"
            ),
            (
                ["--model", "m", "--event-durability", "sync"],
                "--event-durability sync needs --monitor: without a monitor no event is kept"
            ),
            (
                ["--model", "m", "--token-file", "/nonexistent/token"],
                "--token-file: cannot read token file '/nonexistent/token'"
            ),
            (["--model", "m", "--monitor-token-file", "/dev/null"], "--monitor-token-file needs --monitor HOST:PORT"),
            (
                ["--model", "m", "--monitor", "m:1", "--monitor-token-file", "/dev/null"],
                "--monitor-token-file: token file '/dev/null' is empty"
            ),
        ])
    func usage(_ arguments: [String], _ message: String) {
        var parsed = Arguments(arguments)
        #expect(throws: UsageError.self) { try ScoringConfiguration(parsing: &parsed) }
        var again = Arguments(arguments)
        do {
            _ = try ScoringConfiguration(parsing: &again)
        } catch {
            #expect("\(error)" == message)
        }
    }

    @Test("--help names every flag and its environment variable")
    func help() {
        for name in [
            "--model", "--host", "--port", "--monitor", "--spool-dir", "--token-file", "--monitor-token-file",
            "--max-batch", "--grace-period", "--log-requests", "SENTINEL_MODEL", "SENTINEL_API_HOST",
            "SENTINEL_API_PORT",
            "SENTINEL_MONITOR", "SENTINEL_SPOOL_DIR", "SENTINEL_API_TOKEN_FILE", "SENTINEL_MONITOR_TOKEN_FILE",
            "SENTINEL_MAX_BATCH", "SENTINEL_GRACE_PERIOD", "SENTINEL_LOG_REQUESTS", "--event-durability",
            "SENTINEL_EVENT_DURABILITY",
        ] {
            #expect(ScoringConfiguration.help.contains(name), "\(name)")
        }
    }

    @Test("log lines are JSON objects with escaped strings")
    func log() {
        let captured = CapturedLog()
        captured.log.info("hello \"x\"\n", ["path": "a\\b", "n": 3, "p": .double(.nan), "ok": .bool(true)])
        let line = captured.text
        #expect(line.hasPrefix("{\"time\":\""))
        #expect(
            line.hasSuffix(
                ",\"level\":\"info\",\"msg\":\"hello \\\"x\\\"\\n\",\"path\":\"a\\\\b\",\"n\":3,\"p\":\"nan\",\"ok\":true}"
            ))
        #expect(JSONString.quote("\u{1}") == "\"\\u0001\"")
    }
}
