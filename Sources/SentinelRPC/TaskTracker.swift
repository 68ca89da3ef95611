import Synchronization

/// Counts the async handler tasks a server has started and that have not returned yet, so that shutdown can wait
/// for them (they are unstructured tasks on the event loop's executor, cancelled when their connection closes).
///
/// ```swift
/// let tracker = TaskTracker()
/// let connection = ServerConnection(router: router, configuration: configuration, loop: loop, tracker: tracker)
/// while tracker.running > 0 { ... }
/// ```
public final class TaskTracker: Sendable {
    private let count = Atomic<Int>(0)

    /// Creates a tracker with no tasks.
    public init() {}

    /// The number of handler tasks still running.
    public var running: Int { count.load(ordering: .acquiring) }

    func begin() {
        count.add(1, ordering: .relaxed)
    }

    func end() {
        count.subtract(1, ordering: .releasing)
    }
}
