import Foundation
import SentinelArguments
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
            + "[--in-flight K] [--drift SPEC] [--json] [--timeout SECONDS] [--token-file FILE]",
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
              --json              print one JSON object: sent, scored, flagged, errors, errors_by_code,
                                  latency_us {p50, p90, p99, p999, max}, seconds, transactions_per_second

            A progress bar is drawn on a terminal. The exit code is 0 only when every transaction was scored.
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
        let json = arguments.flag("--json")
        try arguments.finish()
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
            var bucket = rate.map { TokenBucket(rate: $0, capacity: max(Double(batch), $0 / 10), now: .now) }
            var tally = ReplayTally()
            var bar = ProgressBar(console: console)
            let start = ContinuousClock.now
            await withTaskGroup(of: BatchOutcome.self) { group in
                var next = 0
                var running = 0
                while next < rows.count {
                    if running == inFlight, let outcome = await group.next() {
                        running -= 1
                        tally.add(outcome)
                        bar.update(stage: "replaying", completed: tally.sent, total: rows.count)
                    }
                    let end = min(next + batch, rows.count)
                    if var current = bucket {
                        let wait = current.take(end - next, now: .now)
                        bucket = current
                        if wait > .zero { try? await Task.sleep(for: wait) }
                    }
                    let transactions = (next..<end).map(rows.transaction)
                    group.addTask { await send(transactions, client: client) }
                    running += 1
                    next = end
                }
                for await outcome in group {
                    tally.add(outcome)
                    bar.update(stage: "replaying", completed: tally.sent, total: rows.count)
                }
            }
            bar.finish()
            tally.elapsed = start.duration(to: .now)
            let summary = ReplaySummary(tally: tally, modelVersion: info.modelVersion, drift: drift?.description)
            if json {
                console.print(try summary.jsonText())
            } else {
                console.print(
                    "replay: \(path) → \(endpoint.address), model \(info.modelVersion)"
                        + (drift.map { ", drift \($0)" } ?? ""))
                for line in summary.textLines() { console.print(line) }
            }
            for message in tally.firstErrors { console.printError("error: \(message)") }
            return tally.errorCount == 0 ? ExitCode.success : ExitCode.failure
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
