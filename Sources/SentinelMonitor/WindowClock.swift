public import SentinelLifecycle
import SentinelLog

/// The monitor's clock and state store as a ``Service``: advances every window once per tick, writes snapshots,
/// and on shutdown writes a last snapshot and closes the store.
///
/// It is the first service of `sentinel-monitor`'s group, so it stops last: the RPC server has drained (every
/// acknowledged batch is in the log) before the final snapshot is taken.
///
/// ```swift
/// let clock = WindowClock(service: service, tickInterval: .seconds(1), snapshotInterval: .seconds(300))
/// try await ServiceGroup(services: [clock, rpcServer, httpServer]).run()
/// ```
public final class WindowClock: Service {
    private let service: MonitorService
    private let tickInterval: Duration
    private let snapshotInterval: Duration
    private let shutdown = ShutdownTrigger()

    /// Creates the clock; nothing runs until ``run()``.
    /// - Parameters:
    ///   - service: The monitor whose windows advance.
    ///   - tickInterval: How often to advance the windows.
    ///   - snapshotInterval: The longest time between snapshots (the store may ask for one sooner).
    public init(
        service: MonitorService, tickInterval: Duration = .seconds(1), snapshotInterval: Duration = .seconds(300)
    ) {
        self.service = service
        self.tickInterval = tickInterval
        self.snapshotInterval = snapshotInterval
    }

    /// Ticks until ``beginGracefulShutdown()`` or cancellation, then writes a last snapshot and closes the store.
    /// - Throws: The state store's failure, once a log write or sync has failed (a full disk, an I/O error): the
    ///   store is fail-stop, so the process stops too (the group shuts down, `sentinel-monitor` exits 1) and its
    ///   supervisor restarts it; producers keep every event not acknowledged and resend it to the new process.
    public func run() async throws {
        while !Task.isCancelled {
            if await shutdown.wait(atMost: tickInterval) { break }
            if let failure = service.storeFailure {
                service.logger.error(
                    "state store failed: stopping",
                    [
                        "error": .string("\(failure)"),
                        "detail": .string(
                            "nothing is acknowledged from now on; producers keep their events and resend them after a "
                                + "restart; free space or fix the disk, then restart"),
                    ])
                await service.close()
                throw failure
            }
            service.tick()
            if service.snapshotDue(every: snapshotInterval) {
                do {
                    try await service.writeSnapshot()
                } catch {
                    service.logger.error("snapshot failed", ["error": .string("\(error)")])
                }
            }
        }
        await service.close()
    }

    /// Stops the ticking; ``run()`` then writes the last snapshot and returns.
    public func beginGracefulShutdown() {
        shutdown.trigger()
    }
}
