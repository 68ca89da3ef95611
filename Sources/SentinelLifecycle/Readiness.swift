import Synchronization

/// Readiness as a ``Service``: ready once the group has started every service before it, not ready from the
/// moment shutdown begins. Put it last in a ``ServiceGroup`` (started last, stopped first), and let the readiness
/// probe read ``isReady``, so an orchestrator stops sending traffic before the servers drain.
///
/// ```swift
/// let readiness = Readiness()
/// router.registerOperations(metrics: registry) { readiness.isReady }
/// try await ServiceGroup(services: [clock, http, rpc, readiness]).run()
/// ```
public final class Readiness: Service {
    private let ready = Atomic<Bool>(false)
    private let shutdown = ShutdownTrigger()

    /// Creates a readiness that is not ready until ``run()``.
    public init() {}

    /// Whether the process should receive traffic now.
    public var isReady: Bool { ready.load(ordering: .acquiring) }

    /// Marks the process ready and waits for shutdown.
    public func run() async {
        if !shutdown.isTriggered { ready.store(true, ordering: .releasing) }
        await shutdown.wait()
    }

    /// Marks the process not ready.
    public func beginGracefulShutdown() {
        ready.store(false, ordering: .releasing)
        shutdown.trigger()
    }
}
