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

    @Test("--psi-warn/--psi-alert set every input's thresholds; --drift-thresholds sets single inputs' (env too)")
    func thresholdOverrides() throws {
        var arguments = Arguments(
            ["--psi-alert", "0.4"], environment: ["SENTINEL_MONITOR_DRIFT_THRESHOLDS": "Amount=0.2:0.5,score=0:1"])
        let windows = try MonitorConfiguration(parsing: &arguments).settings.windows
        #expect(windows.thresholdsSet == true && windows.thresholds.alert == 0.4)
        #expect(windows.columnThresholds?["Amount"] == DriftThresholds.Levels(warn: 0.2, alert: 0.5))
        #expect(windows.columnThresholds?["score"] == DriftThresholds.Levels(warn: 0, alert: 1))
        var none = Arguments([], environment: [:])
        #expect(try MonitorConfiguration(parsing: &none).settings.windows.thresholdsSet == nil)
        for bad in ["Amount", "Amount=0.2", "Amount=0.5:0.2", "=0.1:0.2", "Amount=x:1", "a=0.1:0.2,"] {
            var arguments = Arguments(["--drift-thresholds", bad], environment: [:])
            #expect {
                _ = try MonitorConfiguration(parsing: &arguments)
            } throws: { error in
                let message = (error as? UsageError)?.message ?? ""
                return message.contains("--drift-thresholds") && message.contains("NAME=WARN:ALERT")
            }
        }
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
