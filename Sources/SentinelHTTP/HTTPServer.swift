import CSentinelPosix
import Glibc
public import SentinelLifecycle
import SentinelLock
public import SentinelPosix
import SentinelRPC
import Synchronization

/// A minimal, strict HTTP/1.1 server on SentinelPosix's event loop, for the dashboard and `/metrics`.
///
/// GET and HEAD on exact paths (``HTTPRouter``), keep-alive and pipelining (responses in request order),
/// Content-Length responses only, bounded request size, connections and pending output, a header-read timeout,
/// and graceful shutdown. Sockets live on one ``PosixEventLoop`` thread; synchronous handlers run there, async
/// handlers run as tasks preferring that loop as their executor, so nothing blocks Swift's cooperative pool.
///
/// ``init(host:port:router:configuration:)`` binds at once, so ``address`` holds the real port after binding port
/// 0. ``run()`` serves until ``beginGracefulShutdown()`` or cancellation: it stops accepting, closes idle
/// connections, lets responses in progress finish within the grace period, then closes the rest. It is a
/// ``Service``, run by the process's ``ServiceGroup``.
///
/// ```swift
/// var router = HTTPRouter()
/// router.register("/healthz") { _ in HTTPResponse(status: .ok, text: "ok") }
/// let server = try HTTPServer(host: "127.0.0.1", port: 0, router: router)
/// print("http on \(server.address)")
/// try await server.run()
/// ```
public final class HTTPServer: Service {
    /// The lifecycle: `idle` → `running` (``run()``) → `finished`.
    private enum State {
        case idle
        case running
        case finished
    }

    /// The address the server listens on, with the real port.
    public let address: SocketAddress
    let router: HTTPRouter
    let configuration: HTTPServerConfiguration
    let loop: PosixEventLoop
    private let listenFD: Int32
    private let state = Lock(State.idle)
    private let shutdownSignal = AsyncStream.makeStream(of: Void.self)
    private let openConnections = Atomic<Int>(0)
    private let runningTasks = Atomic<Int>(0)
    private let listener = Lock<LoopBound<HTTPListener>?>(nil)

    /// Binds and listens.
    /// - Parameters:
    ///   - host: The address or name to bind: `0.0.0.0` for every IPv4 interface, `::` for every interface of both
    ///     families, an IPv6 literal without brackets.
    ///   - port: The port; 0 picks a free one (read it from ``address``).
    ///   - router: The paths served.
    ///   - configuration: Limits, timeouts and bounds.
    /// - Throws: ``SystemError`` from `socket`, `bind`, `listen` or `epoll_create1`.
    public init(
        host: String, port: UInt16, router: HTTPRouter,
        configuration: HTTPServerConfiguration = HTTPServerConfiguration()
    ) throws(SystemError) {
        let (fd, realPort) = try Socket.makeListener(on: SocketAddress(host: host, port: port), backlog: 128)
        do {
            loop = try PosixEventLoop()
        } catch {
            close(fd)
            throw error
        }
        listenFD = fd
        address = SocketAddress(host: host, port: realPort)
        self.router = router
        self.configuration = configuration
    }

    /// The number of open connections (served and being rejected).
    public var connectionCount: Int { openConnections.load(ordering: .relaxed) }

    /// Serves until ``beginGracefulShutdown()`` or cancellation of the calling task, then shuts down gracefully;
    /// returns when the loop thread, every connection and every handler task have finished. Call once.
    public func run() async {
        let alreadyStarted = state.withLock { state -> Bool in
            guard state == .idle else { return true }
            state = .running
            return false
        }
        precondition(!alreadyStarted, "HTTPServer.run() called twice")
        let loop = self.loop
        await withDiscardingTaskGroup { group in
            group.addTask { await loop.run() }
            let listenFD = self.listenFD
            loop.execute {
                let listener = HTTPListener(fd: listenFD, server: self, loop: loop)
                do {
                    try loop.register(listenFD, events: EPOLLIN.rawValue, handler: listener)
                    self.listener.withLock { $0 = LoopBound(listener, loop: loop) }
                } catch {
                    close(listenFD)
                }
            }
            await withTaskCancellationHandler {
                for await _ in shutdownSignal.stream { break }
            } onCancel: {
                self.beginGracefulShutdown()
            }
            await drain()
            loop.stop()
        }
        state.withLock { $0 = .finished }
    }

    /// Starts a graceful shutdown; callable from any thread, any number of times.
    public func beginGracefulShutdown() {
        shutdownSignal.continuation.yield()
        shutdownSignal.continuation.finish()
    }

    private func drain() async {
        let loop = self.loop
        if let listener = listener.withLock({ $0 }) {
            listener.withValue { $0.closeNow() }
        }
        loop.execute {
            for handler in loop.registeredHandlers { handler.beginGracefulShutdown() }
        }
        let deadline = ContinuousClock.now + configuration.shutdownGracePeriod
        while openConnections.load(ordering: .relaxed) > 0 && ContinuousClock.now < deadline {
            await loop.sleep(for: .milliseconds(5))
        }
        loop.execute {
            for handler in loop.registeredHandlers { handler.closeNow() }
        }
        // Handler tasks finish on the loop, which must keep running until they have; one that never returns is
        // abandoned after a second, so shutdown always completes.
        let taskDeadline = ContinuousClock.now + .seconds(1)
        while runningTasks.load(ordering: .acquiring) > 0 && ContinuousClock.now < taskDeadline {
            await loop.sleep(for: .milliseconds(5))
        }
    }

    // MARK: Called on the loop

    /// Whether the listener may accept one more connection (served or answered 503).
    var hasAcceptPermit: Bool {
        openConnections.load(ordering: .relaxed)
            < configuration.maximumConnections + configuration.rejectedConnectionAllowance
    }

    /// Called by the listener for each accepted, non-blocking descriptor.
    func accepted(_ fd: Int32) {
        let open = openConnections.add(1, ordering: .relaxed).newValue
        let connection = HTTPConnection(
            fd: fd, server: self, rejecting: open > configuration.maximumConnections)
        do {
            try loop.register(fd, events: EPOLLIN.rawValue, handler: connection)
            connection.start()
        } catch {
            connection.closeNow()
        }
    }

    /// Called by a connection once its descriptor is closed.
    func connectionClosed() {
        openConnections.subtract(1, ordering: .relaxed)
        if let listener = listener.withLock({ $0 }) {
            listener.withValue { $0.resumeAccepting() }
        }
    }

    /// Counts an async handler task in or out, so shutdown can wait for it.
    func taskStarted() { runningTasks.add(1, ordering: .relaxed) }

    /// See ``taskStarted()``.
    func taskFinished() { runningTasks.subtract(1, ordering: .releasing) }
}
