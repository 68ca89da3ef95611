public import SentinelArguments
public import SentinelPosix
public import SentinelRPC

/// The settings of `sentinel-api`, from flags or `SENTINEL_…` environment variables (a flag wins).
///
/// ```swift
/// var arguments = Arguments(CommandLine.arguments.dropFirst().map { $0 }, environment: environment)
/// let configuration = try ScoringConfiguration(parsing: &arguments)
/// ```
public struct ScoringConfiguration: Sendable, Equatable {
    /// The model file (`--model`, `SENTINEL_MODEL`); also what SIGHUP and a path-less ReloadModel reload.
    public var modelPath: String
    /// The address both ports bind (`--host`, `SENTINEL_API_HOST`; default `127.0.0.1`, or `0.0.0.0` when a token
    /// is configured: an unauthenticated API is reachable only from this machine unless asked otherwise).
    public var host = "127.0.0.1"
    /// The RPC port; 0 picks a free one (`--port`, `SENTINEL_API_PORT`, default 8000).
    public var port: UInt16 = 8000
    /// The HTTP port serving `/metrics`, `/healthz` and `/readyz`; 0 picks a free one (`--http-port`,
    /// `SENTINEL_API_HTTP_PORT`, default 9100).
    public var httpPort: UInt16 = 9100
    /// The monitor that receives scoring events and its token (`--monitor`, `SENTINEL_MONITOR`;
    /// `--monitor-token-file`, `SENTINEL_MONITOR_TOKEN_FILE`); `nil`: no reporting.
    public var monitor: ConnectionOptions?
    /// Where undeliverable events are spooled (`--spool-dir`, `SENTINEL_SPOOL_DIR`, default `sentinel-spool`).
    public var spoolDirectory = "sentinel-spool"
    /// The most IngestEvents requests outstanding to the monitor (`--report-inflight`, `SENTINEL_REPORT_INFLIGHT`,
    /// default 8).
    public var reportInFlight = 8
    /// MiB of formed event batches kept in memory for the monitor before new ones go to the spool
    /// (`--report-memory-mb`, `SENTINEL_REPORT_MEMORY_MB`, default 64).
    public var reportMemoryMegabytes = 64
    /// MiB of acknowledged event batches kept in memory for resends to a monitor restored from an older copy of
    /// its state (`--report-retention-mb`, `SENTINEL_REPORT_RETENTION_MB`, default 64; 0 keeps none).
    public var reportRetentionMegabytes = 64
    /// How long an acknowledged batch is kept for resends, within the MiB bound (`--report-retention`,
    /// `SENTINEL_REPORT_RETENTION`, default 1h).
    public var reportRetention: Duration = .seconds(3_600)
    /// When a score is answered: at once (`async`, the default) or once its event is synced to the spool (`sync`)
    /// (`--event-durability`, `SENTINEL_EVENT_DURABILITY`).
    public var eventDurability = EventDurability.async
    /// The RPC server's token (`--token-file`, `SENTINEL_API_TOKEN_FILE`) and connection limits
    /// (`--max-connections`, `--handshake-timeout`, `--idle-timeout`).
    public var server = ServerConfiguration()
    /// The most transactions one ScoreBatch may carry (`--max-batch`, `SENTINEL_MAX_BATCH`, default 10,000).
    public var maximumBatchSize = ScoringService.defaultMaximumBatchSize
    /// Seconds in-flight requests get to finish on SIGTERM (`--grace-period`, `SENTINEL_GRACE_PERIOD`, default 10).
    public var gracePeriodSeconds = 10.0
    /// Log one JSON line per scoring request (`--log-requests`, `SENTINEL_LOG_REQUESTS=1`).
    public var logRequests = false
    /// Microseconds each event loop keeps polling after traffic before it blocks (`--busy-poll-us`,
    /// `SENTINEL_BUSY_POLL_US`, default ``defaultBusyPollMicroseconds``; 0 = block at once).
    public var busyPollMicroseconds = ScoringConfiguration.defaultBusyPollMicroseconds

    /// The default busy-poll window: long enough to catch a closed-loop client's next request on this kind of VM,
    /// short enough that an idle API costs no CPU (benchmarks/RESULTS.md, "sentinel bench by hand", has the
    /// measurement).
    public static let defaultBusyPollMicroseconds = 100
    /// The largest accepted busy-poll window (1 s): longer windows only burn CPU.
    public static let maximumBusyPollMicroseconds = 1_000_000

    /// The usage line.
    public static let usage =
        "usage: sentinel-api --model FILE [--host ADDR] [--port N] [--http-port N] [--monitor HOST:PORT] "
        + "[--spool-dir DIR] "
        + "[--report-inflight N] [--report-memory-mb N] [--report-retention D] [--report-retention-mb N] "
        + "[--event-durability async|sync] "
        + "[--token-file FILE] [--monitor-token-file FILE] [--max-batch N] [--grace-period S] [--log-requests] "
        + "[--busy-poll-us N] [--max-connections N] [--handshake-timeout S] [--idle-timeout S]"

    /// The `--help` text: every flag with its environment variable and default.
    public static let help = """
        \(usage)

        The Sentinel scoring service: scores card transactions with a trained fraud model over Sentinel RPC
        (PROTOCOL.md), reports every score to the monitor, reloads the model on SIGHUP or ReloadModel, and stops
        gracefully on SIGTERM or SIGINT. Logs JSON lines on stdout.

        options (a flag wins over its environment variable):
          --model FILE               model file from `sentinel train` (env SENTINEL_MODEL; required)
          --host ADDR                address both ports bind, :: for every IPv4 and IPv6 address
                                     (env SENTINEL_API_HOST, default 127.0.0.1, or 0.0.0.0 with --token-file)
          --port N                   RPC port; 0 picks a free one (env SENTINEL_API_PORT, default 8000)
          --http-port N              HTTP port for /metrics, /healthz and /readyz; 0 picks a free one
                                     (env SENTINEL_API_HTTP_PORT, default 9100)
        \(ConnectionOptions.Flags.reporterMonitor.help(width: 29))
          --spool-dir DIR            disk spool for events the monitor cannot take yet
                                     (env SENTINEL_SPOOL_DIR, default sentinel-spool)
          --report-inflight N        event requests outstanding to the monitor (env SENTINEL_REPORT_INFLIGHT,
                                     default 8)
          --report-memory-mb N       MiB of event batches held in memory before spooling to disk
                                     (env SENTINEL_REPORT_MEMORY_MB, default 64)
          --report-retention D       how long acknowledged events are kept in memory for resends to a monitor
                                     restored from a backup (env SENTINEL_REPORT_RETENTION, default 1h)
          --report-retention-mb N    MiB of acknowledged events kept for resends; 0 keeps none
                                     (env SENTINEL_REPORT_RETENTION_MB, default 64)
          --event-durability MODE    async: answer a score at once, its event follows from memory; sync: answer
                                     once the event is synced to the spool, so a crash loses no answered
                                     event (env SENTINEL_EVENT_DURABILITY, default async)
          --max-batch N              most transactions per ScoreBatch (env SENTINEL_MAX_BATCH, default 10000)
          --grace-period S           seconds in-flight requests get on shutdown (env SENTINEL_GRACE_PERIOD, default 10)
          --log-requests             log one line per scoring request (env SENTINEL_LOG_REQUESTS=1)
          --busy-poll-us N           µs the event loops keep polling after traffic before sleeping; trades CPU
                                     under load for latency, idle costs nothing; 0 = off
                                     (env SENTINEL_BUSY_POLL_US, default 100)
        \(ServerConfiguration.serverOptionsHelp(environmentPrefix: "SENTINEL_API", width: 29))
          --help                     show this help
          --version                  show the version
        """

    /// Creates a configuration with defaults.
    /// - Parameter modelPath: The model file.
    public init(modelPath: String) {
        self.modelPath = modelPath
    }

    /// Parses flags and environment variables, consuming what it recognises and rejecting the rest.
    /// - Parameter arguments: The command line and environment.
    /// - Throws: `UsageError` for a missing `--model`, a bad number, a bad `--monitor` address or an unknown flag.
    public init(parsing arguments: inout Arguments) throws {
        modelPath = try arguments.required("--model", environment: "SENTINEL_MODEL")
        let host = try arguments.option("--host", environment: "SENTINEL_API_HOST")
        port = try arguments.option("--port", environment: "SENTINEL_API_PORT", as: UInt16.self) ?? port
        httpPort =
            try arguments.option("--http-port", environment: "SENTINEL_API_HTTP_PORT", as: UInt16.self) ?? httpPort
        monitor = try ConnectionOptions.parse(&arguments, .reporterMonitor)
        spoolDirectory = try arguments.option("--spool-dir", environment: "SENTINEL_SPOOL_DIR") ?? spoolDirectory
        reportInFlight =
            try arguments.option("--report-inflight", environment: "SENTINEL_REPORT_INFLIGHT", as: Int.self)
            ?? reportInFlight
        reportMemoryMegabytes =
            try arguments.option("--report-memory-mb", environment: "SENTINEL_REPORT_MEMORY_MB", as: Int.self)
            ?? reportMemoryMegabytes
        reportRetention =
            try arguments.duration("--report-retention", environment: "SENTINEL_REPORT_RETENTION") ?? reportRetention
        reportRetentionMegabytes =
            try arguments.option("--report-retention-mb", environment: "SENTINEL_REPORT_RETENTION_MB", as: Int.self)
            ?? reportRetentionMegabytes
        if let durability = try arguments.option("--event-durability", environment: "SENTINEL_EVENT_DURABILITY") {
            guard let mode = EventDurability(rawValue: durability) else {
                throw UsageError("--event-durability must be async or sync, got '\(durability)'")
            }
            eventDurability = mode
        }
        maximumBatchSize =
            try arguments.option("--max-batch", environment: "SENTINEL_MAX_BATCH", as: Int.self) ?? maximumBatchSize
        gracePeriodSeconds =
            try arguments.option("--grace-period", environment: "SENTINEL_GRACE_PERIOD", as: Double.self)
            ?? gracePeriodSeconds
        logRequests = arguments.flag("--log-requests", environment: "SENTINEL_LOG_REQUESTS")
        busyPollMicroseconds =
            try arguments.option("--busy-poll-us", environment: "SENTINEL_BUSY_POLL_US", as: Int.self)
            ?? busyPollMicroseconds
        try server.parseServerOptions(&arguments, environmentPrefix: "SENTINEL_API")
        try arguments.finish()
        self.host = host ?? (server.authToken == nil ? "127.0.0.1" : "0.0.0.0")
        if eventDurability == .sync && monitor == nil {
            throw UsageError("--event-durability sync needs --monitor: without a monitor no event is kept")
        }
        guard maximumBatchSize >= 1 else { throw UsageError("--max-batch must be at least 1, got \(maximumBatchSize)") }
        guard gracePeriodSeconds.isFinite, gracePeriodSeconds >= 0 else {
            throw UsageError("--grace-period must be a non-negative number of seconds")
        }
        guard (1...256).contains(reportInFlight) else {
            throw UsageError("--report-inflight must be between 1 and 256, got \(reportInFlight)")
        }
        guard (0...(1 << 20)).contains(reportMemoryMegabytes) else {
            throw UsageError("--report-memory-mb must be between 0 and 1048576, got \(reportMemoryMegabytes)")
        }
        guard (0...(1 << 20)).contains(reportRetentionMegabytes) else {
            throw UsageError(
                "--report-retention-mb must be between 0 and 1048576, got \(reportRetentionMegabytes)")
        }
        guard (0...Self.maximumBusyPollMicroseconds).contains(busyPollMicroseconds) else {
            throw UsageError(
                "--busy-poll-us must be between 0 and \(Self.maximumBusyPollMicroseconds), got \(busyPollMicroseconds)")
        }
    }
}
