import Foundation
import Glibc
import SentinelArguments
import SentinelHTTP
import SentinelLifecycle
public import SentinelLog
import SentinelMetrics
public import SentinelPosix
import SentinelRPC
import SentinelSchema

/// The `sentinel-api` process: the event reporter (when a monitor is configured), the HTTP server (`/metrics`,
/// `/healthz`, `/readyz`), the RPC server and the model loader, run as one ``ServiceGroup``.
///
/// ``init(configuration:log:announce:)`` reads the token, opens the spool and binds both ports (so ``address`` and
/// ``httpAddress`` are real); ``run()`` serves until SIGTERM or SIGINT. Start-up order: reporter, HTTP server, RPC
/// server (Health answers NOT_SERVING, `/readyz` 503), model loader (SERVING once the model is loaded and
/// validated). Shutdown runs in reverse: NOT_SERVING (and `/readyz` 503), the RPC server sends GOAWAY and lets
/// in-flight requests finish within the grace period, the HTTP server stops (so `/metrics` stays readable while
/// draining), then the reporter flushes to the monitor or its spool.
///
/// ```swift
/// let application = try ScoringApplication(configuration: try ScoringConfiguration(parsing: &arguments))
/// try await application.run()
/// ```
public final class ScoringApplication: Sendable {
    /// The settings.
    public let configuration: ScoringConfiguration
    /// The scoring handlers, counters and model store.
    public let service: ScoringService
    private let server: TCPServer
    private let http: HTTPServer
    private let reporter: EventReporter?
    private let log: JSONLog
    private let announce: @Sendable (String) -> Void

    /// Builds the process's services: reads the token file, opens the spool, binds the port.
    /// - Parameters:
    ///   - configuration: Address, model, limits, tokens.
    ///   - log: The JSON log (default: standard output).
    ///   - announce: Receives the human `listening on HOST:PORT` line (default: standard error, keeping standard
    ///     output machine-readable).
    /// - Throws: ``ScoringError`` `.configuration` for an unusable spool directory or an address that cannot be
    ///   bound.
    public init(
        configuration: ScoringConfiguration, log: JSONLog = .standardOutput,
        announce: (@Sendable (String) -> Void)? = nil
    ) throws {
        self.configuration = configuration
        self.log = log
        self.announce = announce ?? { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
        var serverConfiguration = configuration.server
        serverConfiguration.shutdownGracePeriod = .milliseconds(Int64(configuration.gracePeriodSeconds * 1000))
        serverConfiguration.busyPoll = .microseconds(configuration.busyPollMicroseconds)
        let reporter = try Self.makeReporter(configuration, log: log)
        self.reporter = reporter
        service = ScoringService(
            store: ModelStore(configuredPath: configuration.modelPath),
            maximumBatchSize: configuration.maximumBatchSize, sink: reporter, log: log,
            logRequests: configuration.logRequests)
        let service = self.service
        server = try Self.bind(configuration.host, configuration.port, log: log) {
            try TCPServer(
                host: configuration.host, port: configuration.port, router: service.makeRouter(),
                configuration: serverConfiguration, log: log)
        }
        var routes = HTTPRouter()
        routes.registerOperations(metrics: service.metrics) { service.isServing }
        http = try Self.bind(configuration.host, configuration.httpPort, log: log) {
            try HTTPServer(host: configuration.host, port: configuration.httpPort, router: routes)
        }
        service.metrics.registerProcessMetrics()
        service.metrics.registerBuildInfo(
            service: "sentinel-api", version: SentinelVersion.string, revision: SentinelVersion.revision)
        server.registerMetrics(in: service.metrics)
    }

    /// Binds a server, turning a failure into an error that names the address.
    private static func bind<Server>(
        _ host: String, _ port: UInt16, log: JSONLog, _ make: () throws -> Server
    ) throws -> Server {
        do {
            return try make()
        } catch {
            let address = SocketAddress(host: host, port: port)
            log.error("cannot listen", ["address": .string("\(address)"), "error": .string("\(error)")])
            throw ScoringError(.configuration, "cannot listen on \(address): \(error)", cause: error)
        }
    }

    /// The bound RPC address, with the real port when 0 was asked for.
    public var address: SocketAddress { server.address }

    /// The bound HTTP address (`/metrics`, `/healthz`, `/readyz`).
    public var httpAddress: SocketAddress { http.address }

    /// Serves until SIGTERM or SIGINT, then shuts down gracefully and returns.
    /// - Throws: ``ScoringError`` `.reloadFailed` when the model cannot be loaded at start-up (the process should
    ///   exit 1).
    public func run() async throws {
        // Installed before anything is announced, so a supervisor's signal is never lost or fatal.
        let signals = UnixSignals.stream(ServiceGroup.shutdownSignals)
        let reloads = UnixSignals.stream([SIGHUP])
        log.info(
            "listening",
            [
                "address": .string(server.address.description), "port": .int(Int64(server.address.port)),
                "http": .string(http.address.description),
                "version": .string(SentinelVersion.string), "model": .string(configuration.modelPath),
                "monitor": .string(configuration.monitor?.address.description ?? ""),
                "max_batch": .int(Int64(configuration.maximumBatchSize)),
                "auth": configuration.server.authToken == nil ? "none" : "token",
            ])
        warnAboutWhatIsNotHappening()
        // The HTTP line first: a supervisor that waits for "listening on" then has both ports.
        announce("metrics on http://\(http.address)/metrics")
        announce("listening on \(server.address)")
        let loader = ModelLoader(service: service, reloadSignals: reloads, log: log)
        let services: [any Service] = (reporter.map { [$0] } ?? []) + [http, server, loader]
        let signal: Int32?
        do {
            signal = try await ServiceGroup(services: services, signals: signals, logger: log).runReportingSignal()
        } catch {
            log.error("stopped", ["reason": .string((error as? ScoringError)?.message ?? "\(error)")])
            throw error
        }
        let statistics = service.statistics
        log.info(
            "stopped",
            [
                "signal": .string(signal.map(ServiceGroup.signalName) ?? "none"),
                "requests": .int(Int64(statistics.requests)), "transactions": .int(Int64(statistics.transactions)),
                "events_sent": .int(Int64(statistics.events.sent)),
                "events_spooled": .int(Int64(statistics.events.spooled)),
                "events_dropped": .int(Int64(statistics.events.dropped)),
            ])
    }

    /// Says, once, what an operator might assume is happening and is not: no monitor watches the scores, or the
    /// RPC port takes calls from anyone who can reach it. Each is a `warning` log line and a line on standard error.
    private func warnAboutWhatIsNotHappening() {
        if configuration.monitor == nil {
            log.warning(
                "not monitored",
                ["reason": "no --monitor: scores are not reported, so nothing watches drift, the flag rate or labels"])
            announce(
                "warning: no --monitor: scores are not reported to a monitor, so nothing watches this model's drift, "
                    + "flag rate or labels")
        }
        if let warning = server.openToNetworkWarning {
            log.warning("no token on a network address", ["address": .string(server.address.description)])
            announce("warning: \(warning)")
        }
    }

    /// The reporter to the configured monitor (spooling to `--spool-dir`), or `nil` when no monitor is configured.
    static func makeReporter(_ configuration: ScoringConfiguration, log: JSONLog = .standardOutput) throws
        -> EventReporter?
    {
        guard let monitor = configuration.monitor else { return nil }
        var settings = EventReporter.Configuration(
            monitor: monitor.address, spoolDirectory: configuration.spoolDirectory)
        settings.maximumInFlight = configuration.reportInFlight
        settings.pendingCapacityBytes = configuration.reportMemoryMegabytes << 20
        settings.retentionBytes = configuration.reportRetentionMegabytes << 20
        settings.retentionDuration = configuration.reportRetention
        settings.durability = configuration.eventDurability
        settings.token = monitor.token
        do {
            return try EventReporter(configuration: settings, log: log)
        } catch {
            throw ScoringError(.configuration, "cannot start the event reporter: \(error)", cause: error)
        }
    }
}
