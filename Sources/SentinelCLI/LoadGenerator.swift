import SentinelMetrics
import SentinelPosix
import SentinelRPC
import SentinelWire
import Synchronization

/// Closed-loop load for `sentinel bench`: N connections, each with exactly one request outstanding, for a fixed time.
///
/// The connections share one or a few ``PosixEventLoop`` threads (``TCPClient/init(address:configuration:loop:)``)
/// and calls are issued with ``TCPClient/startCall(_:payload:timeout:completion:)`` from the previous call's
/// completion, on the loop: no task, no thread hop and no thread per connection, so 64 connections cost one thread
/// and the generator stays cheaper than the server it measures. Latency is measured per request, from just before
/// the request is queued until its completion runs (so it includes the client loop's own delay, as a real client
/// would see it), into a ``LatencyHistogram``.
///
/// Timeline: connect and warm up for `warmup`; then measure for `duration` (only completions inside the window
/// count); then stop issuing and wait for the requests in flight.
enum LoadGenerator {
    /// Decodes one reply; returns how many transactions it scored and counts any per-item errors by status name.
    typealias ReplyCheck = @Sendable (_ reply: [UInt8], _ errors: inout [String: Int]) -> Int

    /// What to send and for how long.
    struct Options: Sendable {
        /// Concurrent connections (each with one request outstanding).
        var connections: Int
        /// Event loop threads the connections are spread over.
        var loops: Int
        /// The measured time.
        var duration: Duration
        /// Load before the measurement starts (connects, warms caches); not counted.
        var warmup: Duration
        /// The method called.
        var method: MethodID
        /// Request payloads, sent in rotation.
        var payloads: [[UInt8]]
        /// Transactions in each request (for error counts of failed requests).
        var transactionsPerRequest: Int
        /// Decodes a reply.
        var check: ReplyCheck
        /// Each request's deadline.
        var timeout: Duration = .seconds(10)
    }

    /// The two timed parts of a run.
    enum Phase: String {
        case warmup = "warming up"
        case measuring
    }

    /// Requests answered OK so far, warm-up included, counted on the loops and read by the progress display.
    final class AnsweredCount: Sendable {
        private let value = Atomic<Int>(0)
        func increment() { value.add(1, ordering: .relaxed) }
        var current: Int { value.load(ordering: .relaxed) }
    }

    /// What was measured.
    struct Report: Sendable {
        /// Requests answered OK inside the measurement window.
        var requests = 0
        /// Transactions scored by those requests.
        var transactions = 0
        /// Transactions not scored, by status name (a failed request counts all its transactions).
        var errors: [String: Int] = [:]
        /// Latency of the OK requests.
        var latency = LatencyHistogram()
        /// The measurement window.
        var elapsed: Duration = .zero

        /// Total transactions not scored.
        var errorCount: Int { errors.values.reduce(0, +) }

        /// Seconds in the window.
        var seconds: Double {
            let (whole, attoseconds) = elapsed.components
            return Double(whole) + Double(attoseconds) * 1e-18
        }

        mutating func merge(_ other: Report) {
            requests += other.requests
            transactions += other.transactions
            errors.merge(other.errors, uniquingKeysWith: +)
            latency.merge(other.latency)
        }
    }

    /// Runs the load.
    /// - Parameters:
    ///   - address: The scoring service.
    ///   - configuration: Client settings (token).
    ///   - options: Connections, loops, durations and payloads.
    ///   - progress: Called about ten times a second during each phase (and at its start and end) with the phase
    ///     and the requests answered in it so far.
    /// - Returns: The merged measurements of every connection.
    /// - Throws: ``SystemError`` when an event loop cannot be created.
    static func run(
        address: SocketAddress, configuration: TCPClient.Configuration, options: Options,
        progress: ((_ phase: Phase, _ answered: Int) -> Void)? = nil
    ) async throws -> Report {
        precondition(options.connections > 0 && options.loops > 0 && !options.payloads.isEmpty)
        let loops = try (0..<min(options.loops, options.connections)).map { _ in try PosixEventLoop() }
        let answered = AnsweredCount()
        let workers = loops.enumerated().map { index, loop in
            let count = (options.connections - index + loops.count - 1) / loops.count
            let clients = (0..<count).map { _ in
                TCPClient(address: address, configuration: configuration, loop: loop)
            }
            return LoadWorker(loop: loop, clients: clients, options: options, firstPayload: index, answered: answered)
        }
        // Waits `length`, reporting progress as it goes.
        func wait(_ length: Duration, in phase: Phase) async {
            let start = answered.current
            let deadline = ContinuousClock.now + length
            while !Task.isCancelled {
                progress?(phase, answered.current - start)
                let now = ContinuousClock.now
                guard now < deadline else { return }
                try? await Task.sleep(for: min(.milliseconds(100), now.duration(to: deadline)))
            }
        }
        return await withTaskGroup(of: Void.self) { group in
            for loop in loops { group.addTask { await loop.run() } }
            for worker in workers { worker.loop.execute { worker.start() } }
            if options.warmup > .zero { await wait(options.warmup, in: .warmup) }
            let begin = ContinuousClock.now
            for worker in workers { worker.loop.execute { worker.beginMeasuring() } }
            await wait(options.duration, in: .measuring)
            let end = ContinuousClock.now
            // Stop every worker first, then wait for each to drain, so all windows close together.
            let parts = await withTaskGroup(of: Report.self) { stops in
                for worker in workers {
                    stops.addTask {
                        await withCheckedContinuation { continuation in
                            worker.loop.execute { worker.stop { continuation.resume(returning: $0) } }
                        }
                    }
                }
                var parts: [Report] = []
                for await part in stops { parts.append(part) }
                return parts
            }
            for worker in workers {
                for client in worker.clients { client.close() }
            }
            for loop in loops { loop.stop() }
            await group.waitForAll()
            var report = Report()
            for part in parts { report.merge(part) }
            report.elapsed = begin.duration(to: end)
            return report
        }
    }
}
