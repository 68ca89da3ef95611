public import SentinelWire

/// The limits and timeouts of an RPC server, shared by every transport.
///
/// ```swift
/// var configuration = ServerConfiguration()
/// configuration.maximumInFlightPerConnection = 64
/// configuration.authToken = AuthToken("s3cret")
/// ```
public struct ServerConfiguration: Sendable, Equatable {
    /// Frame size limits (default: 4 MiB payloads). A larger declared frame gets RESOURCE_EXHAUSTED, then the
    /// connection closes.
    public var limits = FrameLimits()
    /// Async requests running at once on one connection; one more gets RESOURCE_EXHAUSTED at once.
    public var maximumInFlightPerConnection = 256
    /// Open connections. One more is accepted, answered GOAWAY RESOURCE_EXHAUSTED (`connection limit of N
    /// reached`) and closed at once, so a client learns why instead of waiting in the listen backlog.
    public var maximumConnections = 1024
    /// Open connections from one peer address (its IP, any port); one more is refused like one over
    /// ``maximumConnections``. `nil` (the default) sets no per-peer limit: behind a proxy every client shares its
    /// address.
    public var maximumConnectionsPerPeer: Int?
    /// A connection must complete its first frame within this time (HELLO, or a request when no token is
    /// configured), else it gets GOAWAY DEADLINE_EXCEEDED and is closed: a silent peer cannot hold a connection
    /// slot for the idle timeout.
    public var handshakeTimeout: Duration = .seconds(10)
    /// A connection with nothing in flight and no bytes received for this long gets GOAWAY and is closed.
    public var idleTimeout: Duration = .seconds(300)
    /// A frame whose first byte has arrived must be complete within this time, else the connection is closed
    /// (a byte-at-a-time peer cannot hold it open).
    public var frameReadTimeout: Duration = .seconds(10)
    /// On graceful shutdown, how long in-flight requests may run before they are cancelled.
    public var shutdownGracePeriod: Duration = .seconds(10)
    /// When set, each connection must start with a HELLO frame carrying this token.
    public var authToken: AuthToken?
    /// How long an event loop keeps polling for more traffic after handling some before it blocks (adaptive busy
    /// polling); `.zero` (the default) blocks at once. Trades some CPU while traffic flows for the wake-up latency
    /// of a sleeping thread; an idle server still blocks. Transports without blocking waits ignore it.
    public var busyPoll: Duration = .zero

    /// Creates the default configuration.
    public init() {}
}
