import Foundation

/// Runs blocking work (file I/O, `fdatasync`) on a thread of its own, never on an event loop or the cooperative
/// pool, and returns its result.
/// - Parameters:
///   - name: The thread's name, as `top -H` and debuggers show it (at most 15 bytes survive on Linux).
///   - body: The work.
/// - Returns: What `body` returned or threw.
func onOwnThread<T: Sendable>(named name: String, _ body: @escaping @Sendable () throws -> T) async -> Result<
    T, any Error
> {
    await withCheckedContinuation { continuation in
        Thread.detachNewThread {
            Thread.current.name = name
            continuation.resume(returning: Result { try body() })
        }
    }
}

/// Wakes a thread that sleeps between rounds of work: ``wait(upTo:)`` returns after the duration, or as soon as
/// ``signal()`` is called (a signal while nobody waits makes the next wait return at once).
final class Wakeup: @unchecked Sendable {
    // @unchecked Sendable: `pending` is read and written only between `condition.lock()` and `unlock()`.
    private let condition = NSCondition()
    private var pending = false

    /// Wakes the waiting thread, or the next one to wait.
    func signal() {
        condition.lock()
        pending = true
        condition.signal()
        condition.unlock()
    }

    /// Sleeps up to `duration`, returning early on a signal.
    func wait(upTo duration: Duration) {
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
        let end = Date(timeIntervalSinceNow: seconds)
        condition.lock()
        while !pending, condition.wait(until: end) {}
        pending = false
        condition.unlock()
    }
}
