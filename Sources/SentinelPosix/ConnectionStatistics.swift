public import SentinelRPC

/// A server's connection counters since it started (``TCPServer/statistics``).
public struct ConnectionStatistics: Sendable, Equatable {
    /// Connections accepted, refused ones included.
    public var accepted: UInt64
    /// Connections open now.
    public var open: Int
    /// Connections the server closed, by reason (a peer closing its own connection is not counted).
    public var disconnects: [DisconnectReason: UInt64]

    /// Creates counters.
    public init(accepted: UInt64 = 0, open: Int = 0, disconnects: [DisconnectReason: UInt64] = [:]) {
        self.accepted = accepted
        self.open = open
        self.disconnects = disconnects
    }
}
