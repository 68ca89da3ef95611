import SentinelArguments
import SentinelLog
import Testing

@testable import SentinelScoring

@Suite("sentinel-api configuration")
struct ScoringConfigurationTests {
    @Test("defaults, flags, and environment variables (a flag wins)")
    func parsing() throws {
        var defaults = Arguments(["--model", "m.sentinel"])
        let plain = try ScoringConfiguration(parsing: &defaults)
        #expect(plain == ScoringConfiguration(modelPath: "m.sentinel"))
        #expect(plain.port == 8000 && plain.host == "0.0.0.0" && plain.maximumBatchSize == 10_000)

        let environment = [
            "SENTINEL_MODEL": "env.sentinel", "SENTINEL_API_PORT": "9000", "SENTINEL_MONITOR": "mon:8001",
            "SENTINEL_SPOOL_DIR": "/tmp/spool", "SENTINEL_MAX_BATCH": "50", "SENTINEL_GRACE_PERIOD": "2.5",
            "SENTINEL_LOG_REQUESTS": "1", "SENTINEL_API_TOKEN_FILE": "t", "SENTINEL_MONITOR_TOKEN_FILE": "mt",
            "SENTINEL_API_HOST": "127.0.0.1",
        ]
        var fromEnvironment = Arguments(["--port", "0"], environment: environment)
        let configured = try ScoringConfiguration(parsing: &fromEnvironment)
        #expect(configured.modelPath == "env.sentinel")
        #expect(configured.port == 0)
        #expect(configured.host == "127.0.0.1")
        #expect(configured.monitor == "mon:8001")
        #expect(configured.spoolDirectory == "/tmp/spool")
        #expect(configured.maximumBatchSize == 50)
        #expect(configured.gracePeriodSeconds == 2.5)
        #expect(configured.logRequests)
        #expect(configured.tokenFile == "t" && configured.monitorTokenFile == "mt")
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
                "--monitor must be HOST:PORT, an IPv6 address in brackets ([::1]:8000), got 'nohost'"
            ),
            (
                ["--model", "m", "--monitor", "::1:8001"],
                "--monitor must be HOST:PORT, an IPv6 address in brackets ([::1]:8000), got '::1:8001'"
            ),
            (["--model", "m", "--bogus"], "unknown option '--bogus'"),
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
            "SENTINEL_MAX_BATCH", "SENTINEL_GRACE_PERIOD", "SENTINEL_LOG_REQUESTS",
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
