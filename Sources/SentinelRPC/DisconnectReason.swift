/// Why a server closed a connection, for the disconnect counters and logs (`reason` label of
/// `sentinel_rpc_disconnects_total`). A peer closing its own connection has no reason.
public enum DisconnectReason: String, Sendable, Hashable, CaseIterable {
    /// Over the connection limit: GOAWAY RESOURCE_EXHAUSTED at accept.
    case connectionLimit = "connection_limit"
    /// Over the per-peer connection limit: GOAWAY RESOURCE_EXHAUSTED at accept.
    case peerLimit = "peer_limit"
    /// No complete frame within the handshake timeout.
    case handshakeTimeout = "handshake_timeout"
    /// A frame started and not completed within the frame-read timeout (a client trickling bytes).
    case frameTimeout = "frame_timeout"
    /// Nothing happened within the idle timeout.
    case idleTimeout = "idle_timeout"
    /// A frame declared a payload over the limit.
    case frameTooLarge = "frame_too_large"
    /// Not the protocol: bad magic, an unsupported version, HTTP, a reserved or repeated request id.
    case protocolError = "protocol_error"
    /// A request before HELLO, or a wrong token.
    case unauthenticated
    /// Responses not read: output waited past the idle timeout, or past the linger time of a closing connection.
    case slowReader = "slow_reader"
    /// The server is shutting down.
    case shutdown
}
