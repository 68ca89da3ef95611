public import SentinelWire

/// The failure of one call: a wire ``StatusCode`` and a message, as the peer sees it.
///
/// Handlers throw it to choose the status of their response; any other error a handler throws reaches the
/// client as ``StatusCode/internal`` with a generic message, so server internals never leak.
///
/// ```swift
/// throw RPCError(.invalidArgument, "amount must be finite")
/// ```
public struct RPCError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The status sent on the wire.
    public var code: StatusCode
    /// A one-line explanation, sent as the response payload.
    public var message: String

    /// Creates an error.
    /// - Parameters:
    ///   - code: The status; not ``StatusCode/ok``.
    ///   - message: A one-line explanation.
    public init(_ code: StatusCode, _ message: String) {
        self.code = code
        self.message = message
    }

    /// `NAME: message`, such as `UNAVAILABLE: server is shutting down`.
    public var description: String { message.isEmpty ? code.name : "\(code.name): \(message)" }

    /// Maps any error thrown by a handler to what the client is told: ``RPCError`` as is, an
    /// ``RPCErrorConvertible`` with its own status, cancellation as CANCELLED, anything else as INTERNAL.
    static func fromHandler(_ error: any Error) -> RPCError {
        let chosen = (error as? RPCError) ?? (error as? any RPCErrorConvertible)?.rpcError
        if let chosen {
            // OK would tell the client the message text is a reply.
            return chosen.code == .ok ? RPCError(.unknown, chosen.message) : chosen
        }
        if error is CancellationError { return RPCError(.cancelled, "the request was cancelled") }
        return RPCError(.internal, "internal error")
    }
}
