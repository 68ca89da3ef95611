import Dispatch
import Glibc
import SentinelLock
import SentinelPosix
import SentinelTestSupport
import Synchronization
import Testing

/// The event loop with adaptive busy polling on (and off, for comparison): timers, submitted work and shutdown
/// behave as without it, an idle loop blocks, and a loop under steady traffic stops blocking.
@Suite("Event loop busy polling", .timeLimit(.minutes(1)))
struct BusyPollTests {
    @Test(
        "timers fire in deadline order, never before their deadline; cancelled ones never fire",
        arguments: [Duration.zero, .microseconds(200), .milliseconds(5)])
    func timerOrder(busyPoll: Duration) async throws {
        let fired = Lock<[(index: Int, early: Bool)]>([])
        let cancelled = Set(stride(from: 3, to: 40, by: 7))
        try await withLoop(busyPoll: busyPoll) { loop in
            await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                let expected = 40 - cancelled.count
                loop.execute {
                    let start = ContinuousClock.now
                    // Scheduled out of deadline order (a fixed permutation of 0..<40 ms).
                    for step in 0..<40 {
                        let index = (step * 17) % 40
                        let deadline = start + .milliseconds(index)
                        let timer = loop.scheduleTimer(at: deadline) {
                            let count = fired.withLock { list in
                                list.append((index, ContinuousClock.now < deadline))
                                return list.count
                            }
                            if count == expected { done.resume() }
                        }
                        if cancelled.contains(index) { loop.cancelTimer(timer) }
                    }
                }
            }
        }
        let order = fired.withLock { $0 }
        #expect(order.map(\.index) == (0..<40).filter { !cancelled.contains($0) })
        #expect(order.allSatisfy { !$0.early })
    }

    @Test(
        "work submitted from other threads and task jobs all run on the loop, each thread's in order",
        arguments: [Duration.zero, .microseconds(200)])
    func submittedWork(busyPoll: Duration) async throws {
        let record = WorkRecord()
        try await withLoop(busyPoll: busyPoll) { loop in
            await withTaskGroup(of: Void.self) { group in
                for thread in 0..<4 {
                    group.addTask {
                        await offPool {
                            for sequence in 0..<2_000 {
                                loop.execute {
                                    record.append(sequence, thread: thread, onLoop: loop.inEventLoop)
                                }
                                if sequence % 250 == 0 { usleep(200) }  // let the loop drain and go back to polling
                            }
                        }
                    }
                }
            }
            // Closures already submitted run before one submitted after them.
            await onLoop(loop) {}
            let onLoopInTask = await Task(executorPreference: loop) { loop.inEventLoop }.value
            #expect(onLoopInTask)
        }
        #expect(record.offLoop == 0)
        #expect(record.sequences == Array(repeating: Array(0..<2_000), count: 4))
    }

    @Test("shutdown in the middle of a busy-poll window ends run()")
    func shutdownWhilePolling() async throws {
        let loop = try PosixEventLoop(busyPoll: .seconds(30))
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await loop.run() }
            await onLoop(loop) {}  // activity: the loop now polls for the next 30 s unless stopped
            let before = loop.iterationCount
            #expect(await eventually { loop.iterationCount > before + 10 })  // it really is polling
            loop.stop()
            await group.waitForAll()
        }
        #expect(!loop.inEventLoop)
    }

    @Test("an idle loop blocks: it does not iterate and uses no CPU", arguments: [Duration.zero, .milliseconds(1)])
    func idleLoopBlocks(busyPoll: Duration) async throws {
        try await withLoop(busyPoll: busyPoll) { loop in
            let cpuBefore = await onLoop(loop) { threadCPUNanoseconds() }
            try await Task.sleep(for: .milliseconds(50))  // the busy-poll window after that call closes
            let iterationsBefore = loop.iterationCount
            try await Task.sleep(for: .milliseconds(200))
            let iterationsIdle = loop.iterationCount - iterationsBefore
            let cpu = await onLoop(loop) { threadCPUNanoseconds() } - cpuBefore
            // A spinning loop would iterate thousands of times and use most of the 250 ms of CPU.
            #expect(iterationsIdle <= 2)
            #expect(cpu < 25_000_000, "loop thread used \(cpu / 1000) µs of CPU while idle")
        }
    }

    @Test("under steady ping-pong traffic a polling loop keeps polling instead of blocking")
    func steadyTrafficPolls() async throws {
        let rounds = 500
        try await withLoop(busyPoll: .milliseconds(100)) { loop in
            let blocked = await blockingWaits(loop, pingPongRounds: rounds)
            // Without polling each round trip ends in a blocking wait; with it, only a stall longer than the
            // window (100 ms) would.
            #expect(blocked < rounds / 10, "\(blocked) blocking waits in \(rounds) round trips")
        }
    }

    @Test("without busy polling, the same ping-pong traffic blocks between round trips")
    func steadyTrafficBlocksWithoutPolling() async throws {
        let rounds = 500
        try await withLoop(busyPoll: .zero) { loop in
            let blocked = await blockingWaits(loop, pingPongRounds: rounds)
            // The control for the test above: the counter does see blocking waits.
            #expect(blocked >= rounds / 10)
        }
    }
}

/// What the submitted closures saw: each thread's sequence numbers in run order, and runs off the loop.
private final class WorkRecord: Sendable {
    private let state = Lock((sequences: [[Int]](repeating: [], count: 4), offLoop: 0))

    func append(_ sequence: Int, thread: Int, onLoop: Bool) {
        state.withLock { state in
            state.sequences[thread].append(sequence)
            if !onLoop { state.offLoop += 1 }
        }
    }

    var sequences: [[Int]] { state.withLock { $0.sequences } }
    var offLoop: Int { state.withLock { $0.offLoop } }
}

/// Runs a loop with the given busy-poll window for the duration of `body`, then shuts it down and waits for it.
private func withLoop(busyPoll: Duration, _ body: (PosixEventLoop) async throws -> Void) async throws {
    let loop = try PosixEventLoop(busyPoll: busyPoll)
    #expect(loop.busyPoll == busyPoll)
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { await loop.run() }
        do {
            try await body(loop)
        } catch {
            loop.stop()
            throw error
        }
        loop.stop()
        try await group.waitForAll()
    }
}

/// The loop's blocking waits during `rounds` round trips from a thread off the pool: submit a closure, wait for it.
private func blockingWaits(_ loop: PosixEventLoop, pingPongRounds rounds: Int) async -> Int {
    await onLoop(loop) {}
    let before = loop.blockingWaitCount
    await offPool {
        let answered = DispatchSemaphore(value: 0)
        for _ in 0..<rounds {
            loop.execute { answered.signal() }
            answered.wait()
        }
    }
    return loop.blockingWaitCount - before
}

/// Runs `body` on the loop and returns its result.
private func onLoop<T: Sendable>(_ loop: PosixEventLoop, _ body: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        loop.execute { continuation.resume(returning: body()) }
    }
}

/// The calling thread's CPU time.
private func threadCPUNanoseconds() -> Int64 {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
}
