/// A single thread that owns connections and runs their work: the contract between the RPC core and a transport.
///
/// Connection state machines (``ServerConnection``, ``ClientConnection``) are confined to one loop: every method
/// on them is called on that loop's thread. The loop is also a `TaskExecutor`, so async handlers started with it
/// as their executor preference run on the same thread. SentinelPosix implements it with epoll; SentinelRPC's
/// ``InMemoryEventLoop`` with a serial dispatch queue for tests.
public protocol EventLoop: TaskExecutor {
    /// Whether the caller is running on this loop's thread.
    var inEventLoop: Bool { get }

    /// Runs `work` on the loop soon, in submission order. Callable from any thread.
    func execute(_ work: @escaping @Sendable () -> Void)

    /// Runs `work` on the loop at or after `deadline`, unless cancelled first. Call only on the loop.
    /// - Returns: A handle for ``cancelTimer(_:)``.
    func scheduleTimer(at deadline: ContinuousClock.Instant, _ work: @escaping @Sendable () -> Void) -> TimerID

    /// Cancels a timer that has not fired; does nothing otherwise. Call only on the loop.
    func cancelTimer(_ timer: TimerID)

    /// The loop's clock: what deadlines and timeouts are measured against. A real loop reads `ContinuousClock`;
    /// ``InMemoryEventLoop`` with a manual clock returns the time its test has advanced to.
    var now: ContinuousClock.Instant { get }
}

/// A handle to a timer scheduled on an ``EventLoop``.
public struct TimerID: Hashable, Sendable {
    /// The loop's number for the timer.
    public var rawValue: UInt64

    /// Wraps a loop's timer number.
    public init(rawValue: UInt64) {
        self.rawValue = rawValue
    }
}

extension EventLoop {
    /// `ContinuousClock.now`.
    public var now: ContinuousClock.Instant { ContinuousClock.now }

    /// Runs `work` now when already on the loop, else submits it with ``execute(_:)``.
    public func executeOrRun(_ work: @escaping @Sendable () -> Void) {
        if inEventLoop {
            work()
        } else {
            execute(work)
        }
    }
}
