/// A long-lived part of a process — a server, the event reporter, the monitor's window clock — that a
/// ``ServiceGroup`` starts, stops and supervises.
///
/// A service does all of its work inside ``run()``, which returns only when the service has stopped and everything
/// it started has finished. ``beginGracefulShutdown()`` asks it to stop: finish what is in flight within its own
/// bounded time, then return from ``run()``. Cancelling the task that runs ``run()`` stops the service too, as fast
/// as it safely can.
///
/// ```swift
/// struct Ticker: Service {
///     let shutdown = ShutdownTrigger()
///     func run() async throws {
///         while !shutdown.isTriggered { tick(); await shutdown.wait(atMost: .seconds(1)) }
///     }
///     func beginGracefulShutdown() { shutdown.trigger() }
/// }
/// ```
public protocol Service: Sendable {
    /// Runs the service until it is asked to stop (or fails), then returns once all its work has finished.
    ///
    /// Called exactly once, by the group (or a test).
    /// - Throws: What made the service fail; the group then stops the other services and reports this error.
    func run() async throws

    /// Asks ``run()`` to stop gracefully and return.
    ///
    /// Callable from any thread, any number of times, before or while ``run()`` runs; it returns at once.
    func beginGracefulShutdown()
}
