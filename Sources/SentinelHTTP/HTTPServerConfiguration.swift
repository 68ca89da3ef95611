/// Limits, timeouts and bounds of an ``HTTPServer``.
///
/// ```swift
/// var configuration = HTTPServerConfiguration()
/// configuration.maximumConnections = 32
/// ```
public struct HTTPServerConfiguration: Sendable, Hashable {
    /// Request size limits.
    public var limits = HTTPLimits()
    /// How long a connection may take to deliver a complete request head, counted from when the server starts
    /// waiting for it (accept, or the end of the previous response); it also bounds keep-alive idling. A partial
    /// head at expiry gets 408, an idle connection is closed silently.
    public var headerReadTimeout: Duration = .seconds(10)
    /// Connections served at once. Up to ``rejectedConnectionAllowance`` more are accepted only to answer 503;
    /// past that the listener stops accepting until a connection closes.
    public var maximumConnections = 256
    /// Connections accepted beyond ``maximumConnections`` to answer 503 instead of leaving them in the backlog.
    public var rejectedConnectionAllowance = 16
    /// Unsent response bytes at which a connection stops reading further (pipelined) requests.
    public var maximumPendingOutput = 4 << 20
    /// How long graceful shutdown waits for responses in progress before closing every connection.
    public var shutdownGracePeriod: Duration = .seconds(5)

    /// Creates the defaults: 10 s header-read timeout, 256 connections (+16 answered 503), 4 MiB pending output,
    /// 5 s grace.
    public init() {}
}
