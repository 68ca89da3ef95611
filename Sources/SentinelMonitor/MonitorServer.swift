import Glibc
import SentinelHTTP
public import SentinelLog
public import SentinelPosix
import SentinelRPC
import SentinelSchema

/// `sentinel-monitor` as one runnable component: the RPC server, the HTTP server (dashboard, `/api/snapshot`,
/// `/metrics`, `/healthz`), the window clock and the snapshotter, plus any companion tasks, in one task group.
///
/// SIGTERM/SIGINT start a graceful shutdown: the RPC server drains its connections, the clock stops, a last
/// snapshot is written and the store closed.
///
/// ```swift
/// let server = try MonitorServer(configuration: configuration)
/// print("listening on \(server.address)")
/// try await server.run(until: UnixSignals.stream(TCPServer.shutdownSignals))
/// ```
public final class MonitorServer: Sendable {
    /// The service (state, log, metrics): hand it to the dashboard.
    public let service: MonitorService
    /// The configuration it runs with.
    public let configuration: MonitorConfiguration
    private let rpc: TCPServer
    private let http: HTTPServer

    /// Opens the state and binds the RPC and HTTP ports.
    /// - Parameters:
    ///   - configuration: Addresses, state directory, settings.
    ///   - logger: Where JSON log lines go.
    /// - Throws: ``MonitorError``, ``PersistenceError`` when the state cannot be opened, ``SystemError`` when the
    ///   RPC or HTTP port cannot be bound.
    public init(configuration: MonitorConfiguration, logger: JSONLog = .standardOutput) throws {
        self.configuration = configuration
        service = try MonitorService.open(
            settings: configuration.settings, stateDirectory: configuration.stateDirectory, logger: logger)
        var router = Router()
        service.register(on: &router)
        // On a bind failure the process exits, which releases the state directory's lock.
        rpc = try TCPServer(
            host: configuration.host, port: configuration.port, router: router, configuration: configuration.server)
        let service = self.service
        let dashboard = Dashboard(metrics: service.metrics.registry) {
            service.snapshot(MonitorSnapshotRequest(historyWindows: 60))
        }
        http = try HTTPServer(host: configuration.host, port: configuration.httpPort, router: dashboard.makeRouter())
    }

    /// The bound RPC address (with the real port when 0 was asked for).
    public var address: SocketAddress { rpc.address }

    /// The bound HTTP address (dashboard and `/metrics`).
    public var httpAddress: SocketAddress { http.address }

    /// Serves until the first signal of `signals` (or cancellation), then shuts everything down gracefully.
    /// - Parameters:
    ///   - signals: A stream from ``UnixSignals/stream(_:)``, created before announcing the port.
    ///   - companions: Tasks to run alongside (e.g. the HTTP server); cancelled at shutdown.
    /// - Returns: The signal that stopped the server, or `nil`.
    /// - Throws: What the RPC server's `run` throws.
    @discardableResult
    public func run(
        until signals: AsyncStream<Int32>, companions: [@Sendable () async throws -> Void] = []
    ) async throws -> Int32? {
        let service = self.service
        let configuration = self.configuration
        let signal = try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                await service.run(
                    tickInterval: configuration.tickInterval, snapshotInterval: configuration.snapshotInterval)
            }
            group.addTask { await self.http.run() }
            for companion in companions { group.addTask { try await companion() } }
            let signal = try await rpc.run(until: signals)
            http.beginGracefulShutdown()
            group.cancelAll()
            while (try await group.next()) != nil {}
            return signal
        }
        return signal
    }
}
