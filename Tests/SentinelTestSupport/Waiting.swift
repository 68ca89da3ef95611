import Foundation

/// Runs a blocking call on a thread of its own, so it never occupies one of the cooperative pool's few threads
/// (the servers' and clients' tasks under test need them).
public func offPool<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        Thread.detachNewThread { continuation.resume(returning: body()) }
    }
}

/// Polls `condition` every 5 ms until it holds or `limit` passes; returns its last value.
public func eventually(within limit: Duration = .seconds(10), _ condition: () -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + limit
    while ContinuousClock.now < deadline {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(5))
    }
    return condition()
}
