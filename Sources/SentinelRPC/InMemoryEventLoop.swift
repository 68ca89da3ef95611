import Dispatch

/// An ``EventLoop`` on a serial dispatch queue, for running the RPC core without sockets in tests.
///
/// ```swift
/// let loop = InMemoryEventLoop(name: "server")
/// let count = loop.sync { connection.inFlightCount }
/// ```
///
/// `@unchecked Sendable` invariant: `timers` and `nextTimer` are touched only on `queue`.
public final class InMemoryEventLoop: EventLoop, @unchecked Sendable {
    private let queue: DispatchQueue
    private let key = DispatchSpecificKey<ObjectIdentifier>()
    private var timers: [UInt64: DispatchWorkItem] = [:]
    private var nextTimer: UInt64 = 0

    /// Creates a loop.
    /// - Parameter name: The queue's label.
    public init(name: String) {
        queue = DispatchQueue(label: "sentinel.inmemory.\(name)")
        queue.setSpecific(key: key, value: ObjectIdentifier(self))
    }

    /// Whether the caller runs on this loop's thread.
    public var inEventLoop: Bool {
        DispatchQueue.getSpecific(key: key) == ObjectIdentifier(self)
    }

    /// Runs `work` on the loop soon, in submission order; callable from any thread.
    public func execute(_ work: @escaping @Sendable () -> Void) {
        queue.async(execute: work)
    }

    /// Runs `body` on the loop and waits for its result. Must not be called on the loop.
    public func sync<T>(_ body: () throws -> T) rethrows -> T {
        precondition(!inEventLoop, "sync called on the loop itself")
        return try queue.sync(execute: body)
    }

    /// Runs `work` on the loop at or after `deadline` unless cancelled; call only on the loop.
    public func scheduleTimer(at deadline: ContinuousClock.Instant, _ work: @escaping @Sendable () -> Void) -> TimerID {
        precondition(inEventLoop, "scheduleTimer called off the loop")
        nextTimer += 1
        let id = nextTimer
        let item = DispatchWorkItem { [unowned self] in
            self.timers[id] = nil
            work()
        }
        timers[id] = item
        let delay = ContinuousClock.now.duration(to: deadline)
        let (seconds, attoseconds) = delay.components
        let nanoseconds = max(0, seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
        queue.asyncAfter(deadline: .now() + .nanoseconds(Int(nanoseconds)), execute: item)
        return TimerID(rawValue: id)
    }

    /// Cancels a timer that has not fired; call only on the loop.
    public func cancelTimer(_ timer: TimerID) {
        precondition(inEventLoop, "cancelTimer called off the loop")
        timers.removeValue(forKey: timer.rawValue)?.cancel()
    }

    /// Runs a task job on the loop (the `TaskExecutor` requirement): async handlers run here.
    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.async {
            job.runSynchronously(on: self.asUnownedTaskExecutor())
        }
    }
}
