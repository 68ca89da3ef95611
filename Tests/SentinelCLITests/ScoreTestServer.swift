import Foundation
import SentinelLock
import SentinelPosix
import SentinelRPC
import SentinelSchema
import SentinelWire
import Synchronization

/// A scoring service for the CLI verb tests: serves ModelInfo, Score and ScoreBatch over real TCP with the schema's
/// messages, scoring a fixed 3-input logistic function, and records what it received.
///
/// Its rules: the inputs are `TX_AMOUNT, V1, V2`; p = σ(0.01·TX_AMOUNT + V1 − V2); flag when p ≥ 0.5. A transaction
/// with the wrong input count, a non-finite input or a negative amount is refused with INVALID_ARGUMENT naming the
/// field, as the real service does.
final class ScoreTestServer: Sendable {
    static let featureNames = ["TX_AMOUNT", "V1", "V2"]
    static let threshold = 0.5
    static let modelVersion = "test-model-1"

    private let received = Lock<[Transaction]>([])
    private let requests = Atomic<Int>(0)
    /// Whether to keep every transaction (off for load tests).
    let records: Bool

    init(records: Bool = true) {
        self.records = records
    }

    /// Every transaction received, in arrival order.
    var transactions: [Transaction] { received.withLock { $0 } }
    /// Score and ScoreBatch requests received.
    var requestCount: Int { requests.load(ordering: .relaxed) }

    static func probability(_ features: [Double]) -> Double {
        1 / (1 + exp(-(0.01 * features[0] + features[1] - features[2])))
    }

    func outcome(_ transaction: Transaction) -> ScoreBatchResponse.Item.Outcome {
        if records { received.withLock { $0.append(transaction) } }
        if transaction.features.count != Self.featureNames.count {
            return .error(
                .init(
                    statusCode: 3, message: "transaction '\(transaction.id)': expected 3 features",
                    field: "features"))
        }
        if let index = transaction.features.firstIndex(where: { !$0.isFinite }) {
            return .error(
                .init(
                    statusCode: 3, message: "transaction '\(transaction.id)': features[\(index)] is not finite",
                    field: "features[\(index)]"))
        }
        if transaction.amount < 0 {
            return .error(
                .init(statusCode: 3, message: "transaction '\(transaction.id)': negative amount", field: "amount"))
        }
        let p = Self.probability(transaction.features)
        return .score(
            ScoreResponse(
                transactionId: transaction.id, fraudProbability: p, decision: p >= Self.threshold ? .flag : .pass,
                modelVersion: Self.modelVersion, serverLatencyNanoseconds: 1500, threshold: Self.threshold))
    }

    var router: Router {
        var router = Router()
        router.registerRaw(.scoringModelInfo) { _, _, response in
            response += ModelInfoResponse(
                modelVersion: Self.modelVersion, learner: "logistic-regression", featureNames: Self.featureNames,
                threshold: Self.threshold
            ).serializedBytes()
        }
        router.registerRaw(.scoringScore) { [self] _, request, response in
            requests.add(1, ordering: .relaxed)
            let message = try decode(ScoreRequest.self, request)
            switch outcome(message.transaction) {
            case .score(let score): response += score.serializedBytes()
            case .error(let error): throw RPCError(.invalidArgument, error.message)
            }
        }
        router.registerRaw(.scoringScoreBatch) { [self] _, request, response in
            requests.add(1, ordering: .relaxed)
            let message = try decode(ScoreBatchRequest.self, request)
            guard !message.transactions.isEmpty else { throw RPCError(.invalidArgument, "empty batch") }
            let items = message.transactions.map { ScoreBatchResponse.Item(outcome($0)) }
            response += ScoreBatchResponse(items: items, modelVersion: Self.modelVersion).serializedBytes()
        }
        return router
    }

    private func decode<Message: WireMessage>(_ type: Message.Type, _ bytes: UnsafeRawBufferPointer) throws -> Message {
        do {
            return try Message(serializedBytes: bytes)
        } catch {
            throw RPCError(.invalidArgument, "not a \(Message.protoName)")
        }
    }

    /// Runs the service on 127.0.0.1:0 for the duration of `body`; `body` gets its `HOST:PORT`.
    /// - Parameters:
    ///   - token: The shared token clients must present, if any.
    ///   - body: Uses the service.
    @discardableResult
    func serve<Result: Sendable>(token: String? = nil, _ body: (String) async throws -> Result) async throws -> Result {
        var configuration = ServerConfiguration()
        configuration.authToken = token.flatMap(AuthToken.init)
        let server = try TCPServer(
            host: "127.0.0.1", port: 0, router: router, configuration: configuration, loopCount: 1)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.run() }
            do {
                let result = try await body("127.0.0.1:\(server.address.port)")
                server.beginGracefulShutdown()
                try await group.waitForAll()
                return result
            } catch {
                server.beginGracefulShutdown()
                try? await group.waitForAll()
                throw error
            }
        }
    }
}

/// Temporary files for the verb tests, removed by the caller.
enum ScoreTestFiles {
    /// Writes `text` to a new file in the temporary directory and returns its path.
    static func write(_ text: String, suffix: String) throws -> String {
        let path = NSTemporaryDirectory() + "sentinel-cli-\(UUID().uuidString)\(suffix)"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// A CSV with the test model's inputs in another order among other columns: `rows` rows over 5 days from
    /// 2018-07-01. Row i: TX_AMOUNT = (i % 50)·2, V1 = (i % 7)·0.5 − 1, V2 = i % 3.
    static func csv(rows: Int = 250) -> String {
        var lines = ["TRANSACTION_ID,TX_DATETIME,CUSTOMER_ID,TERMINAL_ID,V2,NOTE_SCORE,TX_AMOUNT,V1"]
        for i in 0..<rows {
            let day = 1 + i * 5 / rows
            lines.append(
                "tx\(i),2018-07-0\(day) 10:00:00,c\(i % 9),t\(i % 4),\(Double(i % 3)),\(i),"
                    + "\(Double(i % 50) * 2),\(Double(i % 7) * 0.5 - 1)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The model inputs of CSV row i, in model order.
    static func features(row i: Int) -> [Double] {
        [Double(i % 50) * 2, Double(i % 7) * 0.5 - 1, Double(i % 3)]
    }
}
