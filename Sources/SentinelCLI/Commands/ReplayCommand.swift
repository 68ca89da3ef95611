import Foundation
import SentinelArguments
import SentinelDrift
import SentinelMetrics
import SentinelPosix
import SentinelRPC
import SentinelSchema
import SentinelWire

/// `sentinel replay --api HOST:PORT --data FILE`: streams a CSV through ScoreBatch, rate-limited, optionally with
/// injected drift, and summarises what came back.
enum ReplayCommand {
    static let command = Command(
        words: ["replay"],
        summary: "stream a CSV through the scoring service (batched, rate-limited, optional drift)",
        usage:
            "sentinel replay --api HOST:PORT --data FILE [--from DAY --to DAY] [--rate N] [--limit N] [--batch B] "
            + "[--in-flight K] [--drift SPEC] [--shuffle SEED] [--monitor HOST:PORT --labels-after N] [--json] [--quiet] "
            + "[--timeout SECONDS] [--token-file FILE]",
        details: """
            \(ConnectionOptions.Flags.api.help(width: 22))
              --data FILE         a CSV (plain or gzip) with a header; its columns are matched by name to the
                                  served model's inputs (ModelInfo), in any order; a missing input is an error
              --from DAY, --to DAY  only rows of these days (YYYY-MM-DD, inclusive; dated data only)
              --rate N            at most N transactions per second (token bucket; burst max(B, N/10));
                                  default: as fast as the service answers
              --limit N           send at most N rows
              --batch B           transactions per ScoreBatch request (default 100)
              --in-flight K       requests outstanding at once (default 4)
              --drift SPEC        change inputs before sending: comma-separated FEATURE*X (scale), FEATURE+X,
                                  FEATURE-X (shift), FEATURE=X (set); FEATURE is a model input name, X a finite
                                  number; terms apply left to right. Example: --drift 'TX_AMOUNT*1.5,V3=0'.
                                  The amount sent is the (drifted) TX_AMOUNT/Amount input.
              --shuffle SEED      send the rows in a random order drawn from SEED (an integer), so every
                                  monitor window sees the file's mix rather than a stretch of it; ids and labels
                                  stay with their rows
              --monitor HOST:PORT the monitor, for --labels-after (the same --token-file is presented)
              --labels-after N    report each row's label (Class/TX_FRAUD) to the monitor once N more
                                  transactions have been scored after it, as delayed chargebacks would arrive; the
                                  last N are reported at the end
              --json              print one JSON object: sent, scored, flagged, errors, errors_by_code,
                                  latency_us {p50, p90, p99, p999, max}, seconds, transactions_per_second
              --quiet             no progress bar

            A progress bar is drawn on a terminal (not with --json or --quiet). The exit code is 0 only when every transaction was scored.
            Latency quantiles are per request (client-side, µs).
            """
    ) { arguments, console in
        let endpoint = try ConnectionOptions(parsing: &arguments, .api)
        let path = try arguments.required("--data")
        let from = try Formatting.day(try arguments.option("--from"), option: "--from")
        let to = try Formatting.day(try arguments.option("--to"), option: "--to")
        let rate = try arguments.option("--rate", as: Double.self)
        let limit = try arguments.option("--limit", as: Int.self)
        let batch = try arguments.option("--batch", as: Int.self) ?? 100
        let inFlight = try arguments.option("--in-flight", as: Int.self) ?? 4
        let driftText = try arguments.option("--drift")
        let shuffle = try arguments.option("--shuffle", as: UInt64.self)
        let monitorText = try arguments.option("--monitor")
        let labelsAfter = try arguments.option("--labels-after", as: Int.self)
        let json = arguments.flag("--json")
        let quiet = arguments.flag("--quiet")
        try arguments.finish()
        if (monitorText == nil) != (labelsAfter == nil) {
            throw UsageError("--labels-after N and --monitor HOST:PORT go together")
        }
        if let labelsAfter, labelsAfter < 0 {
            throw UsageError("invalid value for --labels-after: \(labelsAfter) (≥ 0)")
        }
        let monitor = try monitorText.map { text in
            guard let address = SocketAddress(parsing: text) else {
                throw UsageError("invalid address '\(text)' for --monitor: expected \(SocketAddress.syntax)")
            }
            return ConnectionOptions(address: address, timeout: endpoint.timeout, token: endpoint.token)
        }
        if let rate, !(rate.isFinite && rate > 0) {
            throw UsageError("invalid value for --rate: \(rate) (transactions per second, > 0)")
        }
        if let limit, limit < 1 { throw UsageError("invalid value for --limit: \(limit) (≥ 1)") }
        guard (1...100_000).contains(batch) else { throw UsageError("invalid value for --batch: \(batch) (1…100000)") }
        guard (1...1024).contains(inFlight) else {
            throw UsageError("invalid value for --in-flight: \(inFlight) (1…1024)")
        }
        if let from, let to, from > to { throw UsageError("--from \(from) is after --to \(to)") }

        return try await TCPClient.withClient(address: endpoint.address, configuration: endpoint.client) {
            client in
            let info = try await ModelInfoCall.fetch(client)
            let drift = try driftText.map { try DriftSpec(parsing: $0, featureNames: info.featureNames) }
            let rows = try DatasetTransactions(
                path: path, featureNames: info.featureNames, from: from, to: to, limit: limit, drift: drift)
            guard rows.count > 0 else {
                throw ScoringClientError(.featureMismatch, "\(path): no rows to replay (check --from/--to)")
            }
            // The order rows are sent in: the file's, or a seeded shuffle of it.
            var order = Array(0..<rows.count)
            if let shuffle {
                var generator = SplitMix64(seed: shuffle)
                order.shuffle(using: &generator)
            }
            var labels = try monitor.map { _ in try LabelReporter(dataset: rows.dataset, path: path) }
            if !json {
                // Said first, so whoever watches the monitor knows what is arriving.
                console.print(
                    "replay: \(path) → \(endpoint.address), model \(info.modelVersion), \(rows.count) rows"
                        + (drift.map { ", drift \($0)" } ?? "") + (shuffle.map { ", shuffled (seed \($0))" } ?? "")
                        + (labelsAfter.map { ", labels \($0) transactions later to \(monitor!.address)" } ?? ""))
            }
            var bucket = rate.map { TokenBucket(rate: $0, capacity: max(Double(batch), $0 / 10), now: .now) }
            var tally = ReplayTally()
            var bar = ProgressBar(console: console, enabled: !json && !quiet)
            let start = ContinuousClock.now
            return try await withOptionalClient(monitor) { monitorClient in
                // Rows whose label has been reported: the first `labelled`. Batches complete in any order, so labels
                // follow the count of transactions answered, which never runs ahead of the rows sent in order.
                var labelled = 0
                func reportLabels(upTo end: Int) async throws {
                    guard var reporter = labels, let client = monitorClient, end > labelled else { return }
                    try await reporter.report(rows: order[labelled..<end], client: client, timeout: endpoint.timeout)
                    labels = reporter
                    labelled = end
                }
                try await withThrowingTaskGroup(of: BatchOutcome.self) { group in
                    var next = 0
                    var running = 0
                    while next < rows.count {
                        if running == inFlight, let outcome = try await group.next() {
                            running -= 1
                            tally.add(outcome)
                            bar.update(stage: "replaying", completed: tally.sent, total: rows.count)
                            // A label may reach the monitor before its event (the API reports in batches): the
                            // monitor keeps it until the event arrives.
                            if let labelsAfter, tally.sent - labelsAfter >= labelled + batch {
                                try await reportLabels(upTo: tally.sent - labelsAfter)
                            }
                        }
                        let end = min(next + batch, rows.count)
                        if var current = bucket {
                            let wait = current.take(end - next, now: .now)
                            bucket = current
                            if wait > .zero { try? await Task.sleep(for: wait) }
                        }
                        let transactions = order[next..<end].map(rows.transaction)
                        group.addTask { await send(transactions, client: client) }
                        running += 1
                        next = end
                    }
                    for try await outcome in group {
                        tally.add(outcome)
                        bar.update(stage: "replaying", completed: tally.sent, total: rows.count)
                    }
                }
                tally.elapsed = start.duration(to: .now)
                bar.finish(
                    "replayed \(tally.sent) transactions in \(Formatting.seconds(tally.elapsed)): \(tally.scored) scored, "
                        + "\(tally.flagged) flagged, \(tally.errorCount) errors")
                try await reportLabels(upTo: rows.count)
                let summary = ReplaySummary(tally: tally, modelVersion: info.modelVersion, drift: drift?.description)
                if json {
                    console.print(try summary.jsonText())
                } else {
                    for line in summary.textLines() { console.print(line) }
                    if let labels, let monitor { console.print(labels.summary(monitor: monitor.address.description)) }
                }
                for message in tally.firstErrors { console.printError("error: \(message)") }
                return tally.errorCount == 0 ? ExitCode.success : ExitCode.failure
            }
        }
    }

    /// Runs `body` with a client for `options` (closed afterwards), or with `nil` when there are none.
    static func withOptionalClient<Result: Sendable>(
        _ options: ConnectionOptions?, _ body: (TCPClient?) async throws -> Result
    ) async throws -> Result {
        guard let options else { return try await body(nil) }
        return try await TCPClient.withClient(address: options.address, configuration: options.client) { client in
            try await body(client)
        }
    }

    /// Sends one batch and classifies the answer.
    static func send(_ transactions: [Transaction], client: TCPClient) async -> BatchOutcome {
        var outcome = BatchOutcome(sent: transactions.count)
        let request = ScoreBatchRequest(transactions: transactions).serializedBytes()
        let start = ContinuousClock.now
        do {
            let reply = try await client.call(.scoringScoreBatch, payload: request, timeout: .seconds(30))
            outcome.latency = start.duration(to: .now)
            let response = try ScoreReplies.batch(reply, expected: transactions.count)
            for (item, transaction) in zip(response.items, transactions) {
                switch item.outcome {
                case .score(let score):
                    outcome.scored += 1
                    if score.decision == .flag { outcome.flagged += 1 }
                case .error(let error):
                    let name = ScoreReplies.statusName(error.statusCode)
                    outcome.errors[name, default: 0] += 1
                    if outcome.firstErrors.count < ReplayTally.exampleLimit {
                        outcome.firstErrors.append("transaction '\(transaction.id)': \(name): \(error.message)")
                    }
                }
            }
        } catch let error as RPCError {
            outcome.errors[error.code.name, default: 0] += transactions.count
            outcome.firstErrors.append(
                "batch from transaction '\(transactions.first?.id ?? "")' (\(transactions.count)): \(error)")
        } catch {
            outcome.errors["MALFORMED_REPLY", default: 0] += transactions.count
            outcome.firstErrors.append("\(error)")
        }
        return outcome
    }
}
