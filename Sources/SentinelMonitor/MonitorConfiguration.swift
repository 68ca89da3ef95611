import Foundation
public import SentinelArguments
import SentinelDrift
import SentinelPosix
public import SentinelRPC

/// Everything `sentinel-monitor` is configured with: addresses, the state directory, the statistical settings.
///
/// Parsed from flags and `SENTINEL_MONITOR_…` environment variables by ``init(parsing:)`` (flags win).
///
/// ```swift
/// var arguments = Arguments(["--port", "0", "--window", "10s"], environment: [:])
/// let configuration = try MonitorConfiguration(parsing: &arguments)
/// ```
public struct MonitorConfiguration: Sendable {
    /// Address to bind for RPC.
    public var host: String = "127.0.0.1"
    /// RPC port (0 picks a free one).
    public var port: UInt16 = 8001
    /// HTTP port for the dashboard and /metrics (0 picks a free one).
    public var httpPort: UInt16 = 8501
    /// The state directory; `nil` keeps nothing across restarts.
    public var stateDirectory: String?
    /// Statistical settings and bounds.
    public var settings = MonitorSettings()
    /// RPC server limits and the optional token.
    public var server = ServerConfiguration()
    /// How often the window clock advances the windows.
    public var tickInterval: Duration = .seconds(1)
    /// The longest time between snapshots.
    public var snapshotInterval: Duration = .seconds(300)

    /// The window length in milliseconds.
    public var windowMilliseconds: Int64 { settings.windows.windowMilliseconds }

    /// A configuration with every default.
    public init() {}

    /// The `--help` text of the options.
    public static let optionsHelp = """
          --host HOST            address to bind, :: for every IPv4 and IPv6 address (env SENTINEL_MONITOR_HOST,
                                 default 127.0.0.1)
          --port PORT            RPC port; 0 picks a free one (env SENTINEL_MONITOR_PORT, default 8001)
          --http-port PORT       dashboard and /metrics port (env SENTINEL_MONITOR_HTTP_PORT, default 8501)
          --state-dir DIR        keep the state (log + snapshots) here; without it nothing survives a restart
                                 (env SENTINEL_MONITOR_STATE_DIR)
          --window DURATION      tumbling window length, e.g. 60s, 500ms, 5m (env SENTINEL_MONITOR_WINDOW, default 60s)
          --history DURATION     closed windows kept, as a duration (env SENTINEL_MONITOR_HISTORY, default 24h)
          --psi-warn X           PSI warn threshold for every input, over the model's calibrated ones
                                 (env SENTINEL_MONITOR_PSI_WARN; default: the model's calibration, else 0.1)
          --psi-alert X          PSI alert threshold for every input, over the model's calibrated ones
                                 (env SENTINEL_MONITOR_PSI_ALERT; default: the model's calibration, else 0.25)
          --drift-thresholds L   PSI thresholds of single inputs, over everything else: NAME=WARN:ALERT, comma
                                 separated, `score` for the score, e.g. Amount=0.2:0.5
                                 (env SENTINEL_MONITOR_DRIFT_THRESHOLDS)
          --min-count N          fewest values in a window for a drift status change
                                 (env SENTINEL_MONITOR_MIN_COUNT, default 100)
          --fraud-windows N      windows outside the interval that raise the flag-rate alert
                                 (env SENTINEL_MONITOR_FRAUD_WINDOWS, default 3)
          --idle-windows N       windows without events after which a model version is idle and its alerts
                                 resolve; 0 never (env SENTINEL_MONITOR_IDLE_WINDOWS, default 5)
          --reservoir N          rows sampled per window for the exact KS test (env SENTINEL_MONITOR_RESERVOIR,
                                 default 2048)
          --label-capacity N     scored transactions kept for delayed labels (env SENTINEL_MONITOR_LABEL_CAPACITY,
                                 default 200000)
          --max-models N         model versions tracked at once (env SENTINEL_MONITOR_MAX_MODELS, default 16)
          --max-producers N      producers tracked at once (env SENTINEL_MONITOR_MAX_PRODUCERS, default 1024)
          --snapshot-interval D  longest time between state snapshots (env SENTINEL_MONITOR_SNAPSHOT_INTERVAL,
                                 default 5m)
        \(ServerConfiguration.serverOptionsHelp(environmentPrefix: "SENTINEL_MONITOR", width: 25))
        """

    /// Parses `--drift-thresholds`: `NAME=WARN:ALERT` entries separated by commas.
    /// - Parameter text: The option's value.
    /// - Returns: The thresholds by column name.
    /// - Throws: ``UsageError`` naming the entry that does not parse or has warn above alert.
    static func columnThresholds(_ text: String) throws -> [String: DriftThresholds.Levels] {
        var result: [String: DriftThresholds.Levels] = [:]
        for entry in text.split(separator: ",", omittingEmptySubsequences: false) {
            let parts = entry.split(separator: "=", maxSplits: 1)
            let values = parts.count == 2 ? parts[1].split(separator: ":") : []
            guard parts.count == 2, !parts[0].isEmpty, values.count == 2, let warn = Double(values[0]),
                let alert = Double(values[1]), warn.isFinite, alert.isFinite, warn >= 0, warn <= alert
            else {
                throw UsageError(
                    "invalid value for --drift-thresholds: '\(entry)' (NAME=WARN:ALERT with 0 ≤ WARN ≤ ALERT, e.g. "
                        + "Amount=0.2:0.5)")
            }
            result[String(parts[0])] = DriftThresholds.Levels(warn: warn, alert: alert)
        }
        return result
    }

    /// Parses the options it knows from `arguments` (consuming them).
    /// - Parameter arguments: The command line and environment.
    /// - Throws: ``UsageError`` naming a bad value.
    public init(parsing arguments: inout Arguments) throws {
        host = try arguments.option("--host", environment: "SENTINEL_MONITOR_HOST") ?? host
        port = try arguments.option("--port", environment: "SENTINEL_MONITOR_PORT", as: UInt16.self) ?? port
        httpPort =
            try arguments.option("--http-port", environment: "SENTINEL_MONITOR_HTTP_PORT", as: UInt16.self)
            ?? httpPort
        stateDirectory = try arguments.option("--state-dir", environment: "SENTINEL_MONITOR_STATE_DIR")
        var windows = settings.windows
        if let text = try arguments.option("--window", environment: "SENTINEL_MONITOR_WINDOW") {
            windows.windowMilliseconds = try Arguments.milliseconds(text, option: "--window")
        }
        let history = try arguments.option("--history", environment: "SENTINEL_MONITOR_HISTORY") ?? "24h"
        let historyMilliseconds = try Arguments.milliseconds(history, option: "--history")
        guard historyMilliseconds >= windows.windowMilliseconds else {
            throw UsageError("--history (\(history)) must be at least one window")
        }
        windows.historyCount = Int(historyMilliseconds / windows.windowMilliseconds)
        if let warn = try arguments.option("--psi-warn", environment: "SENTINEL_MONITOR_PSI_WARN", as: Double.self) {
            windows.thresholds.warn = warn
            windows.thresholdsSet = true
        }
        if let alert = try arguments.option("--psi-alert", environment: "SENTINEL_MONITOR_PSI_ALERT", as: Double.self) {
            windows.thresholds.alert = alert
            windows.thresholdsSet = true
        }
        if let text = try arguments.option("--drift-thresholds", environment: "SENTINEL_MONITOR_DRIFT_THRESHOLDS") {
            windows.columnThresholds = try Self.columnThresholds(text)
        }
        if let count = try arguments.option("--min-count", environment: "SENTINEL_MONITOR_MIN_COUNT", as: Int.self) {
            windows.thresholds.minimumCount = count
        }
        if let count = try arguments.option(
            "--fraud-windows", environment: "SENTINEL_MONITOR_FRAUD_WINDOWS", as: Int.self)
        {
            windows.fraudWindowsToAlert = count
        }
        if let count = try arguments.option("--reservoir", environment: "SENTINEL_MONITOR_RESERVOIR", as: Int.self) {
            windows.reservoirCapacity = count
        }
        settings.windows = windows
        if let count = try arguments.option(
            "--idle-windows", environment: "SENTINEL_MONITOR_IDLE_WINDOWS", as: Int.self)
        {
            settings.idleWindows = count
        }
        if let count = try arguments.option(
            "--label-capacity", environment: "SENTINEL_MONITOR_LABEL_CAPACITY", as: Int.self)
        {
            settings.labelCapacity = count
        }
        if let count = try arguments.option("--max-models", environment: "SENTINEL_MONITOR_MAX_MODELS", as: Int.self) {
            settings.modelCapacity = count
        }
        if let count = try arguments.option(
            "--max-producers", environment: "SENTINEL_MONITOR_MAX_PRODUCERS", as: Int.self)
        {
            settings.producerCapacity = count
        }
        if let text = try arguments.option("--snapshot-interval", environment: "SENTINEL_MONITOR_SNAPSHOT_INTERVAL") {
            snapshotInterval = .milliseconds(try Arguments.milliseconds(text, option: "--snapshot-interval"))
        }
        tickInterval = .milliseconds(min(1_000, max(10, windows.windowMilliseconds / 4)))
        try server.parseServerOptions(&arguments, environmentPrefix: "SENTINEL_MONITOR")
        do {
            try settings.validate()
        } catch {
            throw UsageError(error.message)
        }
    }
}
