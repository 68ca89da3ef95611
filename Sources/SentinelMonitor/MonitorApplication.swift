import Foundation
import SentinelArguments
import SentinelHTTP
import SentinelLifecycle
public import SentinelLog
import SentinelMetrics
public import SentinelPosix
import SentinelRPC
import SentinelSchema

/// The `sentinel-monitor` process: the window clock and state store, the RPC server and the HTTP server
/// (dashboard, `/api/snapshot`, `/metrics`, `/healthz`), run as one ``ServiceGroup``.
///
/// ``init(configuration:log:announce:)`` restores the state and binds both ports (so ``address`` and
/// ``httpAddress`` are real); ``run()`` serves until SIGTERM or SIGINT. Shutdown runs in reverse order: `/readyz`
/// turns 503, the RPC server drains its connections (every acknowledged batch is in the log), the HTTP server
/// stops, then the clock writes a last snapshot and closes the store.
///
/// ```swift
/// let application = try MonitorApplication(configuration: try MonitorConfiguration(parsing: &arguments))
/// try await application.run()
/// ```
public final class MonitorApplication: Sendable {
    /// The service (state, log, metrics).
    public let service: MonitorService
    /// The configuration it runs with.
    public let configuration: MonitorConfiguration
    private let rpc: TCPServer
    private let http: HTTPServer
    private let readiness = Readiness()
    private let log: JSONLog
    private let announce: @Sendable (String) -> Void

    /// Opens the state and binds the RPC and HTTP ports.
    /// - Parameters:
    ///   - configuration: Addresses, state directory, settings.
    ///   - log: Where JSON log lines go.
    ///   - announce: Receives the human `listening on …` lines (default: standard error, keeping standard output
    ///     machine-readable).
    /// - Throws: ``MonitorError``, ``PersistenceError`` when the state cannot be opened, ``SystemError`` when the
    ///   RPC or HTTP port cannot be bound.
    public init(
        configuration: MonitorConfiguration, log: JSONLog = .standardOutput,
        announce: (@Sendable (String) -> Void)? = nil
    ) throws {
        self.configuration = configuration
        self.log = log
        self.announce = announce ?? { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
        service = try MonitorService.open(
            settings: configuration.settings, stateDirectory: configuration.stateDirectory, logger: log)
        var router = Router()
        service.register(on: &router)
        // On a bind failure the process exits, which releases the state directory's lock.
        rpc = try Self.bind(configuration.host, configuration.port, log: log) {
            try TCPServer(
                host: configuration.host, port: configuration.port, router: router, configuration: configuration.server,
                log: log)
        }
        let service = self.service
        let readiness = self.readiness
        let dashboard = Dashboard(
            metrics: service.metrics.registry, isReady: { readiness.isReady },
            snapshot: { request in service.snapshot(request) })
        http = try Self.bind(configuration.host, configuration.httpPort, log: log) {
            try HTTPServer(host: configuration.host, port: configuration.httpPort, router: dashboard.makeRouter())
        }
        let registry = service.metrics.registry
        registry.registerProcessMetrics()
        registry.registerBuildInfo(
            service: "sentinel-monitor", version: SentinelVersion.string, revision: SentinelVersion.revision)
        rpc.registerMetrics(in: registry)
        service.metrics.windowSeconds.set(Double(configuration.windowMilliseconds) / 1000)
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
            throw MonitorError(.invalidConfiguration, "cannot listen on \(address): \(error)")
        }
    }

    /// The bound RPC address (with the real port when 0 was asked for).
    public var address: SocketAddress { rpc.address }

    /// The bound HTTP address (dashboard and `/metrics`).
    public var httpAddress: SocketAddress { http.address }

    /// Serves until SIGTERM or SIGINT, then shuts everything down gracefully and returns.
    /// - Throws: The first error a service threw.
    public func run() async throws {
        // Installed before the port is announced, so a supervisor's SIGTERM always shuts down cleanly.
        let signals = UnixSignals.stream(ServiceGroup.shutdownSignals)
        log.info(
            "listening",
            [
                "address": .string(rpc.address.description), "dashboard": .string("http://\(http.address)/"),
                "version": .string(SentinelVersion.string),
                "auth": .string(configuration.server.authToken == nil ? "none" : "token"),
                "state_dir": .string(configuration.stateDirectory ?? "none"),
                "window_ms": .int(configuration.windowMilliseconds),
            ])
        // The HTTP line first: a supervisor that waits for "listening on" then has both ports.
        announce("dashboard on http://\(http.address)/")
        announce("listening on \(rpc.address)")
        let clock = WindowClock(
            service: service, tickInterval: configuration.tickInterval,
            snapshotInterval: configuration.snapshotInterval)
        // HTTP before RPC, readiness last: on shutdown `/readyz` turns 503 first, the RPC server drains while
        // `/metrics` stays readable, then HTTP stops and the clock writes the last snapshot.
        let group = ServiceGroup(services: [clock, http, rpc, readiness], signals: signals, logger: log)
        let signal = try await group.runReportingSignal()
        log.info("stopped", ["signal": .string(signal.map(ServiceGroup.signalName) ?? "none")])
    }
}
