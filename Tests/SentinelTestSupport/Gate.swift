import SentinelLock
import Synchronization

/// A gate that async handlers in tests wait on until the test opens it; counts the waits and the cancellations
/// handlers record.
public final class Gate: Sendable {
    private struct State {
        var open = false
        var waiters: [CheckedContinuation<Void, Never>] = []
        var started = 0
        var cancelled = 0
    }

    private let state = Lock(State())

    /// Creates a closed gate.
    public init() {}

    /// Suspends until the gate is open (returns at once when it already is).
    public func wait() async {
        await withCheckedContinuation { continuation in
            let resumeNow = state.withLock { state -> Bool in
                state.started += 1
                if state.open { return true }
                state.waiters.append(continuation)
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }

    /// Opens the gate and resumes every waiter.
    public func open() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.open = true
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// How many waits began.
    public var started: Int { state.withLock { $0.started } }

    /// Records that a waiting handler saw its task cancelled.
    public func recordCancellation() { state.withLock { $0.cancelled += 1 } }

    /// How many cancellations were recorded.
    public var cancellations: Int { state.withLock { $0.cancelled } }
}
