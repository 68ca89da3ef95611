import Foundation
import SentinelArguments
import SentinelDrift
import SentinelMetrics
import SentinelModel
import SentinelPosix
import SentinelRPC
import SentinelSchema
import SentinelWire

/// `sentinel bench --api HOST:PORT`: closed-loop load on the scoring service; requests/s, transactions/s and
/// latency quantiles.
enum BenchCommand {
    static let command = Command(
        words: ["bench"],
        summary: "closed-loop load on the scoring service: requests/s, transactions/s, p50/p99/p999",
        usage:
            "sentinel bench --api HOST:PORT [--data FILE | --model FILE] [--connections N] [--duration S] "
            + "[--batch B] [--warmup S] [--loops L] [--json] [--quiet] [--timeout SECONDS] [--token-file FILE]",
        details: """
            \(ConnectionOptions.Flags.api.help(width: 23))
              --data FILE          send real rows of this CSV (up to 100,000, in rotation; columns matched to
                                   the model's inputs by name, as in replay)
              --model FILE         or send one transaction made of the model file's reference means
                                   (with neither, one transaction with every input 0 — a note says so)
              --connections N      concurrent connections, each with one request outstanding (default 1)
              --duration S         measured seconds (default 5)
              --warmup S           unmeasured seconds first (default 1)
              --batch B            transactions per request: 1 uses Score, more use ScoreBatch (default 1)
              --loops L            client event-loop threads shared by the connections (default 1)
              --json               print one JSON object: requests_per_second, transactions_per_second, p50_us,
                                   p90_us, p99_us, p999_us, max_us, mean_us, requests, transactions, errors
                                   (transactions not scored), errors_by_code, connections, batch, loops, seconds
              --quiet              no progress bars (they appear only when standard error is a terminal)

            Latency is per request, client-side (queued → reply decoded), in µs, from an HDR-style histogram
            (≤ 0.8 % relative error). Only completions inside the measured window count.
            """
    ) { arguments, console in
        let endpoint = try ConnectionOptions(parsing: &arguments, .api)
        let dataPath = try arguments.option("--data")
        let modelPath = try arguments.option("--model")
        let connections = try arguments.option("--connections", as: Int.self) ?? 1
        let duration = try arguments.option("--duration", as: Double.self) ?? 5
        let warmup = try arguments.option("--warmup", as: Double.self) ?? 1
        let batch = try arguments.option("--batch", as: Int.self) ?? 1
        let loops = try arguments.option("--loops", as: Int.self) ?? 1
        let json = arguments.flag("--json")
        let quiet = arguments.flag("--quiet")
        try arguments.finish()
        guard dataPath == nil || modelPath == nil else {
            throw UsageError("give one of --data FILE and --model FILE (the transactions to send), not both")
        }
        guard (1...10_000).contains(connections) else {
            throw UsageError("invalid value for --connections: \(connections) (1…10000)")
        }
        guard duration.isFinite, duration > 0, duration <= 3600 else {
            throw UsageError("invalid value for --duration: \(duration) (seconds, > 0)")
        }
        guard warmup.isFinite, warmup >= 0, warmup <= 3600 else {
            throw UsageError("invalid value for --warmup: \(warmup) (seconds, ≥ 0)")
        }
        guard (1...100_000).contains(batch) else { throw UsageError("invalid value for --batch: \(batch) (1…100000)") }
        guard (1...64).contains(loops) else { throw UsageError("invalid value for --loops: \(loops) (1…64)") }

        let info = try await TCPClient.withClient(address: endpoint.address, configuration: endpoint.client) {
            try await ModelInfoCall.fetch($0)
        }
        if dataPath == nil && modelPath == nil {
            console.printError(
                "note: no --data or --model: sending one transaction with every input 0; "
                    + "give --data FILE for real rows")
        }
        let transactions = try benchTransactions(
            dataPath: dataPath, modelPath: modelPath, featureNames: info.featureNames, batch: batch)
        let payloads = requestPayloads(transactions, batch: batch)
        let options = LoadGenerator.Options(
            connections: connections, loops: loops, duration: seconds(duration), warmup: seconds(warmup),
            method: batch == 1 ? .scoringScore : .scoringScoreBatch, payloads: payloads,
            transactionsPerRequest: batch,
            check: batch == 1 ? ScoreReplies.checkSingle : ScoreReplies.checkBatch(expected: batch))
        var bar = ProgressBar(console: console, enabled: !json && !quiet)
        let report = try await LoadGenerator.run(
            address: endpoint.address, configuration: endpoint.client, options: options
        ) { phase, answered in
            let length = phase == .warmup ? options.warmup : options.duration
            bar.update(stage: phase.rawValue, completed: answered, unit: "requests", lasting: length)
        }
        bar.finish(
            "measured \(Formatting.seconds(report.elapsed)): \(report.requests) requests answered, "
                + "\(report.transactions) transactions scored, \(report.errorCount) not scored")
        let result = BenchResult(report: report, connections: connections, batch: batch, loops: loops)
        if json {
            console.print(try result.jsonText())
        } else {
            console.print(
                "bench: \(endpoint.address), model \(info.modelVersion), \(connections) connection"
                    + "\(connections == 1 ? "" : "s") on \(min(loops, connections)) loop"
                    + "\(min(loops, connections) == 1 ? "" : "s"), batch \(batch), "
                    + "\(Formatting.fixed(result.seconds, 1)) s measured after \(Formatting.fixed(warmup, 1)) s warm-up"
            )
            for line in result.textLines() { console.print(line) }
        }
        return report.requests == 0 || report.errorCount > 0 ? ExitCode.failure : ExitCode.success
    }

    /// The transactions to send: rows of `--data`, or the model's reference means.
    static func benchTransactions(
        dataPath: String?, modelPath: String?, featureNames: [String], batch: Int
    ) throws -> [Transaction] {
        if let dataPath {
            let rows = try DatasetTransactions(
                path: dataPath, featureNames: featureNames, limit: min(100_000, max(1024, batch * 32)))
            guard rows.count > 0 else {
                throw ScoringClientError(.featureMismatch, "\(dataPath): no rows to send")
            }
            return (0..<rows.count).map(rows.transaction)
        }
        guard let modelPath else {
            return [Transaction(id: "bench-zero", features: Array(repeating: 0, count: featureNames.count))]
        }
        let file = try ModelFile(contentsOf: modelPath)
        let profiles = file.artifact.reference.features
        guard profiles.map(\.name) == featureNames else {
            throw ScoringClientError(
                .featureMismatch,
                "\(modelPath): the model file's inputs \(profiles.map(\.name)) differ from the served "
                    + "model's \(featureNames)")
        }
        var transaction = Transaction(id: "bench-mean", features: profiles.map(\.mean))
        if let index = featureNames.firstIndex(where: { ["tx_amount", "amount"].contains($0.lowercased()) }) {
            transaction.amount = transaction.features[index]
        }
        return [transaction]
    }

    /// Serialized requests: batch 1 → one ScoreRequest per transaction (up to 1,024); larger batches → up to 1,024
    /// ScoreBatchRequests of consecutive transactions, wrapping around.
    static func requestPayloads(_ transactions: [Transaction], batch: Int) -> [[UInt8]] {
        let count = max(1, min(1024, transactions.count / batch))
        return (0..<count).map { index in
            if batch == 1 {
                return ScoreRequest(transaction: transactions[index]).serializedBytes()
            }
            let rows = (0..<batch).map { transactions[(index * batch + $0) % transactions.count] }
            return ScoreBatchRequest(transactions: rows).serializedBytes()
        }
    }

    private static func seconds(_ value: Double) -> Duration {
        .nanoseconds(Int64((value * 1e9).rounded()))
    }
}
