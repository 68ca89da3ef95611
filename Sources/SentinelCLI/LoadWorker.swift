import SentinelMetrics
import SentinelPosix
import SentinelRPC
import SentinelWire

/// The connections of one loop and their tallies.
///
/// `@unchecked Sendable` invariant: created on the caller's task, then every property is touched only on `loop`'s
/// thread (every method is called through `loop.execute` or from a completion, which runs on the loop).
final class LoadWorker: @unchecked Sendable {
    let loop: PosixEventLoop
    let clients: [TCPClient]
    private let options: LoadGenerator.Options
    private var nextPayload: Int
    private var report = LoadGenerator.Report()
    private var measuring = false
    private var stopping = false
    private var outstanding = 0
    private var onDrained: ((LoadGenerator.Report) -> Void)?
    private let answered: LoadGenerator.AnsweredCount

    init(
        loop: PosixEventLoop, clients: [TCPClient], options: LoadGenerator.Options, firstPayload: Int,
        answered: LoadGenerator.AnsweredCount
    ) {
        self.loop = loop
        self.clients = clients
        self.options = options
        self.answered = answered
        nextPayload = firstPayload % options.payloads.count
    }

    func start() {
        for client in clients { issue(client) }
    }

    func beginMeasuring() {
        measuring = true
    }

    /// Stops issuing; `done` gets this worker's report once nothing is in flight.
    func stop(_ done: @escaping (LoadGenerator.Report) -> Void) {
        measuring = false
        stopping = true
        onDrained = done
        drainIfIdle()
    }

    private func issue(_ client: TCPClient) {
        let payload = options.payloads[nextPayload]
        nextPayload += 1
        if nextPayload == options.payloads.count { nextPayload = 0 }
        outstanding += 1
        let start = ContinuousClock.now
        client.startCall(options.method, payload: payload, timeout: options.timeout) { result in
            self.completed(client, start: start, result: result)
        }
    }

    private func completed(_ client: TCPClient, start: ContinuousClock.Instant, result: Result<[UInt8], RPCError>) {
        outstanding -= 1
        var retryLater = false
        switch result {
        case .success(let reply):
            answered.increment()
            if measuring {
                report.latency.record(start.duration(to: .now))
                report.requests += 1
                report.transactions += options.check(reply, &report.errors)
            }
        case .failure(let error):
            if measuring { report.errors[error.code.name, default: 0] += options.transactionsPerRequest }
            // An unreachable server fails calls at once; pace the retries instead of spinning.
            retryLater = error.code == .unavailable
        }
        if stopping {
            drainIfIdle()
        } else if retryLater {
            outstanding += 1
            let worker = LoopBound(self, loop: loop)
            let boundClient = LoopBound(client, loop: loop)
            _ = loop.scheduleTimer(at: .now + .milliseconds(10)) {
                worker.value.retry(boundClient.value)
            }
        } else {
            issue(client)
        }
    }

    private func retry(_ client: TCPClient) {
        outstanding -= 1
        if stopping {
            drainIfIdle()
        } else {
            issue(client)
        }
    }

    private func drainIfIdle() {
        guard outstanding == 0, let done = onDrained else { return }
        onDrained = nil
        done(report)
    }
}
