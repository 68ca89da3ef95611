import Foundation
import SentinelModel
import SentinelRPC
import SentinelSchema
import SentinelWire
import Testing

@testable import SentinelScoring

/// The promises PROTOCOL.md makes about strings, deadlines and reloads, kept by the scoring service.
@Suite("Scoring service: strings, deadlines and reload commits")
struct ProtocolPromisesTests {
    @Test("a transaction id holding U+0000 is INVALID_ARGUMENT naming the field, for Score and ScoreBatch")
    func nulInId() async throws {
        let (service, sink, _) = try await ScoringFixtures.service()
        var transaction = ScoringFixtures.transaction(row: 1)
        transaction.id = "evilXid"
        // Replace the X of the encoded id with a NUL byte: a Swift string would not pass it through protobuf-c.
        func withNUL(_ bytes: [UInt8]) -> [UInt8] {
            var bytes = bytes
            let needle = Array("evilXid".utf8)
            let start = (0...(bytes.count - needle.count)).first { Array(bytes[$0..<($0 + needle.count)]) == needle }!
            bytes[start + 4] = 0
            return bytes
        }
        for (method, bytes) in [
            (MethodID.scoringScore, ScoreRequest(transaction: transaction).serializedBytes()),
            (.scoringScoreBatch, ScoreBatchRequest(transactions: [transaction]).serializedBytes()),
        ] {
            let error = rpcError { _ = try callRaw(service, method, withNUL(bytes)) }
            #expect(error?.code == .invalidArgument)
            #expect(error?.message.contains("sentinel.v1.Transaction.id: string contains U+0000") == true)
        }
        #expect(sink.events.isEmpty, "nothing was scored")
    }

    @Test("a batch over the limit is refused from its count on the wire, before anything is unpacked")
    func batchLimitOnTheWire() async throws {
        let (service, sink, _) = try await ScoringFixtures.service(maximumBatchSize: 5)
        // Two million empty transactions would take hundreds of MiB to unpack; the count needs none.
        var huge: [UInt8] = []
        huge.reserveCapacity(4_000_000)
        for _ in 0..<2_000_000 { huge += [0x0A, 0x00] }
        let error = rpcError { _ = try callRaw(service, .scoringScoreBatch, huge) }
        #expect(error == RPCError(.invalidArgument, "batch of 2000000 transactions is over the limit of 5"))
        #expect(sink.events.isEmpty)
        // The count agrees with the decoder on real encodings, and gives up on broken framing.
        for size in [0, 1, 7] {
            let bytes = ScoreBatchRequest(
                transactions: (0..<size).map { ScoringFixtures.transaction(row: $0) }, modelVersion: "v"
            ).serializedBytes()
            #expect(bytes.withUnsafeBytes { ScoreBatchRequest.transactionCount(serializedBytes: $0) } == size)
        }
        let broken: [UInt8] = [0x0A, 0x05, 0x01]
        #expect(broken.withUnsafeBytes { ScoreBatchRequest.transactionCount(serializedBytes: $0) } == nil)
    }

    @Test("a ScoreBatch past its deadline answers DEADLINE_EXCEEDED and scores, counts and reports nothing")
    func batchDeadline() async throws {
        let (service, sink, _) = try await ScoringFixtures.service()
        let transactions = (0..<(ScoringService.deadlineCheckRows + 10)).map { ScoringFixtures.transaction(row: $0) }
        let bytes = ScoreBatchRequest(transactions: transactions).serializedBytes()
        let expired = RequestContext(
            requestID: 1, method: .scoringScoreBatch, deadline: ContinuousClock.now - .milliseconds(1))
        var response: [UInt8] = []
        let error = rpcError { try bytes.withUnsafeBytes { try service.scoreBatch(expired, $0, &response) } }
        #expect(error?.code == .deadlineExceeded)
        #expect(error?.message.hasPrefix("deadline exceeded after scoring 0 of \(transactions.count)") == true)
        #expect(response.isEmpty && sink.events.isEmpty && service.statistics.transactions == 0)
        // With time left, the same batch is scored in chunks and gives what one call gives.
        let open = RequestContext(
            requestID: 2, method: .scoringScoreBatch, deadline: ContinuousClock.now + .seconds(60))
        try bytes.withUnsafeBytes { try service.scoreBatch(open, $0, &response) }
        let scored = try ScoreBatchResponse(serializedBytes: response)
        let model = try #require(service.store.current)
        for (item, transaction) in zip(scored.items, transactions) {
            guard case .score(let score) = item.outcome else {
                Issue.record("\(transaction.id) was not scored")
                continue
            }
            #expect(score.fraudProbability == transaction.features.withUnsafeBufferPointer(model.learner.probability))
        }
    }

    @Test("a reload cancelled before its commit point does not happen; one past it completes")
    func reloadCommit() async throws {
        let (service, _, directory) = try await ScoringFixtures.service()
        let live = service.store.current?.version
        let path = try ScoringFixtures.write(ScoringFixtures.sibling, to: directory, name: "sibling.sentinel")
        let cancelled = ReloadCommit()
        #expect(cancelled.cancel())
        #expect(throws: CancellationError.self) {
            try service.store.reload(ReloadModelRequest(path: path, allowFeatureChange: true), commit: cancelled)
        }
        #expect(service.store.current?.version == live, "the live model did not change")

        let committed = ReloadCommit()
        let (response, _) = try service.store.reload(
            ReloadModelRequest(path: path, allowFeatureChange: true), commit: committed)
        #expect(!committed.cancel(), "a cancellation after the commit point loses")
        #expect(service.store.current?.version == response.newVersion && response.newVersion != live)
    }
}
