import Glibc
public import SentinelLog

/// Runs a process's services: starts them in order, and on SIGTERM/SIGINT, on ``beginGracefulShutdown()`` or when
/// any service stops by itself, shuts them down one at a time in reverse order, then reports the first failure.
///
/// Order the services so that each one depends only on those before it: the event reporter before the server whose
/// handlers record events, the monitor's state before the servers that read it. Stopping in reverse then lets a
/// server drain its requests while what they use is still running.
///
/// Cancelling the task that runs ``run()`` cancels every service at once (each stops as fast as it safely can).
///
/// ```swift
/// let group = ServiceGroup(
///     services: [reporter, rpcServer, modelLoader],
///     signals: UnixSignals.stream(ServiceGroup.shutdownSignals), logger: .standardOutput)
/// let signal = try await group.run()
/// ```
public final class ServiceGroup: Service {
    /// SIGTERM and SIGINT: the signals that start a graceful shutdown.
    public static let shutdownSignals: [Int32] = [SIGTERM, SIGINT]

    private enum Event: Sendable {
        case finished(index: Int, error: (any Error)?)
        case signal(Int32)
        case shutdownRequested
        case idle
    }

    private let services: [any Service]
    private let signals: AsyncStream<Int32>?
    private let logger: JSONLog?
    private let shutdown = ShutdownTrigger()

    /// Creates a group; nothing starts until ``run()``.
    /// - Parameters:
    ///   - services: The services, in start order; they are stopped in reverse order.
    ///   - signals: Signals that start the graceful shutdown (from `UnixSignals.stream(_:)`, created before the
    ///     process announces itself so that no signal is lost), or `nil` for none.
    ///   - logger: Where the group logs the shutdown and failures; `nil` logs nothing.
    public init(services: [any Service], signals: AsyncStream<Int32>? = nil, logger: JSONLog? = nil) {
        self.services = services
        self.signals = signals
        self.logger = logger
    }

    /// Starts the graceful shutdown; callable from any thread, any number of times.
    public func beginGracefulShutdown() {
        shutdown.trigger()
    }

    /// Runs the services until a signal, ``beginGracefulShutdown()`` or the end of any service, then stops them in
    /// reverse order, each after the one started after it has returned. Call once.
    /// - Throws: The first error a service threw (later ones are logged).
    public func run() async throws {
        _ = try await runReportingSignal()
    }

    /// ``run()``, returning the signal that started the shutdown.
    /// - Returns: The signal, or `nil` when the shutdown had another cause.
    /// - Throws: The first error a service threw.
    @discardableResult
    public func runReportingSignal() async throws -> Int32? {
        let outcome = await withTaskGroup(of: Event.self) { group -> (signal: Int32?, error: (any Error)?) in
            for (index, service) in services.enumerated() {
                group.addTask {
                    do {
                        try await service.run()
                        return .finished(index: index, error: nil)
                    } catch {
                        return .finished(index: index, error: error)
                    }
                }
            }
            if let signals {
                group.addTask {
                    for await signal in signals { return .signal(signal) }
                    return .idle
                }
            }
            let shutdown = self.shutdown
            group.addTask {
                await shutdown.wait()
                return shutdown.isTriggered ? .shutdownRequested : .idle
            }
            var running = Set(services.indices)
            var firstError: (any Error)?
            var signal: Int32?

            func record(_ index: Int, _ error: (any Error)?) {
                running.remove(index)
                guard let error else { return }
                logger?.error(
                    "service failed",
                    ["service": .string(Self.name(of: services[index])), "error": .string("\(error)")])
                if firstError == nil { firstError = error }
            }

            // Until the first cause to stop.
            waiting: while let event = await group.next() {
                switch event {
                case .idle:
                    continue
                case .signal(let number):
                    signal = number
                    logger?.info("shutting down", ["signal": .string(Self.signalName(number))])
                    break waiting
                case .shutdownRequested:
                    logger?.info("shutting down", ["reason": "requested"])
                    break waiting
                case .finished(let index, let error):
                    record(index, error)
                    if error == nil {
                        logger?.info("shutting down", ["reason": .string("\(Self.name(of: services[index])) stopped")])
                    }
                    break waiting
                }
            }
            // Stop in reverse order, one service at a time.
            for index in services.indices.reversed() where running.contains(index) {
                services[index].beginGracefulShutdown()
                while running.contains(index), let event = await group.next() {
                    if case .finished(let finished, let error) = event { record(finished, error) }
                }
            }
            group.cancelAll()
            return (signal, firstError)
        }
        if let error = outcome.error { throw error }
        return outcome.signal
    }

    /// A service's type name, for log lines.
    private static func name(of service: any Service) -> String {
        String(describing: type(of: service))
    }

    /// `SIGTERM`, `SIGINT`, `SIGHUP`, or `signal N`.
    /// - Parameter number: The signal number.
    /// - Returns: Its name for log lines.
    public static func signalName(_ number: Int32) -> String {
        switch number {
        case SIGTERM: "SIGTERM"
        case SIGINT: "SIGINT"
        case SIGHUP: "SIGHUP"
        default: "signal \(number)"
        }
    }
}
