public import SentinelLifecycle
public import SentinelLog
import SentinelSchema

/// The scoring service's model lifecycle as a ``Service``: loads the configured model at start-up (the service
/// answers Health NOT_SERVING until then), reloads it on each SIGHUP, and marks the service NOT_SERVING as soon as
/// the process begins to stop.
///
/// It is the last service of `sentinel-api`'s group, so it is stopped first: health checks turn NOT_SERVING before
/// the RPC server drains. A model that cannot be loaded at start-up makes ``run()`` throw, which stops the process
/// with that error; a failed SIGHUP reload is logged and the old model keeps serving.
///
/// ```swift
/// let loader = ModelLoader(service: service, reloadSignals: UnixSignals.stream([SIGHUP]), log: log)
/// try await ServiceGroup(services: [server, loader]).run()
/// ```
public final class ModelLoader: Service {
    private let service: ScoringService
    private let reloadSignals: AsyncStream<Int32>?
    private let log: JSONLog
    private let shutdown = ShutdownTrigger()

    /// Creates the loader; nothing is loaded until ``run()``.
    /// - Parameters:
    ///   - service: The scoring service whose model store is loaded.
    ///   - reloadSignals: Each element reloads the configured file (SIGHUP in `sentinel-api`); `nil` for none.
    ///   - log: Where the reload requests are logged (the outcomes are logged by the service).
    public init(service: ScoringService, reloadSignals: AsyncStream<Int32>?, log: JSONLog) {
        self.service = service
        self.reloadSignals = reloadSignals
        self.log = log
    }

    /// Loads the model, then reloads on each signal until ``beginGracefulShutdown()``.
    /// - Throws: ``ScoringError`` `.reloadFailed` when the model cannot be loaded at start-up.
    public func run() async throws {
        let started = MonotonicClock.nanoseconds()
        try await service.reload(ReloadModelRequest(), origin: "startup")
        let elapsed = Double(MonotonicClock.nanoseconds() &- started) / 1e6
        log.info("serving", ["startup_ms": .double((elapsed * 10).rounded() / 10)])
        await withTaskGroup(of: Void.self) { group in
            if let reloadSignals {
                let service = self.service
                let log = self.log
                group.addTask {
                    for await _ in reloadSignals {
                        log.info("SIGHUP: reloading", ["path": .string(service.store.configuredPath)])
                        _ = try? await service.reload(ReloadModelRequest(), origin: "SIGHUP")
                    }
                }
            }
            await shutdown.wait()
            group.cancelAll()
        }
    }

    /// Marks the service NOT_SERVING and stops waiting for reloads.
    public func beginGracefulShutdown() {
        service.beginGracefulShutdown()
        shutdown.trigger()
    }
}
