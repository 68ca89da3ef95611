/// An object that owns a file descriptor registered with a ``PosixEventLoop`` and reacts to its readiness.
///
/// Called only on the loop's thread. Public so other transports on the same loop (SentinelHTTP) can register
/// their own descriptors; the RPC server's listener and connections are handlers too.
public protocol PollHandler: AnyObject {
    /// Handles the epoll events reported for the descriptor (`EPOLLIN`, `EPOLLOUT`, `EPOLLHUP`, `EPOLLERR`).
    func handleEvents(_ events: UInt32)

    /// Writes pending output; called once per loop iteration for handlers marked with
    /// ``PosixEventLoop/markNeedsFlush(_:)``.
    func flush()

    /// Graceful shutdown has begun (servers send GOAWAY); default: nothing.
    func beginGracefulShutdown()

    /// The shutdown grace period is over, or the loop stops: close now.
    func closeNow()
}

extension PollHandler {
    /// Nothing to flush by default.
    public func flush() {}
    /// Nothing to announce by default.
    public func beginGracefulShutdown() {}
}
