import CSentinelPosix
import Glibc
import SentinelLock
public import SentinelRPC
import Synchronization

/// One epoll thread that owns sockets, timers and the tasks of async handlers (it is their `TaskExecutor`).
///
/// Each iteration: `epoll_wait` (timeout = the nearest timer), handle readiness, fire due timers, run submitted
/// work and task jobs, then flush every connection marked dirty with one `send` each. Submissions from other
/// threads wake it through an eventfd, written only when its inbox goes from empty to non-empty.
///
/// Adaptive busy polling (``busyPoll`` > 0): after an iteration that handled readiness or submitted work, the loop
/// polls with `epoll_wait(…, 0)`, yielding the core between polls, until `busyPoll` passes with nothing to do; only
/// then does it block. A request that arrives inside that window is picked up without the wake-up of a sleeping
/// thread (tens of µs on a VM); an idle loop still blocks, so it costs no CPU.
///
/// ```swift
/// let loop = try PosixEventLoop()
/// try await loop.run()        // in a task group; returns after stop()
/// ```
///
/// `@unchecked Sendable` invariant: the properties marked "loop only" are touched only on the loop's thread
/// (after ``run()`` starts it); cross-thread communication goes through `inbox` (a `Lock`) and `threadID`
/// (an `Atomic`). epoll and eventfd calls are thread-safe.
public final class PosixEventLoop: EventLoop, @unchecked Sendable {
    private enum Work {
        case closure(@Sendable () -> Void)
        case job(UnownedJob)
    }

    private struct Inbox {
        var work: [Work] = []
        var stopping = false
        /// False while the loop busy-polls: it looks at the inbox before every poll, so no wake-up is needed.
        var loopMayBlock = true
    }

    private let epollFD: Int32
    private let wakeFD: Int32
    private let inbox = Lock(Inbox())
    private let threadID = Atomic<UInt>(0)
    private let iterations = Atomic<Int>(0)
    private let blockingWaits = Atomic<Int>(0)
    private let busyPollNanoseconds: Int64

    /// How long the loop keeps polling after its last activity before it blocks; `.zero` turns polling off.
    public let busyPoll: Duration

    // Loop only.
    private var handlers: [Int32: any PollHandler] = [:]
    private var timers = TimerHeap()
    private var timerWork: [UInt64: @Sendable () -> Void] = [:]
    private var nextTimerID: UInt64 = 0
    private var dirty: [any PollHandler] = []
    private var dirtyFDs: Set<Int32> = []

    /// Creates the epoll instance and its eventfd; the thread starts in ``run()``.
    /// - Parameter busyPoll: How long to keep polling after the last event before blocking (default `.zero`: block
    ///   at once, the right choice for clients and background loops). Negative durations count as zero.
    /// - Throws: ``SystemError`` from `epoll_create1` or `eventfd`.
    public init(busyPoll: Duration = .zero) throws(SystemError) {
        self.busyPoll = max(busyPoll, .zero)
        let (seconds, attoseconds) = self.busyPoll.components
        busyPollNanoseconds = seconds * 1_000_000_000 + attoseconds / 1_000_000_000
        epollFD = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard epollFD >= 0 else { throw SystemError(errno: errno, function: "epoll_create1") }
        wakeFD = eventfd(0, Int32(EFD_CLOEXEC | EFD_NONBLOCK))
        guard wakeFD >= 0 else {
            let error = SystemError(errno: errno, function: "eventfd")
            close(epollFD)
            throw error
        }
        var event = epoll_event()
        event.events = EPOLLIN.rawValue
        event.data.fd = wakeFD
        epoll_ctl(epollFD, EPOLL_CTL_ADD, wakeFD, &event)
    }

    deinit {
        close(wakeFD)
        close(epollFD)
    }

    /// Whether the caller runs on this loop's thread.
    public var inEventLoop: Bool {
        threadID.load(ordering: .relaxed) == UInt(pthread_self())
    }

    /// Runs the loop on a new thread until ``stop()``; returns when the thread has exited, after closing every
    /// descriptor still registered.
    public func run() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            LoopThread.start {
                self.threadID.store(UInt(pthread_self()), ordering: .relaxed)
                self.loop()
                self.threadID.store(0, ordering: .relaxed)
                continuation.resume()
            }
        }
    }

    /// Asks the loop to stop after the work already submitted. Callable from any thread.
    public func stop() {
        inbox.withLock { $0.stopping = true }
        wake()
    }

    /// Runs `work` on the loop soon, in submission order; callable from any thread.
    public func execute(_ work: @escaping @Sendable () -> Void) {
        submit(.closure(work))
    }

    /// Runs a task job on the loop (the `TaskExecutor` requirement): async handlers run here.
    public func enqueue(_ job: consuming ExecutorJob) {
        submit(.job(UnownedJob(job)))
    }

    /// Runs `work` on the loop at or after `deadline` unless cancelled; call only on the loop.
    public func scheduleTimer(at deadline: ContinuousClock.Instant, _ work: @escaping @Sendable () -> Void) -> TimerID {
        precondition(inEventLoop, "scheduleTimer called off the loop")
        nextTimerID += 1
        timerWork[nextTimerID] = work
        timers.push(.init(deadline: deadline, id: nextTimerID))
        return TimerID(rawValue: nextTimerID)
    }

    /// Cancels a timer that has not fired; call only on the loop.
    public func cancelTimer(_ timer: TimerID) {
        precondition(inEventLoop, "cancelTimer called off the loop")
        timerWork[timer.rawValue] = nil
        // Cancelled entries stay in the heap until they surface; compact when they dominate.
        if timers.count > 1024 && timers.count > 4 * timerWork.count {
            timers.compact { timerWork[$0] != nil }
        }
    }

    // MARK: Registration (loop only)

    /// Registers a descriptor for the given epoll events. Loop only.
    /// - Throws: ``SystemError`` from `epoll_ctl`.
    public func register(_ fd: Int32, events: UInt32, handler: any PollHandler) throws(SystemError) {
        var event = epoll_event()
        event.events = events
        event.data.fd = fd
        guard epoll_ctl(epollFD, EPOLL_CTL_ADD, fd, &event) == 0 else {
            throw SystemError(errno: errno, function: "epoll_ctl")
        }
        handlers[fd] = handler
    }

    /// Changes the events a descriptor is watched for. Loop only.
    public func modify(_ fd: Int32, events: UInt32) {
        var event = epoll_event()
        event.events = events
        event.data.fd = fd
        epoll_ctl(epollFD, EPOLL_CTL_MOD, fd, &event)
    }

    /// Removes a descriptor (before closing it). Loop only.
    public func deregister(_ fd: Int32) {
        epoll_ctl(epollFD, EPOLL_CTL_DEL, fd, nil)
        handlers[fd] = nil
    }

    /// Asks for `handler.flush()` at the end of this iteration. Loop only.
    public func markNeedsFlush(_ fd: Int32) {
        guard let handler = handlers[fd], dirtyFDs.insert(fd).inserted else { return }
        dirty.append(handler)
    }

    /// Every registered handler. Loop only.
    public var registeredHandlers: [any PollHandler] { Array(handlers.values) }

    /// Loop iterations (one `epoll_wait` each) so far; readable from any thread. An idle loop does not iterate.
    public var iterationCount: Int { iterations.load(ordering: .relaxed) }

    /// `epoll_wait` calls that were allowed to block (nonzero timeout) so far; readable from any thread. With busy
    /// polling, a loop under steady traffic blocks far less often than it iterates.
    public var blockingWaitCount: Int { blockingWaits.load(ordering: .relaxed) }

    // MARK: The loop

    private func submit(_ work: Work) {
        let needsWake = inbox.withLock { inbox in
            inbox.work.append(work)
            return inbox.work.count == 1 && inbox.loopMayBlock
        }
        // The loop drains its inbox before it sleeps, so only the first submission from elsewhere must wake it, and
        // none while it is busy-polling (it sets `loopMayBlock` under the same lock before it may block again).
        if needsWake && !inEventLoop { wake() }
    }

    private func wake() {
        var one: UInt64 = 1
        _ = write(wakeFD, &one, 8)
    }

    private func loop() {
        var events = [epoll_event](repeating: epoll_event(), count: 256)
        // While `now < pollUntil` the loop polls instead of blocking (busy polling); 0: not polling.
        var pollUntil: Int64 = 0
        var iterationCount = 0
        var blockingWaitCount = 0
        while true {
            let polling = pollUntil != 0 && Self.monotonicNanoseconds() < pollUntil
            if !polling { pollUntil = 0 }
            let (pending, stopping) = inbox.withLock { inbox in
                inbox.loopMayBlock = !polling
                return (!inbox.work.isEmpty, inbox.stopping)
            }
            if stopping && !pending { break }
            var timeout = pending ? 0 : timeoutUntilNextTimer()
            if timeout != 0 && polling {
                // Let other runnable threads on this core (the handlers' clients, the monitor) have it.
                sched_yield()
                timeout = 0
            }
            if timeout != 0 {
                blockingWaitCount += 1
                blockingWaits.store(blockingWaitCount, ordering: .relaxed)
            }
            iterationCount += 1
            iterations.store(iterationCount, ordering: .relaxed)
            let count = events.withUnsafeMutableBufferPointer {
                epoll_wait(epollFD, $0.baseAddress, Int32($0.count), timeout)
            }
            if count < 0 && errno != EINTR {
                fatalError("epoll_wait failed: \(SystemError(errno: errno, function: ""))")
            }
            for index in 0..<Int(max(count, 0)) {
                let event = events[index]
                let fd = event.data.fd
                if fd == wakeFD {
                    var value: UInt64 = 0
                    _ = read(wakeFD, &value, 8)
                } else if let handler = handlers[fd] {
                    handler.handleEvents(event.events)
                }
            }
            runDueTimers()
            let ranWork = runInbox()
            flushDirty()
            if busyPollNanoseconds > 0 && (count > 0 || ranWork) {
                pollUntil = Self.monotonicNanoseconds() &+ busyPollNanoseconds
            }
        }
        for handler in Array(handlers.values) { handler.closeNow() }
        runInbox()
    }

    /// `CLOCK_MONOTONIC` in nanoseconds (a vDSO call, no syscall), for the busy-poll window.
    private static func monotonicNanoseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Int64(now.tv_sec) &* 1_000_000_000 &+ Int64(now.tv_nsec)
    }

    private func timeoutUntilNextTimer() -> Int32 {
        guard let first = timers.first else { return -1 }
        let remaining = ContinuousClock.now.duration(to: first.deadline)
        if remaining <= .zero { return 0 }
        let (seconds, attoseconds) = remaining.components
        let milliseconds = seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int32(clamping: milliseconds)
    }

    private func runDueTimers() {
        guard !timers.isEmpty else { return }
        let now = ContinuousClock.now
        while let first = timers.first, first.deadline <= now {
            _ = timers.popFirst()
            if let work = timerWork.removeValue(forKey: first.id) { work() }
        }
    }

    /// Runs submitted work; returns whether there was any.
    @discardableResult
    private func runInbox() -> Bool {
        // Bounded rounds, so work that keeps submitting more cannot starve I/O.
        var ranAny = false
        for _ in 0..<16 {
            let batch = inbox.withLock { inbox -> [Work] in
                let work = inbox.work
                inbox.work.removeAll(keepingCapacity: true)
                return work
            }
            if batch.isEmpty { return ranAny }
            ranAny = true
            for item in batch {
                switch item {
                case .closure(let work): work()
                case .job(let job): job.runSynchronously(on: asUnownedTaskExecutor())
                }
            }
        }
        return ranAny
    }

    private func flushDirty() {
        while !dirty.isEmpty {
            let batch = dirty
            dirty.removeAll(keepingCapacity: true)
            dirtyFDs.removeAll(keepingCapacity: true)
            for handler in batch { handler.flush() }
        }
    }
}
