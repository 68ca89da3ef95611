import Foundation
import SentinelModel
import SentinelRPC
import SentinelSchema
import SentinelWire
import Testing

@testable import SentinelScoring

@Suite("Scoring service handlers (no sockets)")
struct ScoringServiceTests {
    @Test("Score returns the library's probability bit for bit, the decision, version, threshold and latency")
    func scoreMatchesLibrary() async throws {
        let (service, sink, _) = try await ScoringFixtures.service()
        let learner = ScoringFixtures.model.artifact.learner
        let threshold = ScoringFixtures.model.artifact.threshold
        var flagged = 0
        for row in stride(from: 0, to: 1_500, by: 37) {
            let transaction = ScoringFixtures.transaction(row: row)
            let bytes = try call(service, .scoringScore, ScoreRequest(transaction: transaction))
            let response = try ScoreResponse(serializedBytes: bytes)
            let expected = transaction.features.withUnsafeBufferPointer { learner.probability(of: $0) }
            #expect(response.fraudProbability.bitPattern == expected.bitPattern)
            #expect(response.decision == (expected >= threshold ? .flag : .pass))
            #expect(response.transactionId == transaction.id)
            #expect(response.modelVersion == ScoringFixtures.model.modelVersion)
            #expect(response.threshold == threshold)
            #expect(response.serverLatencyNanoseconds > 0)
            if response.decision == .flag { flagged += 1 }
        }
        #expect(flagged > 0)
        let statistics = service.statistics
        #expect(statistics.transactions == 41)
        #expect(statistics.flagged == UInt64(flagged))
        #expect(statistics.latency.count == 41)
        #expect(statistics.errors.isEmpty)
        #expect(statistics.modelVersion == ScoringFixtures.model.modelVersion)
        #expect(sink.events.count == 41)
        let event = try #require(sink.events.first)
        let first = ScoringFixtures.transaction(row: 0)
        #expect(event.transactionId == "tx-0")
        #expect(event.features == first.features)
        #expect(event.amount == first.amount)
        #expect(event.cardId == first.cardId && event.terminalId == first.terminalId)
        #expect(event.eventTimeMicroseconds == first.eventTimeMicroseconds)
        #expect(event.modelVersion == ScoringFixtures.model.modelVersion)
        #expect(event.scoredAtMicroseconds > 1_700_000_000_000_000)
        #expect(sink.models == [ScoringFixtures.model.modelVersion])
    }

    @Test("ScoreBatch scores valid items, reports bad ones by index, id and field, in request order")
    func batch() async throws {
        let (service, sink, _) = try await ScoringFixtures.service()
        var transactions = (0..<5).map { ScoringFixtures.transaction(row: $0) }
        transactions[1].features[2] = .nan
        transactions[3].amount = -2
        let bytes = try call(
            service, .scoringScoreBatch, ScoreBatchRequest(transactions: transactions))
        let response = try ScoreBatchResponse(serializedBytes: bytes)
        #expect(response.items.count == 5)
        #expect(response.modelVersion == ScoringFixtures.model.modelVersion)
        let learner = ScoringFixtures.model.artifact.learner
        for (index, item) in response.items.enumerated() {
            switch (index, item.outcome) {
            case (1, .error(let error)):
                #expect(error.statusCode == 3)
                #expect(error.field == "features[2]")
                #expect(error.message == "transaction 1 ('tx-1'): features[2] (V3) is NaN")
            case (3, .error(let error)):
                #expect(error.field == "amount")
                #expect(error.message.hasPrefix("transaction 3 ('tx-3'): amount is negative"))
            case (_, .score(let score)) where index != 1 && index != 3:
                let expected = transactions[index].features.withUnsafeBufferPointer { learner.probability(of: $0) }
                #expect(score.fraudProbability.bitPattern == expected.bitPattern)
                #expect(score.transactionId == "tx-\(index)")
                #expect(score.serverLatencyNanoseconds == response.serverLatencyNanoseconds)
            default:
                Issue.record("item \(index) has the wrong outcome: \(item.outcome)")
            }
        }
        #expect(sink.events.map(\.transactionId) == ["tx-0", "tx-2", "tx-4"])
        // Events carry the per-transaction share of the batch's latency, not the whole request's.
        let share = max(1, response.serverLatencyNanoseconds / 3)
        #expect(sink.events.allSatisfy { $0.serverLatencyNanoseconds == share })
        #expect(service.statistics.transactions == 3)
        #expect(service.statistics.errors == [StatsResponse.ErrorCount(statusCode: 3, count: 2)])
    }

    @Test("an empty batch and a batch over the limit are INVALID_ARGUMENT")
    func batchLimits() async throws {
        let (service, _, _) = try await ScoringFixtures.service(maximumBatchSize: 3)
        let empty = rpcError { _ = try call(service, .scoringScoreBatch, ScoreBatchRequest()) }
        #expect(empty == RPCError(.invalidArgument, "empty batch: ScoreBatch needs at least one transaction"))
        let four = ScoreBatchRequest(transactions: (0..<4).map { ScoringFixtures.transaction(row: $0) })
        let over = rpcError { _ = try call(service, .scoringScoreBatch, four) }
        #expect(over == RPCError(.invalidArgument, "batch of 4 transactions is over the limit of 3"))
        let three = ScoreBatchRequest(transactions: (0..<3).map { ScoringFixtures.transaction(row: $0) })
        #expect(
            try ScoreBatchResponse(serializedBytes: call(service, .scoringScoreBatch, three)).items.count
                == 3)
    }

    @Test("a pinned version: the live one scores, another is FAILED_PRECONDITION")
    func pinnedVersion() async throws {
        let (service, _, _) = try await ScoringFixtures.service()
        let live = ScoringFixtures.model.modelVersion
        let transaction = ScoringFixtures.transaction(row: 5)
        let ok = try ScoreResponse(
            serializedBytes: call(
                service, .scoringScore, ScoreRequest(transaction: transaction, modelVersion: live)))
        #expect(ok.modelVersion == live)
        let error = rpcError {
            _ = try call(service, .scoringScore, ScoreRequest(transaction: transaction, modelVersion: "0123abcd"))
        }
        #expect(error == RPCError(.failedPrecondition, "model version '0123abcd' is not served (serving \(live))"))
        let batchError = rpcError {
            _ = try call(
                service, .scoringScoreBatch,
                ScoreBatchRequest(transactions: [transaction], modelVersion: "nope"))
        }
        #expect(batchError?.code == .failedPrecondition)
        #expect(service.statistics.errors == [StatsResponse.ErrorCount(statusCode: 9, count: 2)])
    }

    @Test("bytes that are not the method's message are INVALID_ARGUMENT, never a crash")
    func malformed() async throws {
        let (service, _, _) = try await ScoringFixtures.service()
        let garbage: [UInt8] = [0xFF, 0xFF, 0xFF, 0xFF, 0x0F]
        for method in [MethodID.scoringScore, .scoringScoreBatch, .scoringModelInfo, .scoringStats, .healthCheck] {
            let error = rpcError { _ = try callRaw(service, method, garbage) }
            #expect(error?.code == .invalidArgument)
            #expect(error?.message.hasPrefix("malformed ") == true)
        }
    }

    @Test("Health: NOT_SERVING before the model is loaded, SERVING after, NOT_SERVING when shutting down")
    func health() async throws {
        let directory = try ScoringFixtures.directory()
        let path = try ScoringFixtures.write(ScoringFixtures.model, to: directory)
        let service = ScoringService(store: ModelStore(configuredPath: path), log: CapturedLog().log)
        func status() throws -> HealthCheckResponse.ServingStatus {
            try HealthCheckResponse(serializedBytes: call(service, .healthCheck, HealthCheckRequest()))
                .status
        }
        #expect(try status() == .notServing)
        let early = rpcError {
            _ = try call(service, .scoringScore, ScoreRequest(transaction: ScoringFixtures.transaction(row: 0)))
        }
        #expect(early == RPCError(.unavailable, "no model loaded yet"))
        try await service.reload(ReloadModelRequest(), origin: "startup")
        #expect(try status() == .serving)
        let named = try HealthCheckResponse(
            serializedBytes: call(service, .healthCheck, HealthCheckRequest(service: "sentinel.v1.Scoring"))
        )
        #expect(named.status == .serving)
        let unknown = rpcError {
            _ = try call(service, .healthCheck, HealthCheckRequest(service: "sentinel.v1.Monitor"))
        }
        #expect(unknown?.code == .notFound)
        service.beginGracefulShutdown()
        #expect(try status() == .notServing)
        // A reload during shutdown does not turn it back to SERVING.
        try await service.reload(ReloadModelRequest(), origin: "rpc")
        #expect(try status() == .notServing)
    }

    @Test("ModelInfo describes the live model")
    func modelInfo() async throws {
        let (service, _, directory) = try await ScoringFixtures.service()
        let info = try ModelInfoResponse(
            serializedBytes: call(service, .scoringModelInfo, ModelInfoRequest()))
        let artifact = ScoringFixtures.model.artifact
        #expect(info.modelVersion == ScoringFixtures.model.modelVersion)
        #expect(info.learner == "logistic")
        #expect(info.featureNames == artifact.featureNames)
        #expect(info.threshold == artifact.threshold)
        #expect(info.trainingWindow.rows == UInt64(artifact.training.rows))
        #expect(info.trainingWindow.frauds == UInt64(artifact.training.frauds))
        #expect(info.metrics.map(\.name) == ["ap", "roc_auc"])
        #expect(info.metrics.first?.value == artifact.validation.averagePrecision)
        #expect(info.source == directory.appendingPathComponent("model.sentinel").path)
        #expect(info.loadedAtMicroseconds > 0)
    }

    @Test("the training window is the first day at 00:00 UTC to the day after the last")
    func days() {
        #expect(ModelHandle.daysSinceEpoch("1970-01-01") == 0)
        #expect(ModelHandle.daysSinceEpoch("2018-07-25") == 17_737)
        #expect(ModelHandle.daysSinceEpoch("2000-03-01") == 11_017)
        #expect(ModelHandle.daysSinceEpoch("2018-13-01") == nil)
        #expect(ModelHandle.daysSinceEpoch("x") == nil)
    }

    @Test("Stats counts requests over all methods and errors by code")
    func stats() async throws {
        let (service, _, _) = try await ScoringFixtures.service()
        let router = service.makeRouter()
        #expect(router.methods.map(\.rawValue) == [1, 10, 11, 12, 13, 14])
        _ = try call(service, .scoringStats, StatsRequest())
        let response = try StatsResponse(serializedBytes: call(service, .scoringStats, StatsRequest()))
        // Every answered call counts once its answer is written: the Stats call that answers is not yet counted.
        #expect(response.requests == 1)
        _ = rpcError { _ = try callRaw(service, .scoringScore, [0xFF]) }
        let after = try StatsResponse(serializedBytes: call(service, .scoringStats, StatsRequest()))
        #expect(after.requests == 3)
        #expect(after.errors == [StatsResponse.ErrorCount(statusCode: 3, count: 1)])
        #expect(response.events.queued == 0)
        #expect(response.uptimeMicroseconds > 0)
    }
}
