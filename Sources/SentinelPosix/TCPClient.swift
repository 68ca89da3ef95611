import Glibc
public import SentinelRPC
public import SentinelWire

/// The RPC client on TCP: one connection to one server, multiplexing any number of concurrent calls.
///
/// Socket I/O runs on the client's own event loop thread, which resumes the callers' continuations, so no call
/// blocks Swift's cooperative pool. The connection opens on the first call and reopens after it drops or the server
/// sends GOAWAY. After a failed connect, calls fail fast with UNAVAILABLE until a backoff (doubling from
/// `initialBackoff` to `maximumBackoff`) has passed, then the next call tries again.
///
/// ```swift
/// let reply = try await TCPClient.withClient(address: SocketAddress(host: "127.0.0.1", port: 8001)) { client in
///     try await client.call(.healthCheck, payload: [], timeout: .seconds(2))
/// }
/// ```
public final class TCPClient: ClientTransport {
    /// Connection settings.
    public struct Configuration: Sendable {
        /// The token sent in HELLO, when the server requires one.
        public var token: AuthToken?
        /// Limits on received frames.
        public var limits = FrameLimits()
        /// How long a connect may take.
        public var connectTimeout: Duration = .seconds(5)
        /// The wait after the first failed connect before the next attempt.
        public var initialBackoff: Duration = .milliseconds(100)
        /// The longest wait between attempts.
        public var maximumBackoff: Duration = .seconds(5)

        /// Creates the default settings.
        public init() {}
    }

    /// The server's address.
    public let address: SocketAddress
    private let loop: PosixEventLoop
    private let session: LoopBound<ClientSession>

    /// Creates a client; nothing connects until the first call, and nothing runs until ``run()``.
    /// - Parameters:
    ///   - address: The server.
    ///   - configuration: Token, limits, timeouts and backoff.
    /// - Throws: ``SystemError`` when the event loop cannot be created.
    public init(address: SocketAddress, configuration: Configuration = Configuration()) throws(SystemError) {
        self.address = address
        loop = try PosixEventLoop()
        session = LoopBound(ClientSession(address: address, configuration: configuration, loop: loop), loop: loop)
    }

    /// Runs the client's event loop until ``shutdown()``; pending calls then fail with UNAVAILABLE.
    public func run() async {
        await loop.run()
    }

    /// Closes the connection and stops ``run()``. Callable from any thread.
    public func shutdown() {
        let session = self.session
        loop.execute { session.value.close() }
        loop.shutdown()
    }

    /// Creates a client, runs it for the duration of `body`, then shuts it down.
    /// - Parameters:
    ///   - address: The server.
    ///   - configuration: Token, limits, timeouts and backoff.
    ///   - body: Uses the client.
    /// - Returns: What `body` returns.
    @discardableResult
    public static func withClient<Result: Sendable>(
        address: SocketAddress,
        configuration: Configuration = Configuration(),
        _ body: (TCPClient) async throws -> Result
    ) async throws -> Result {
        let client = try TCPClient(address: address, configuration: configuration)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            do {
                let result = try await body(client)
                client.shutdown()
                try await group.waitForAll()
                return result
            } catch {
                client.shutdown()
                try? await group.waitForAll()
                throw error
            }
        }
    }

    /// Calls a method and waits for its reply (see ``ClientTransport/call(_:payload:timeout:)``).
    public func call(_ method: MethodID, payload: [UInt8], timeout: Duration?) async throws(RPCError) -> [UInt8] {
        let handle = CallHandle()
        let session = self.session
        let loop = self.loop
        let deadline = timeout.map { ContinuousClock.now + $0 }
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Result<[UInt8], RPCError>, Never>) in
                loop.execute {
                    session.value.withConnection { connection in
                        let core: ClientConnection
                        switch connection {
                        case .failure(let error):
                            continuation.resume(returning: .failure(error))
                            return
                        case .success(let connection):
                            core = connection
                        }
                        if handle.isCancelled {
                            continuation.resume(returning: .failure(RPCError(.cancelled, "the call was cancelled")))
                            return
                        }
                        let remaining = deadline.map { ContinuousClock.now.duration(to: $0) }
                        if let remaining, remaining <= .zero {
                            continuation.resume(returning: .failure(RPCError(.deadlineExceeded, "deadline exceeded")))
                            return
                        }
                        let id = core.startCall(method, payload: payload, timeout: remaining) { result in
                            handle.finished()
                            continuation.resume(returning: result)
                        }
                        if let id { handle.started(id, on: LoopBound(core, loop: loop)) }
                        core.onOutput?()
                    }
                }
            }
        } onCancel: {
            handle.cancel()
        }
        return try result.get()
    }

    /// Sends a PING on the current connection (opening one if needed) and waits for the PONG.
    /// - Throws: ``RPCError`` with UNAVAILABLE when the server cannot be reached.
    public func ping() async throws(RPCError) {
        let session = self.session
        let loop = self.loop
        let result = await withCheckedContinuation { (continuation: CheckedContinuation<RPCError?, Never>) in
            loop.execute {
                session.value.withConnection { connection in
                    switch connection {
                    case .failure(let error):
                        continuation.resume(returning: error)
                    case .success(let core):
                        core.ping { continuation.resume(returning: $0) }
                        core.onOutput?()
                    }
                }
            }
        }
        if let result { throw result }
    }
}
