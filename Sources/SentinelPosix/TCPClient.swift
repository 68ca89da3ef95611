import Glibc
public import SentinelRPC
public import SentinelWire

/// The RPC client on TCP: one connection to one server, multiplexing any number of concurrent calls.
///
/// Socket I/O runs on the client's event loop thread (its own, or one shared with other clients, see
/// ``init(address:configuration:loop:)``), which resumes the callers' continuations, so no call
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
    private let ownsLoop: Bool

    /// Creates a client; nothing connects until the first call, and nothing runs until ``run()``.
    /// - Parameters:
    ///   - address: The server.
    ///   - configuration: Token, limits, timeouts and backoff.
    /// - Throws: ``SystemError`` when the event loop cannot be created.
    public init(address: SocketAddress, configuration: Configuration = Configuration()) throws(SystemError) {
        self.address = address
        loop = try PosixEventLoop()
        session = LoopBound(ClientSession(address: address, configuration: configuration, loop: loop), loop: loop)
        ownsLoop = true
    }

    /// Creates a client on an event loop shared with other clients, so that many connections cost one thread.
    ///
    /// The caller owns `loop`: it runs it and shuts it down; such a client is never ``run()``, and its
    /// ``close()`` closes only its own connection. Used by load generators, where a thread per connection
    /// would thrash the CPUs.
    /// - Parameters:
    ///   - address: The server.
    ///   - configuration: Token, limits, timeouts and backoff.
    ///   - loop: The shared loop, run by the caller.
    public init(address: SocketAddress, configuration: Configuration = Configuration(), loop: PosixEventLoop) {
        self.address = address
        self.loop = loop
        session = LoopBound(ClientSession(address: address, configuration: configuration, loop: loop), loop: loop)
        ownsLoop = false
    }

    /// Runs the client's event loop until ``close()``; pending calls then fail with UNAVAILABLE.
    ///
    /// Only for a client with its own loop; a client on a shared loop runs when its loop does.
    public func run() async {
        precondition(ownsLoop, "TCPClient.run() on a client whose loop is shared; run the loop instead")
        await loop.run()
    }

    /// Closes the connection and, when the client owns its loop, stops ``run()``. Callable from any thread.
    public func close() {
        let session = self.session
        loop.execute { session.value.close() }
        if ownsLoop { loop.stop() }
    }

    /// Starts a call from the client's loop thread, without a task: the completion runs on the loop.
    ///
    /// The cheapest way to issue many calls (a closed-loop load generator re-issues from the completion); it
    /// must be called on the client's loop.
    /// - Parameters:
    ///   - method: The method.
    ///   - payload: The request bytes.
    ///   - timeout: The relative deadline; `nil` for none.
    ///   - completion: Called exactly once, on the loop, with the reply payload or the error.
    public func startCall(
        _ method: MethodID,
        payload: [UInt8],
        timeout: Duration?,
        completion: @escaping ClientConnection.Completion
    ) {
        session.value.withConnection { connection in
            switch connection {
            case .failure(let error):
                completion(.failure(error))
            case .success(let core):
                core.startCall(method, payload: payload, timeout: timeout, completion: completion)
                core.onOutput?()
            }
        }
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
                client.close()
                try await group.waitForAll()
                return result
            } catch {
                client.close()
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
