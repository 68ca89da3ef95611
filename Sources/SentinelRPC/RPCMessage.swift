/// A message a typed handler takes or returns: a value that decodes from and encodes to a request or response
/// payload.
///
/// The router decodes requests and encodes responses through this protocol, so handlers deal in values only. The
/// schema's message types conform (through `WireMessage`).
public protocol RPCMessage: Sendable {
    /// The fully qualified message name (e.g. `sentinel.v1.ScoreRequest`), for error messages.
    static var protoName: String { get }

    /// Decodes a message from a payload.
    /// - Parameter bytes: The payload; valid only during the call.
    /// - Throws: Any error when the bytes are not a valid encoding of this message.
    init(serializedBytes bytes: UnsafeRawBufferPointer) throws

    /// Appends the message's encoding to `buffer`.
    /// - Parameter buffer: The buffer to append to; its existing contents are kept.
    func serialize(into buffer: inout [UInt8])
}

/// An error that knows the status a client should get for it.
///
/// A handler may throw any error; the server answers ``RPCError`` as is, an `RPCErrorConvertible` with its
/// ``rpcError``, cancellation as CANCELLED, and anything else as INTERNAL without its text.
///
/// ```swift
/// extension ScoringError: RPCErrorConvertible {
///     public var rpcError: RPCError { RPCError(statusCode, message) }
/// }
/// ```
public protocol RPCErrorConvertible: Error {
    /// The status and message the client gets.
    var rpcError: RPCError { get }
}
