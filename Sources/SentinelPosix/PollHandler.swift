/// An object that owns a file descriptor registered with a ``PosixEventLoop`` and reacts to its readiness.
///
/// Called only on the loop's thread.
protocol PollHandler: AnyObject {
    /// Handles the epoll events reported for the descriptor (`EPOLLIN`, `EPOLLOUT`, `EPOLLHUP`, `EPOLLERR`).
    func handleEvents(_ events: UInt32)

    /// Writes pending output; called once per loop iteration for handlers marked with
    /// ``PosixEventLoop/markNeedsFlush(_:)``.
    func flush()

    /// Graceful shutdown has begun (servers send GOAWAY); default: nothing.
    func beginShutdown()

    /// The shutdown grace period is over, or the loop stops: close now.
    func closeNow()
}

extension PollHandler {
    func flush() {}
    func beginShutdown() {}
}
