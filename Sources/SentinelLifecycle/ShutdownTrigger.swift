import SentinelLock
import Synchronization

/// A one-way switch that a service's ``Service/run()`` waits on and ``Service/beginGracefulShutdown()`` flips.
///
/// Any number of tasks may wait; all of them resume when the switch is flipped. Flipping it twice does nothing.
///
/// ```swift
/// let shutdown = ShutdownTrigger()
/// Task { await shutdown.wait(); print("stopping") }
/// shutdown.trigger()
/// ```
public final class ShutdownTrigger: Sendable {
    private struct State {
        var triggered = false
        var nextWaiter: UInt64 = 0
        var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
    }

    private let state = Lock(State())

    /// Creates a switch that is not flipped.
    public init() {}

    /// Whether ``trigger()`` has been called.
    public var isTriggered: Bool { state.withLock { $0.triggered } }

    /// Flips the switch: every waiter resumes, and later waits return at once.
    public func trigger() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            guard !state.triggered else { return [] }
            state.triggered = true
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns once the switch is flipped or the calling task is cancelled.
    public func wait() async {
        let id = state.withLock { state -> UInt64 in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let resumeNow = state.withLock { state -> Bool in
                    if state.triggered || Task.isCancelled { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: id) }?.resume()
        }
    }

    /// Returns once the switch is flipped, `duration` has passed, or the calling task is cancelled.
    /// - Parameter duration: The longest wait.
    /// - Returns: Whether the switch is flipped.
    @discardableResult
    public func wait(atMost duration: Duration) async -> Bool {
        if isTriggered { return true }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.wait() }
            group.addTask { try? await Task.sleep(for: duration) }
            await group.next()
            group.cancelAll()
        }
        return isTriggered
    }
}
