import Foundation
import Glibc
import SentinelArguments
public import SentinelLog
import SentinelPosix
import SentinelRPC
import SentinelSchema
import Synchronization

/// The scoring service as a process: binds, loads the model, serves, reloads on SIGHUP, stops on SIGTERM/SIGINT.
///
/// ``run()`` owns everything it starts. It binds first and logs `listening` with the real address (Health answers
/// NOT_SERVING), then loads and validates the model off the loops and turns SERVING. SIGHUP reloads the configured
/// file (a failure keeps the old model and is logged). SIGTERM or SIGINT: NOT_SERVING, GOAWAY, in-flight requests
/// finish within the grace period, then the reporter (if any) flushes to the monitor or its spool; `run()` returns.
///
/// ```swift
/// let server = ScoringServer(configuration: try ScoringConfiguration(parsing: &arguments))
/// try await server.run()
/// ```
public final class ScoringServer: Sendable {
    /// The settings.
    public let configuration: ScoringConfiguration
    private let reporter: (any ScoringEventReporter)?
    private let log: JSONLog
    private let announce: @Sendable (String) -> Void

    /// Creates a server; nothing starts until ``run()``.
    /// - Parameters:
    ///   - configuration: Address, model, limits, tokens.
    ///   - reporter: The reporter to the monitor, or `nil` for none.
    ///   - log: The JSON log (default: standard output).
    ///   - announce: Receives the human `listening on HOST:PORT` line once bound (default: ignored; the process
    ///     writes it to standard error, keeping standard output machine-readable).
    public init(
        configuration: ScoringConfiguration, reporter: (any ScoringEventReporter)? = nil,
        log: JSONLog = .standardOutput, announce: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.configuration = configuration
        self.reporter = reporter
        self.log = log
        self.announce = announce
    }

    /// Serves until SIGTERM or SIGINT, then shuts down gracefully and returns.
    /// - Throws: ``ScoringError`` `.configuration` for an unreadable token file or an address that cannot be bound,
    ///   `.reloadFailed` when the model cannot be loaded at startup (the process should exit 1).
    public func run() async throws {
        let started = MonotonicClock.nanoseconds()
        // Installed before anything is announced, so a supervisor's signal is never lost or fatal.
        let signals = UnixSignals.stream([SIGTERM, SIGINT, SIGHUP])
        var serverConfiguration = ServerConfiguration()
        serverConfiguration.shutdownGracePeriod = .milliseconds(Int64(configuration.gracePeriodSeconds * 1000))
        serverConfiguration.busyPoll = .microseconds(configuration.busyPollMicroseconds)
        if let path = configuration.tokenFile {
            serverConfiguration.authToken = try Self.readToken(path)
        }
        let service = ScoringService(
            store: ModelStore(configuredPath: configuration.modelPath),
            maximumBatchSize: configuration.maximumBatchSize, sink: reporter, log: log,
            logRequests: configuration.logRequests)
        let server: TCPServer
        do {
            server = try TCPServer(
                host: configuration.host, port: configuration.port, router: service.makeRouter(),
                configuration: serverConfiguration)
        } catch {
            let address = SocketAddress(host: configuration.host, port: configuration.port)
            log.error("cannot listen", ["address": .string("\(address)")])
            throw ScoringError(.configuration, "cannot listen on \(address): \(error)", cause: error)
        }
        log.info(
            "listening",
            [
                "address": .string(server.address.description), "port": .int(Int64(server.address.port)),
                "version": .string(SentinelVersion.string), "model": .string(configuration.modelPath),
                "monitor": .string(configuration.monitor ?? ""),
                "max_batch": .int(Int64(configuration.maximumBatchSize)),
                "auth": configuration.tokenFile == nil ? "none" : "token",
            ])
        announce("listening on \(server.address)")
        let outcome = RunOutcome()
        let log = self.log
        try await withThrowingTaskGroup(of: Void.self) { outer in
            if let reporter {
                outer.addTask { try await reporter.run() }
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    do {
                        try await service.reload(ReloadModelRequest(), origin: "startup")
                        let elapsed = Double(MonotonicClock.nanoseconds() &- started) / 1e6
                        log.info("serving", ["startup_ms": .double((elapsed * 10).rounded() / 10)])
                    } catch {
                        outcome.startupFailure.withLock {
                            $0 = error as? ScoringError ?? ScoringError(.reloadFailed, "\(error)")
                        }
                        service.beginShutdown()
                        server.beginGracefulShutdown()
                    }
                }
                group.addTask {
                    for await signal in signals {
                        if signal == SIGHUP {
                            log.info("SIGHUP: reloading", ["path": .string(service.store.configuredPath)])
                            _ = try? await service.reload(ReloadModelRequest(), origin: "SIGHUP")
                            continue
                        }
                        outcome.stopSignal.withLock { $0 = signal }
                        service.beginShutdown()
                        log.info(
                            "shutting down",
                            [
                                "signal": .string(signal == SIGTERM ? "SIGTERM" : "SIGINT"),
                                "grace_period_s": .double(self.configuration.gracePeriodSeconds),
                            ])
                        server.beginGracefulShutdown()
                        return
                    }
                }
                try await server.run()
                group.cancelAll()
            }
            // The server has drained: every answered request's events are recorded; let the reporter flush.
            reporter?.shutdown()
            try await outer.waitForAll()
        }
        if let failure = outcome.startupFailure.withLock({ $0 }) {
            log.error("stopped", ["reason": .string(failure.message)])
            throw failure
        }
        let statistics = service.statistics
        log.info(
            "stopped",
            [
                "signal": .string(
                    outcome.stopSignal.withLock { $0 }.map { $0 == SIGTERM ? "SIGTERM" : "SIGINT" } ?? "none"),
                "requests": .int(Int64(statistics.requests)), "transactions": .int(Int64(statistics.transactions)),
                "events_sent": .int(Int64(statistics.events.sent)),
                "events_spooled": .int(Int64(statistics.events.spooled)),
                "events_dropped": .int(Int64(statistics.events.dropped)),
            ])
    }

    static func readToken(_ path: String) throws -> AuthToken {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ScoringError(.configuration, "cannot read token file '\(path)'")
        }
        guard let token = AuthToken(text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw ScoringError(.configuration, "token file '\(path)' is empty")
        }
        return token
    }
}

/// What ended a run, written by its child tasks.
private final class RunOutcome: Sendable {
    /// Why the model could not be loaded at startup.
    let startupFailure = Mutex<ScoringError?>(nil)
    /// The signal that stopped the server.
    let stopSignal = Mutex<Int32?>(nil)
}
