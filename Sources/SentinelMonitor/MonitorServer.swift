import Glibc
public import SentinelPosix
import SentinelRPC

/// `sentinel-monitor` as one runnable component: the RPC server, the window clock and the snapshotter, plus any
/// companion tasks (the HTTP dashboard), in one task group.
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

    /// Opens the state and binds the RPC port.
    /// - Parameters:
    ///   - configuration: Addresses, state directory, settings.
    ///   - logger: Where JSON log lines go.
    /// - Throws: ``MonitorError``, ``PersistenceError`` when the state cannot be opened, ``SystemError`` when the
    ///   port cannot be bound.
    public init(configuration: MonitorConfiguration, logger: MonitorLogger = .standardOutput) throws {
        self.configuration = configuration
        service = try MonitorService.open(
            settings: configuration.settings, stateDirectory: configuration.stateDirectory, logger: logger)
        var router = Router()
        service.register(on: &router)
        // On a bind failure the process exits, which releases the state directory's lock.
        rpc = try TCPServer(
            host: configuration.host, port: configuration.port, router: router, configuration: configuration.server)
    }

    /// The bound RPC address (with the real port when 0 was asked for).
    public var address: SocketAddress { rpc.address }

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
            for companion in companions { group.addTask { try await companion() } }
            let signal = try await rpc.run(until: signals)
            group.cancelAll()
            while (try await group.next()) != nil {}
            return signal
        }
        return signal
    }
}
