import Foundation
import SentinelArguments
import SentinelPosix
import SentinelRPC
import SentinelSchema
import SentinelWire

/// `sentinel score --api HOST:PORT`: scores transactions given as JSON (or a CSV file) and prints probability and
/// decision for each.
enum ScoreCommand {
    static let command = Command(
        words: ["score"],
        summary: "score transactions (JSON on stdin or --data FILE) with the scoring service",
        usage:
            "sentinel score --api HOST:PORT [--data FILE] [--json] [--batch B] [--timeout SECONDS] [--token-file FILE]",
        details: """
            \(ConnectionOptions.Flags.api.help(width: 22))
              --data FILE         read transactions from FILE instead of standard input: JSON (as below) when its
                                  first character is { or [, otherwise a CSV whose columns are matched by name to
                                  the model's inputs (as in replay)
              --json              one JSON object per line: id, fraud_probability, decision (flag|pass),
                                  threshold, model_version, server_latency_us; or id and error {code, message,
                                  field} for a transaction the service refused
              --batch B           transactions per ScoreBatch request when there are several (default 100)

            JSON transaction (one object, an array of them, or one per line):
              {"id": "t1", "card_id": "c42", "terminal_id": "t7", "amount": 57.3,
               "time": "2018-07-01 10:15:00", "features": {"TX_AMOUNT": 57.3, ...}}
            "features" holds every model input by name (`sentinel model inspect` or the service's ModelInfo
            lists them), or an array of numbers in model order; with "amount" given, the amount input
            (TX_AMOUNT/Amount) may be left out of "features". Optional: id (default: the position, 1, 2, …),
            card_id (the card; it groups transactions for CP@k and per-card drift), terminal_id, amount
            (default: the TX_AMOUNT/Amount input, else 0), time (UTC) or event_time_unix_us. Unknown fields, missing or extra inputs and non-numbers are errors naming the
            transaction and field. One transaction uses Score; several use ScoreBatch.
            The exit code is 0 only when every transaction was scored.
            """
    ) { arguments, console in
        let endpoint = try ConnectionOptions(parsing: &arguments, .api)
        let dataPath = try arguments.option("--data")
        let json = arguments.flag("--json")
        let batch = try arguments.option("--batch", as: Int.self) ?? 100
        try arguments.finish()
        guard (1...100_000).contains(batch) else { throw UsageError("invalid value for --batch: \(batch) (1…100000)") }
        // Read the input before connecting, so a missing file fails without a network round trip.
        if dataPath == nil && isatty(0) == 1 {
            throw UsageError("no transactions: pipe JSON to standard input or give --data FILE")
        }
        let input: ScoreInput = try dataPath.map(ScoreInput.file) ?? .json(readStandardInput(), source: "stdin")

        return try await TCPClient.withClient(address: endpoint.address, configuration: endpoint.client) {
            client in
            let info = try await ModelInfoCall.fetch(client)
            let transactions = try input.transactions(featureNames: info.featureNames)
            var results: [(Transaction, ScoreOutcome)] = []
            if transactions.count == 1 {
                do {
                    let reply = try await client.call(
                        .scoringScore, payload: ScoreRequest(transaction: transactions[0]).serializedBytes(),
                        timeout: .seconds(30))
                    results.append((transactions[0], .scored(try ScoreReplies.single(reply))))
                } catch let error as RPCError where error.code == .invalidArgument {
                    // The service refused this transaction: report it like a refused batch item.
                    let refusal = ScoreBatchResponse.ItemError(
                        statusCode: UInt32(error.code.rawValue), message: error.message)
                    results.append((transactions[0], .refused(refusal)))
                }
            } else {
                for start in stride(from: 0, to: transactions.count, by: batch) {
                    let chunk = Array(transactions[start..<min(start + batch, transactions.count)])
                    let reply = try await client.call(
                        .scoringScoreBatch, payload: ScoreBatchRequest(transactions: chunk).serializedBytes(),
                        timeout: .seconds(30))
                    let response = try ScoreReplies.batch(reply, expected: chunk.count)
                    for (transaction, item) in zip(chunk, response.items) {
                        switch item.outcome {
                        case .score(let score): results.append((transaction, .scored(score)))
                        case .error(let error): results.append((transaction, .refused(error)))
                        }
                    }
                }
            }
            let lines = json ? results.map { jsonLine($0.0, $0.1) } : table(results)
            for line in lines { console.print(line) }
            let failed = results.filter { if case .refused = $0.1 { true } else { false } }.count
            if failed > 0 {
                console.printError("error: \(failed) of \(results.count) transactions were not scored")
            }
            return failed == 0 ? ExitCode.success : ExitCode.failure
        }
    }

    /// What came back for one transaction.
    enum ScoreOutcome {
        case scored(ScoreResponse)
        case refused(ScoreBatchResponse.ItemError)
    }

    /// Where `score` reads transactions from.
    enum ScoreInput {
        case json([UInt8], source: String)
        case csv(String)

        /// Sniffs a file: JSON when its first non-blank byte is `{` or `[`, else CSV (plain or gzip).
        static func file(_ path: String) throws -> ScoreInput {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw ScoringClientError(.invalidTransaction, "cannot read '\(path)'")
            }
            let first = data.first { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }
            if first == UInt8(ascii: "{") || first == UInt8(ascii: "[") { return .json(Array(data), source: path) }
            return .csv(path)
        }

        func transactions(featureNames: [String]) throws -> [Transaction] {
            switch self {
            case .json(let bytes, let source):
                do {
                    return try TransactionJSON.parse(bytes, featureNames: featureNames)
                } catch let error as ScoringClientError {
                    throw ScoringClientError(error.code, "\(source): \(error.message)")
                }
            case .csv(let path):
                let rows = try DatasetTransactions(path: path, featureNames: featureNames)
                guard rows.count > 0 else { throw ScoringClientError(.invalidTransaction, "\(path): no rows") }
                return (0..<rows.count).map(rows.transaction)
            }
        }
    }

    private static func readStandardInput() -> [UInt8] {
        Array(FileHandle.standardInput.readDataToEndOfFile())
    }

    /// The text table: id, probability, decision, threshold, server latency; refused transactions with their error.
    static func table(_ results: [(Transaction, ScoreOutcome)]) -> [String] {
        let idWidth = max(2, results.map { $0.0.id.count }.max() ?? 0)
        func pad(_ text: String, _ width: Int) -> String {
            text + String(repeating: " ", count: max(0, width - text.count))
        }
        var lines = ["\(pad("id", idWidth))  probability  decision  threshold  server µs  model"]
        for (transaction, result) in results {
            switch result {
            case .scored(let score):
                lines.append(
                    "\(pad(transaction.id, idWidth))  \(pad(Formatting.fixed(score.fraudProbability, 6), 11))  "
                        + "\(pad(decisionName(score.decision), 8))  \(pad(Formatting.fixed(score.threshold, 4), 9))  "
                        + "\(pad(Formatting.fixed(Double(score.serverLatencyNanoseconds) / 1000, 1), 9))  "
                        + score.modelVersion)
            case .refused(let error):
                lines.append(
                    "\(pad(transaction.id, idWidth))  error: \(ScoreReplies.statusName(error.statusCode)): \(error.message)"
                )
            }
        }
        return lines
    }

    /// One `--json` line.
    static func jsonLine(_ transaction: Transaction, _ result: ScoreOutcome)
        -> String
    {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys]
        let line: ScoreLine
        switch result {
        case .scored(let score):
            line = ScoreLine(
                id: transaction.id, fraudProbability: score.fraudProbability, decision: decisionName(score.decision),
                threshold: score.threshold, modelVersion: score.modelVersion,
                serverLatencyUs: Double(score.serverLatencyNanoseconds) / 1000)
        case .refused(let error):
            line = ScoreLine(
                id: transaction.id,
                error: .init(
                    code: ScoreReplies.statusName(error.statusCode), message: error.message, field: error.field))
        }
        return (try? encoder.encode(line)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    static func decisionName(_ decision: ScoreDecision) -> String {
        switch decision {
        case .flag: "flag"
        case .pass: "pass"
        case .unspecified: "unspecified"
        }
    }

    /// The shape of a `--json` line.
    struct ScoreLine: Encodable {
        struct ItemError: Encodable {
            var code: String
            var message: String
            var field: String
        }

        var id: String
        var fraudProbability: Double?
        var decision: String?
        var threshold: Double?
        var modelVersion: String?
        var serverLatencyUs: Double?
        var error: ItemError?
    }
}
