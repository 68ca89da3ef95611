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

    /// Maps any error thrown by a handler to what the client is told.
    static func fromHandler(_ error: any Error) -> RPCError {
        if let error = error as? RPCError {
            // OK would tell the client the message text is a reply.
            return error.code == .ok ? RPCError(.unknown, error.message) : error
        }
        if error is CancellationError { return RPCError(.cancelled, "the request was cancelled") }
        return RPCError(.internal, "internal error")
    }
}
