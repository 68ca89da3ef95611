public import SentinelWire

/// Something that carries unary calls to a server: the TCP client in SentinelPosix, or ``InMemoryTransport``.
///
/// Services and the CLI program against this protocol, so their tests can swap the network for memory.
///
/// ```swift
/// let reply = try await transport.call(.healthCheck, payload: [], timeout: .seconds(2))
/// ```
public protocol ClientTransport: Sendable {
    /// Calls a method and waits for its reply.
    /// - Parameters:
    ///   - method: The method.
    ///   - payload: The request bytes (a packed protobuf message).
    ///   - timeout: The deadline relative to now, sent to the server and enforced locally; `nil` for none.
    /// - Returns: The reply payload.
    /// - Throws: ``RPCError`` with the server's status, DEADLINE_EXCEEDED, CANCELLED when the task is cancelled, or
    ///   UNAVAILABLE when the server cannot be reached.
    func call(_ method: MethodID, payload: [UInt8], timeout: Duration?) async throws(RPCError) -> [UInt8]
}
