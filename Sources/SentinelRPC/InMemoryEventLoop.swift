import Dispatch

/// An ``EventLoop`` on a serial dispatch queue, for running the RPC core without sockets in tests.
///
/// With `manualClock: true` time stands still until the test moves it with ``advance(by:)``, which runs every
/// timer that falls due, in deadline order, as swift-nio's embedded loop does: deadlines, frame-read and idle
/// timeouts are tested without sleeping.
///
/// ```swift
/// let loop = InMemoryEventLoop(name: "server", manualClock: true)
/// let count = loop.sync { connection.inFlightCount }
/// loop.advance(by: .seconds(300))  // the idle timeout fires now
/// ```
///
/// `@unchecked Sendable` invariant: `timers`, `manualTimers`, `manualNow` and `nextTimer` are touched only on
/// `queue` (``now`` reads `manualNow` from the loop or under ``sync(_:)``).
public final class InMemoryEventLoop: EventLoop, @unchecked Sendable {
    private let queue: DispatchQueue
    private let key = DispatchSpecificKey<ObjectIdentifier>()
    private var timers: [UInt64: DispatchWorkItem] = [:]
    private var nextTimer: UInt64 = 0
    private let manualClock: Bool
    private var manualNow: ContinuousClock.Instant
    private var manualTimers: [UInt64: (deadline: ContinuousClock.Instant, work: @Sendable () -> Void)] = [:]

    /// Creates a loop.
    /// - Parameters:
    ///   - name: The queue's label.
    ///   - manualClock: Whether time moves only with ``advance(by:)`` (default: the real clock).
    public init(name: String, manualClock: Bool = false) {
        queue = DispatchQueue(label: "sentinel.inmemory.\(name)")
        self.manualClock = manualClock
        manualNow = ContinuousClock.now
        queue.setSpecific(key: key, value: ObjectIdentifier(self))
    }

    /// The loop's time: the real clock, or the manual clock's current instant.
    public var now: ContinuousClock.Instant {
        guard manualClock else { return ContinuousClock.now }
        return inEventLoop ? manualNow : queue.sync { manualNow }
    }

    /// Moves the manual clock forward and runs, on the loop and in deadline order, every timer due by then
    /// (including timers those timers schedule within the interval). Must not be called on the loop.
    /// - Parameter duration: How far to move the clock.
    public func advance(by duration: Duration) {
        precondition(manualClock, "advance(by:) needs a loop created with manualClock: true")
        precondition(!inEventLoop, "advance(by:) called on the loop itself")
        queue.sync {
            let target = manualNow + duration
            while let (id, timer) = manualTimers.filter({ $0.value.deadline <= target })
                .min(by: { ($0.value.deadline, $0.key) < ($1.value.deadline, $1.key) })
            {
                manualTimers[id] = nil
                manualNow = max(manualNow, timer.deadline)
                timer.work()
            }
            manualNow = target
        }
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
        if manualClock {
            manualTimers[id] = (deadline, work)
            return TimerID(rawValue: id)
        }
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
        manualTimers[timer.rawValue] = nil
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
