import CSentinelPosix
import Glibc
public import SentinelLifecycle
import SentinelLock
public import SentinelLog
public import SentinelRPC
import Synchronization

/// The RPC server on TCP: a listener plus event loops that own the connections and run the handlers.
///
/// ``init(host:port:router:configuration:loopCount:)`` binds at once, so ``address`` holds the real port even
/// after binding port 0. ``run()`` starts the loops and serves until ``beginGracefulShutdown()`` or cancellation of
/// the calling task; it owns every thread and connection and returns only when all are gone. Shutdown: stop
/// accepting, send GOAWAY on every connection, let in-flight requests finish within the grace period, then close.
///
/// It is a ``Service``: a ``ServiceGroup`` runs it and starts its graceful shutdown on SIGTERM/SIGINT.
///
/// ```swift
/// let server = try TCPServer(host: "127.0.0.1", port: 0, router: router)
/// print("listening on \(server.address)")
/// try await server.run()
/// ```
public final class TCPServer: Service {
    private enum State {
        case idle
        case running
        case stopping
        case finished
    }

    /// The address the server listens on, with the real port.
    public let address: SocketAddress
    let router: Router
    let configuration: ServerConfiguration
    let loops: [PosixEventLoop]
    private let listenFD: Int32
    private let state = Lock(State.idle)
    private let (shutdownRequests, shutdownContinuation) = AsyncStream.makeStream(of: Void.self)
    private let openConnections = Atomic<Int>(0)
    private let acceptedConnections = Atomic<UInt64>(0)
    private let disconnects = Lock([DisconnectReason: UInt64]())
    /// Open connections by peer address, kept only with a per-peer limit.
    private let peerConnections = Lock([String: Int]())
    private let log: JSONLog?
    private let logThrottle = LogThrottle(interval: .seconds(1))
    private let listener = Lock<LoopBound<Listener>?>(nil)
    let tasks = TaskTracker()

    /// Binds and listens.
    /// - Parameters:
    ///   - host: The address or name to bind: `0.0.0.0` for every IPv4 interface, `::` for every interface of both
    ///     families, an IPv6 literal without brackets.
    ///   - port: The port; 0 picks a free one (read it from ``address``).
    ///   - router: The methods served.
    ///   - configuration: Limits, timeouts, the optional token and the loops' busy-poll window.
    ///   - loopCount: Event loop threads (default: one per online CPU; benchmarks/RESULTS.md, rpc.sh, has the
    ///     measurement).
    ///   - log: Where connections the server closes are logged (at most one line a second per reason, with the
    ///     peer address); `nil` logs nothing.
    /// - Throws: ``SystemError`` from `socket`, `bind`, `listen` or `epoll_create1`.
    public init(
        host: String,
        port: UInt16,
        router: Router,
        configuration: ServerConfiguration = ServerConfiguration(),
        loopCount: Int = TCPServer.defaultLoopCount,
        log: JSONLog? = nil
    ) throws(SystemError) {
        precondition(loopCount >= 1, "a server needs at least one loop")
        let requested = try SocketAddress(host: host, port: port).resolve()
        let fd = try Socket.makeTCP(family: requested.family)
        do {
            try Socket.bindAndListen(fd, to: requested, backlog: 1024)
            address = SocketAddress(host: host, port: try Socket.localPort(fd))
            var loops: [PosixEventLoop] = []
            for _ in 0..<loopCount { loops.append(try PosixEventLoop(busyPoll: configuration.busyPoll)) }
            self.loops = loops
        } catch {
            close(fd)
            throw error
        }
        listenFD = fd
        self.router = router
        self.configuration = configuration
        self.log = log
    }

    /// One event loop per online CPU.
    public static var defaultLoopCount: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

    /// The number of open connections.
    public var connectionCount: Int { openConnections.load(ordering: .relaxed) }

    /// Serves until ``beginGracefulShutdown()`` or cancellation of the calling task, then shuts down gracefully;
    /// returns when every loop thread, connection and handler task has finished. Call once.
    public func run() async throws {
        let alreadyStarted = state.withLock { state -> Bool in
            guard state == .idle else { return true }
            state = .running
            return false
        }
        precondition(!alreadyStarted, "TCPServer.run() called twice")
        await withDiscardingTaskGroup { group in
            for loop in loops {
                group.addTask { await loop.run() }
            }
            let first = loops[0]
            let listenFD = self.listenFD
            first.execute {
                let listener = Listener(fd: listenFD, server: self, loop: first)
                do {
                    try first.register(listenFD, events: EPOLLIN.rawValue, handler: listener)
                } catch {
                    close(listenFD)
                }
                self.listener.withLock { $0 = LoopBound(listener, loop: first) }
            }
            await withTaskCancellationHandler {
                for await _ in shutdownRequests { break }
            } onCancel: {
                self.beginGracefulShutdown()
            }
            await drain()
            for loop in loops { loop.stop() }
        }
        state.withLock { $0 = .finished }
    }

    /// Starts a graceful shutdown; callable from any thread, any number of times.
    public func beginGracefulShutdown() {
        shutdownContinuation.yield()
        shutdownContinuation.finish()
    }

    private func drain() async {
        state.withLock { $0 = .stopping }
        if let listener = listener.withLock({ $0 }) {
            listener.withValue { $0.closeNow() }
        }
        for loop in loops {
            loop.execute {
                for handler in loop.registeredHandlers { handler.beginGracefulShutdown() }
            }
        }
        let deadline = ContinuousClock.now + configuration.shutdownGracePeriod
        while openConnections.load(ordering: .relaxed) > 0 && ContinuousClock.now < deadline {
            await loops[0].sleep(for: .milliseconds(5))
        }
        for loop in loops {
            loop.execute {
                for handler in loop.registeredHandlers { handler.closeNow() }
            }
        }
        // Cancelled handlers finish on the loops, which must keep running until they have; one that ignores
        // cancellation is abandoned after a second, so shutdown always completes.
        let taskDeadline = ContinuousClock.now + .seconds(1)
        while tasks.running > 0 && ContinuousClock.now < taskDeadline {
            await loops[0].sleep(for: .milliseconds(5))
        }
    }

    /// Called by the listener for each accepted descriptor (already non-blocking), on the listener's loop.
    /// - Parameter peer: The peer address counted against the per-peer limit, released when the connection closes.
    func accepted(_ fd: Int32, loopIndex: Int, peer: String?) {
        openConnections.add(1, ordering: .relaxed)
        acceptedConnections.add(1, ordering: .relaxed)
        let loop = loops[loopIndex % loops.count]
        let router = self.router
        let configuration = self.configuration
        loop.executeOrRun {
            let connection = ServerSocketConnection(
                fd: fd, loop: loop, router: router, configuration: configuration, server: self, tasks: self.tasks,
                peer: peer)
            do {
                try loop.register(fd, events: EPOLLIN.rawValue, handler: connection)
            } catch {
                connection.closeNow()
            }
        }
    }

    /// Called by a connection once its descriptor is closed, on its loop.
    /// - Parameters:
    ///   - reason: Why the server closed it, or `nil` when the peer did.
    ///   - peer: The peer's address, read before the descriptor was closed.
    ///   - countedPeer: The address counted against the per-peer limit, if any.
    func connectionClosed(reason: DisconnectReason?, peer: @autoclosure () -> String, countedPeer: String?) {
        openConnections.subtract(1, ordering: .relaxed)
        if let countedPeer {
            peerConnections.withLock { counts in
                let remaining = (counts[countedPeer] ?? 1) - 1
                counts[countedPeer] = remaining > 0 ? remaining : nil
            }
        }
        if let reason { countDisconnect(reason, peer: peer()) }
        if let listener = listener.withLock({ $0 }) {
            listener.withValue { $0.resumeAccepting() }
        }
    }

    /// Connections refused over ``ServerConfiguration/maximumConnections`` since start (each got GOAWAY).
    public var refusedConnectionCount: Int { Int(statistics.disconnects[.connectionLimit] ?? 0) }

    /// Called by the listener for each connection it refused at a limit.
    func refusedConnection(_ reason: DisconnectReason, peer: String) {
        acceptedConnections.add(1, ordering: .relaxed)
        countDisconnect(reason, peer: peer)
    }

    /// Counts one more connection from `peer` if it is under the per-peer limit.
    func admitPeer(_ peer: String) -> Bool {
        guard let limit = configuration.maximumConnectionsPerPeer else { return true }
        return peerConnections.withLock { counts in
            let open = counts[peer] ?? 0
            guard open < limit else { return false }
            counts[peer] = open + 1
            return true
        }
    }

    private func countDisconnect(_ reason: DisconnectReason, peer: String) {
        disconnects.withLock { $0[reason, default: 0] += 1 }
        // Shutdown closes every connection by design; the rest are worth a (throttled) line.
        guard reason != .shutdown, let log, let suppressed = logThrottle.admit(reason.rawValue) else { return }
        log.log(
            .warning, "connection closed",
            [
                ("reason", .string(reason.rawValue)), ("peer", .string(peer)),
                ("address", .string(address.description)), ("suppressed", .uint(suppressed)),
            ])
    }

    /// The server's connection counters since start.
    public var statistics: ConnectionStatistics {
        ConnectionStatistics(
            accepted: acceptedConnections.load(ordering: .relaxed), open: connectionCount,
            disconnects: disconnects.withLock { $0 })
    }

    /// Whether the listener may accept one more connection.
    var hasConnectionPermit: Bool {
        openConnections.load(ordering: .relaxed) < configuration.maximumConnections
    }
}
