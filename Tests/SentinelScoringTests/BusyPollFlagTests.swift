import SentinelArguments
import Testing

@testable import SentinelScoring

@Suite("sentinel-api --busy-poll-us")
struct BusyPollFlagTests {
    @Test(
        "the busy-poll window comes from the flag, else the environment, else the default",
        arguments: [
            ([String](), [String: String](), ScoringConfiguration.defaultBusyPollMicroseconds),
            (["--busy-poll-us", "0"], ["SENTINEL_BUSY_POLL_US": "250"], 0),
            ([], ["SENTINEL_BUSY_POLL_US": "250"], 250),
            (["--busy-poll-us", "1000000"], [:], 1_000_000),
        ])
    func parsing(flags: [String], environment: [String: String], expected: Int) throws {
        var arguments = Arguments(["--model", "m.sentinel"] + flags, environment: environment)
        let configuration = try ScoringConfiguration(parsing: &arguments)
        #expect(configuration.busyPollMicroseconds == expected)
    }

    @Test(
        "a negative, too large or non-numeric window is a usage error",
        arguments: [
            (["--busy-poll-us", "-1"], "--busy-poll-us must be between 0 and 1000000, got -1"),
            (["--busy-poll-us", "1000001"], "--busy-poll-us must be between 0 and 1000000, got 1000001"),
            (["--busy-poll-us", "fast"], "invalid value for --busy-poll-us: 'fast'"),
        ])
    func rejected(flags: [String], message: String) {
        var arguments = Arguments(["--model", "m.sentinel"] + flags)
        #expect {
            try ScoringConfiguration(parsing: &arguments)
        } throws: { "\($0)" == message }
    }

    @Test("--help and the usage line name the flag and its variable")
    func help() {
        #expect(ScoringConfiguration.help.contains("--busy-poll-us N"))
        #expect(ScoringConfiguration.help.contains("SENTINEL_BUSY_POLL_US"))
        #expect(ScoringConfiguration.usage.contains("[--busy-poll-us N]"))
    }
}
