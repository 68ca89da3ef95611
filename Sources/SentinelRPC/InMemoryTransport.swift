public import SentinelWire

/// A client and a server joined in memory: the whole RPC core (framing, multiplexing, deadlines, GOAWAY,
/// authentication) without sockets.
///
/// The server side runs a ``ServerConnection`` on one ``InMemoryEventLoop`` and the client a ``ClientConnection``
/// on another; bytes travel between them in chunks of `chunkSize` (1 exercises byte-at-a-time delivery).
///
/// ```swift
/// let transport = InMemoryTransport(router: router)
/// let reply = try await transport.call(.healthCheck, payload: [], timeout: nil)
/// ```
public final class InMemoryTransport: ClientTransport {
    /// The server's loop.
    public let serverLoop: InMemoryEventLoop
    /// The client's loop.
    public let clientLoop: InMemoryEventLoop
    private let server: LoopBound<ServerConnection>
    private let client: LoopBound<ClientConnection>
    private let chunkSize: Int

    /// Connects a client to a server serving `router`.
    /// - Parameters:
    ///   - router: The server's methods.
    ///   - configuration: The server's limits, timeouts and token.
    ///   - clientToken: The token the client presents, if any.
    ///   - chunkSize: The largest piece in which bytes are delivered (default: whole writes).
    ///   - manualClock: Whether both loops' time moves only with ``advance(by:)``.
    public init(
        router: Router,
        configuration: ServerConfiguration = ServerConfiguration(),
        clientToken: AuthToken? = nil,
        chunkSize: Int = Int.max,
        manualClock: Bool = false
    ) {
        precondition(chunkSize > 0, "chunkSize must be positive")
        serverLoop = InMemoryEventLoop(name: "server", manualClock: manualClock)
        clientLoop = InMemoryEventLoop(name: "client", manualClock: manualClock)
        self.chunkSize = chunkSize
        let serverLoop = self.serverLoop
        let clientLoop = self.clientLoop
        server = serverLoop.sync {
            LoopBound(
                ServerConnection(router: router, configuration: configuration, loop: serverLoop), loop: serverLoop)
        }
        client = clientLoop.sync {
            LoopBound(
                ClientConnection(loop: clientLoop, limits: configuration.limits, token: clientToken, peer: "memory"),
                loop: clientLoop)
        }
        let server = self.server
        let client = self.client
        let chunk = chunkSize
        serverLoop.sync {
            server.value.onOutput = { Self.flushServer(server, to: client, chunkSize: chunk) }
        }
        clientLoop.sync {
            client.value.onOutput = { Self.flushClient(client, to: server, chunkSize: chunk) }
            Self.flushClient(client, to: server, chunkSize: chunk)  // the HELLO, if any
        }
    }

    /// Moves both loops' manual clocks forward, server first, running every timer that falls due.
    /// - Parameter duration: How far to move the clocks.
    public func advance(by duration: Duration) {
        serverLoop.advance(by: duration)
        clientLoop.advance(by: duration)
    }

    /// Calls a method and waits for its reply (see ``ClientTransport/call(_:payload:timeout:)``).
    public func call(_ method: MethodID, payload: [UInt8], timeout: Duration?) async throws(RPCError) -> [UInt8] {
        let handle = CallHandle()
        let client = self.client
        let server = self.server
        let chunk = chunkSize
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Result<[UInt8], RPCError>, Never>) in
                client.withValue { connection in
                    if handle.isCancelled {
                        continuation.resume(returning: .failure(RPCError(.cancelled, "the call was cancelled")))
                        return
                    }
                    let id = connection.startCall(method, payload: payload, timeout: timeout) { result in
                        handle.finished()
                        continuation.resume(returning: result)
                    }
                    if let id { handle.started(id, on: client) }
                    Self.flushClient(client, to: server, chunkSize: chunk)
                }
            }
        } onCancel: {
            handle.cancel()
        }
        return try result.get()
    }

    /// Sends raw bytes to the server as if the client had written them (for protocol-violation tests).
    public func sendRaw(_ bytes: [UInt8]) {
        let server = self.server
        let client = self.client
        let chunk = chunkSize
        serverLoop.execute {
            Self.deliver(bytes, chunkSize: chunk) { piece in piece.withUnsafeBytes { server.value.receive($0) } }
            Self.flushServer(server, to: client, chunkSize: chunk)
        }
    }

    /// Starts the server's graceful shutdown (GOAWAY).
    public func beginServerShutdown() {
        server.withValue { $0.beginGracefulShutdown() }
    }

    /// Sends a PING and waits for the PONG.
    /// - Throws: ``RPCError`` when the connection closed first.
    public func ping() async throws(RPCError) {
        let client = self.client
        let server = self.server
        let chunk = chunkSize
        let error = await withCheckedContinuation { (continuation: CheckedContinuation<RPCError?, Never>) in
            client.withValue { connection in
                connection.ping { continuation.resume(returning: $0) }
                Self.flushClient(client, to: server, chunkSize: chunk)
            }
        }
        if let error { throw error }
    }

    /// The number of async requests the server is running.
    public var serverInFlightCount: Int { serverLoop.sync { server.value.inFlightCount } }
    /// Whether the server side has closed the connection.
    public var serverClosed: Bool { serverLoop.sync { server.value.wantsClose } }

    private static func flushServer(
        _ server: LoopBound<ServerConnection>, to client: LoopBound<ClientConnection>, chunkSize: Int
    ) {
        let connection = server.value
        let bytes = connection.outbound
        connection.consumeOutbound(bytes.count)
        let closing = connection.wantsClose
        guard !bytes.isEmpty || closing else { return }
        client.loop.execute {
            let receiver = client.value
            deliver(bytes, chunkSize: chunkSize) { piece in piece.withUnsafeBytes { receiver.receive($0) } }
            if closing { receiver.closed() }
            flushClient(client, to: server, chunkSize: chunkSize)
        }
    }

    private static func flushClient(
        _ client: LoopBound<ClientConnection>, to server: LoopBound<ServerConnection>, chunkSize: Int
    ) {
        let connection = client.value
        let bytes = connection.outbound
        connection.consumeOutbound(bytes.count)
        guard !bytes.isEmpty else { return }
        server.loop.execute {
            let receiver = server.value
            deliver(bytes, chunkSize: chunkSize) { piece in piece.withUnsafeBytes { receiver.receive($0) } }
            flushServer(server, to: client, chunkSize: chunkSize)
        }
    }

    private static func deliver(_ bytes: [UInt8], chunkSize: Int, _ body: (ArraySlice<UInt8>) -> Void) {
        var offset = 0
        while offset < bytes.count {
            let end = offset + min(chunkSize, bytes.count - offset)
            body(bytes[offset..<end])
            offset = end
        }
    }
}
