import SentinelArguments
import SentinelDrift
import SentinelMonitor
import Testing

@Suite("sentinel-monitor configuration")
struct MonitorConfigurationTests {
    @Test("every statistical option falls back to its SENTINEL_MONITOR_ variable")
    func environmentFallbacks() throws {
        var arguments = Arguments(
            [],
            environment: [
                "SENTINEL_MONITOR_MIN_COUNT": "250",
                "SENTINEL_MONITOR_FRAUD_WINDOWS": "5",
                "SENTINEL_MONITOR_RESERVOIR": "512",
                "SENTINEL_MONITOR_LABEL_CAPACITY": "1000",
                "SENTINEL_MONITOR_MAX_MODELS": "4",
                "SENTINEL_MONITOR_MAX_PRODUCERS": "8",
                "SENTINEL_MONITOR_SNAPSHOT_INTERVAL": "30s",
            ])
        let configuration = try MonitorConfiguration(parsing: &arguments)
        #expect(configuration.settings.windows.thresholds.minimumCount == 250)
        #expect(configuration.settings.windows.fraudWindowsToAlert == 5)
        #expect(configuration.settings.windows.reservoirCapacity == 512)
        #expect(configuration.settings.labelCapacity == 1000)
        #expect(configuration.settings.modelCapacity == 4)
        #expect(configuration.settings.producerCapacity == 8)
        #expect(configuration.snapshotInterval == .seconds(30))
    }

    @Test("a flag wins over its environment variable")
    func flagWins() throws {
        var arguments = Arguments(
            ["--min-count", "40", "--max-models", "2"],
            environment: ["SENTINEL_MONITOR_MIN_COUNT": "250", "SENTINEL_MONITOR_MAX_MODELS": "4"])
        let configuration = try MonitorConfiguration(parsing: &arguments)
        #expect(configuration.settings.windows.thresholds.minimumCount == 40)
        #expect(configuration.settings.modelCapacity == 2)
    }

    @Test("a malformed environment value is a usage error naming the option")
    func badEnvironmentValue() {
        var arguments = Arguments([], environment: ["SENTINEL_MONITOR_RESERVOIR": "many"])
        #expect {
            _ = try MonitorConfiguration(parsing: &arguments)
        } throws: { error in
            (error as? UsageError)?.message.contains("--reservoir") == true
        }
    }
}
