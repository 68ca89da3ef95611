import Foundation
import SentinelModel
import SentinelRPC
import SentinelSchema
import SentinelTestSupport
import SentinelWire
import Testing

@testable import SentinelScoring

/// The ScoreBatch handler reads the request in place and writes the response and events directly; these tests hold
/// it to the copying path it replaced: Score one by one, the validator's messages, protobuf-c's encodings.
@Suite("ScoreBatch in-place path")
struct ScoreBatchFastPathTests {
    typealias Generator = SplitMix64Generator

    /// Every way a transaction can be refused, plus ids that are valid but unusual.
    static let variants: [@Sendable (inout Transaction, inout Generator) -> Void] = [
        { transaction, _ in transaction.id = "" },
        { transaction, _ in transaction.amount = .nan },
        { transaction, _ in transaction.amount = .infinity },
        { transaction, _ in transaction.amount = -.infinity },
        { transaction, _ in transaction.amount = -0.25 },
        { transaction, _ in transaction.features.removeLast() },
        { transaction, _ in transaction.features.append(1) },
        { transaction, _ in transaction.features = [] },
        { transaction, random in transaction.features[Int.random(in: 0..<29, using: &random)] = .nan },
        { transaction, random in transaction.features[Int.random(in: 0..<29, using: &random)] = .infinity },
        { transaction, random in transaction.features[Int.random(in: 0..<29, using: &random)] = -.infinity },
        // Valid: long ids, non-ASCII ids, an id cut at U+0000 on the wire, empty card and terminal, zero amount.
        { transaction, random in
            transaction.id = String(repeating: "x", count: Int.random(in: 16...600, using: &random))
        },
        { transaction, _ in transaction.id = "tx-é-💳-\(transaction.eventTimeMicroseconds)" },
        { transaction, _ in transaction.id = "cut\0after" },
        { transaction, _ in (transaction.cardId, transaction.terminalId) = ("", "") },
        { transaction, _ in transaction.amount = 0 },
        { transaction, _ in transaction.amount = -0.0 },
    ]

    /// A batch of `count` sample rows, about a third changed by a random variant.
    static func batch(count: Int, using random: inout Generator) -> [Transaction] {
        (0..<count).map { index in
            var transaction = ScoringFixtures.transaction(
                row: Int.random(in: 0..<1_500, using: &random), id: "b-\(index)")
            if Int.random(in: 0..<3, using: &random) == 0 {
                variants[Int.random(in: 0..<variants.count, using: &random)](&transaction, &random)
            }
            return transaction
        }
    }

    static let gradientBoosting: ModelFile = {
        do {
            let parameters = GradientBoostingParameters(treeCount: 40, earlyStoppingRounds: 0, threadCount: 1)
            let artifact = try ModelTrainer.train(
                dataset: ScoringFixtures.sample,
                configuration: TrainingConfiguration(algorithm: .gradientBoosting(parameters)))
            return try ModelFile(artifact: artifact)
        } catch {
            fatalError("cannot train the GBDT fixture: \(error)")
        }
    }()

    @Test(
        "random batches equal Score one by one: scores, errors, response bytes, events and counters", arguments: [0, 1])
    func equivalence(model choice: Int) async throws {
        let file = choice == 0 ? ScoringFixtures.model : Self.gradientBoosting
        let (batchService, batchSink, _) = try await ScoringFixtures.service(file)
        let (singleService, singleSink, _) = try await ScoringFixtures.service(file)
        let learner = file.artifact.learner
        let names = file.artifact.featureNames
        var random = Generator(state: 42)
        var expectedErrors: UInt64 = 0
        for round in 0..<12 {
            let sent = Self.batch(count: [1, 2, 7, 100, 257][round % 5], using: &random)
            // What the server sees: the transactions after a trip through protobuf-c (ids end at U+0000).
            let seen = try ScoreBatchRequest(serializedBytes: ScoreBatchRequest(transactions: sent).serializedBytes())
                .transactions
            let bytes = try call(batchService, .scoringScoreBatch, ScoreBatchRequest(transactions: sent))
            let response = try ScoreBatchResponse(serializedBytes: bytes)
            #expect(response.items.count == sent.count)
            #expect(response.modelVersion == file.modelVersion)
            var expectedItems: [ScoreBatchResponse.Item] = []
            for (index, transaction) in seen.enumerated() {
                if let problem = TransactionValidator.problem(in: transaction, index: index, featureNames: names) {
                    expectedErrors += 1
                    expectedItems.append(
                        .init(.error(.init(statusCode: 3, message: problem.message, field: problem.field))))
                    let single = rpcError {
                        _ = try call(singleService, .scoringScore, ScoreRequest(transaction: sent[index]))
                    }
                    let alone = TransactionValidator.problem(in: transaction, index: nil, featureNames: names)
                    #expect(single == RPCError(.invalidArgument, alone?.message ?? "?"))
                    continue
                }
                let single = try ScoreResponse(
                    serializedBytes: call(singleService, .scoringScore, ScoreRequest(transaction: sent[index])))
                let alone = transaction.features.withUnsafeBufferPointer { learner.probability(of: $0) }
                #expect(single.fraudProbability.bitPattern == alone.bitPattern)
                expectedItems.append(
                    .init(
                        .score(
                            ScoreResponse(
                                transactionId: single.transactionId, fraudProbability: single.fraudProbability,
                                decision: single.decision, modelVersion: single.modelVersion,
                                serverLatencyNanoseconds: response.serverLatencyNanoseconds,
                                threshold: single.threshold))))
            }
            let expected = ScoreBatchResponse(
                items: expectedItems, modelVersion: file.modelVersion,
                serverLatencyNanoseconds: response.serverLatencyNanoseconds)
            #expect(response == expected)
            // Byte for byte what the protobuf-c encoder writes for the same response.
            #expect(bytes == expected.serializedBytes())
        }
        // Events: the same fields as Score's, in order; the latency is the batch's share.
        let batchEvents = batchSink.events
        let singleEvents = singleSink.events
        #expect(batchEvents.count == singleEvents.count)
        for (batched, single) in zip(batchEvents, singleEvents) {
            var normalised = batched
            normalised.scoredAtMicroseconds = single.scoredAtMicroseconds
            normalised.serverLatencyNanoseconds = single.serverLatencyNanoseconds
            #expect(normalised == single)
            #expect(batched.serverLatencyNanoseconds >= 1)
            #expect(batched.sequence == 0)
        }
        let batchStats = batchService.statistics
        let singleStats = singleService.statistics
        #expect(batchStats.transactions == singleStats.transactions)
        #expect(batchStats.flagged == singleStats.flagged)
        #expect(batchStats.errors == [StatsResponse.ErrorCount(statusCode: 3, count: expectedErrors)])
        #expect(batchStats.requests == 12)
        #expect(batchStats.latency.count == 12)
    }

    @Test("the largest batch allowed is scored whole, bit-equal to the learner; one more is refused")
    func maximumBatch() async throws {
        let (service, sink, _) = try await ScoringFixtures.service(Self.gradientBoosting)
        let learner = Self.gradientBoosting.artifact.learner
        let limit = ScoringService.defaultMaximumBatchSize
        let transactions = (0..<limit).map { ScoringFixtures.transaction(row: $0 % 1_500, id: "m-\($0)") }
        let response = try ScoreBatchResponse(
            serializedBytes: call(service, .scoringScoreBatch, ScoreBatchRequest(transactions: transactions))
        )
        #expect(response.items.count == limit)
        for (index, item) in response.items.enumerated() {
            guard case .score(let score) = item.outcome else {
                Issue.record("item \(index) not scored")
                continue
            }
            let expected = transactions[index].features.withUnsafeBufferPointer { learner.probability(of: $0) }
            #expect(score.fraudProbability.bitPattern == expected.bitPattern)
            #expect(score.transactionId == "m-\(index)")
        }
        #expect(sink.events.count == limit)
        #expect(sink.events.last?.transactionId == "m-\(limit - 1)")
        let over = ScoreBatchRequest(transactions: transactions + [ScoringFixtures.transaction(row: 1)])
        let error = rpcError { _ = try call(service, .scoringScoreBatch, over) }
        #expect(error == RPCError(.invalidArgument, "batch of \(limit + 1) transactions is over the limit of \(limit)"))
    }

    @Test("a batch of only invalid transactions answers every item and records no event")
    func allInvalid() async throws {
        let (service, sink, _) = try await ScoringFixtures.service()
        var transactions = (0..<4).map { ScoringFixtures.transaction(row: $0) }
        for index in transactions.indices { transactions[index].amount = .nan }
        let response = try ScoreBatchResponse(
            serializedBytes: call(service, .scoringScoreBatch, ScoreBatchRequest(transactions: transactions))
        )
        #expect(
            response.items.map(\.outcome)
                == (0..<4).map {
                    .error(
                        .init(statusCode: 3, message: "transaction \($0) ('tx-\($0)'): amount is NaN", field: "amount"))
                })
        #expect(sink.events.isEmpty)
        #expect(service.statistics.transactions == 0)
    }

    @Test("a string that is not UTF-8 or a broken message is refused with the copying decoder's error")
    func malformedMatchesDecoder() async throws {
        let (service, sink, _) = try await ScoringFixtures.service()
        let good = ScoringFixtures.transaction(row: 1).serializedBytes()
        func wrap(_ transaction: [UInt8]) -> [UInt8] { [0x0A] + varint(transaction.count) + transaction }
        let badId: [UInt8] = [0x0A, 0x02, 0xC3, 0x28]
        let badCard: [UInt8] = [0x0A, 0x01, 0x61, 0x1A, 0x01, 0xFF]
        let badTerminal: [UInt8] = [0x0A, 0x01, 0x61, 0x22, 0x02, 0xE2, 0x82]
        let badVersion: [UInt8] = wrap(good) + [0x12, 0x01, 0xFE]
        let truncated = Array(wrap(good).dropLast(3))
        for bytes in [
            wrap(good) + wrap(badId), wrap(badCard) + wrap(good), wrap(good) + wrap(badTerminal), badVersion, truncated,
        ] {
            let error = rpcError { _ = try callRaw(service, .scoringScoreBatch, bytes) }
            let expected: RPCError
            do {
                _ = try ScoreBatchRequest(serializedBytes: bytes)
                expected = RPCError(.ok, "the copying decoder accepted it")
            } catch {
                expected = RPCError(.invalidArgument, "malformed \(ScoreBatchRequest.protoName): \(error)")
            }
            #expect(error == expected)
        }
        #expect(sink.events.isEmpty)
    }

    @Test("event views encode to the bytes protobuf-c packs for the owned event in a batch")
    func eventEncoding() throws {
        var random = Generator(state: 7)
        let sent = Self.batch(count: 200, using: &random)
        // The owned side starts from what protobuf-c delivers (an id ends at U+0000).
        let seen = try ScoreBatchRequest(serializedBytes: ScoreBatchRequest(transactions: sent).serializedBytes())
        for transaction in seen.transactions {
            for (probability, decision) in [(0.0, ScoreDecision.pass), (-0.0, .pass), (0.75, .flag)] {
                for latency: UInt64 in [0, 1, 123_456_789] {
                    let owned = ScoringEvent(
                        transactionId: transaction.id, eventTimeMicroseconds: transaction.eventTimeMicroseconds,
                        scoredAtMicroseconds: 1_700_000_000_000_001, cardId: transaction.cardId,
                        terminalId: transaction.terminalId, amount: transaction.amount,
                        features: transaction.features, fraudProbability: probability, decision: decision,
                        modelVersion: "0123456789ab", serverLatencyNanoseconds: latency)
                    let ownedBytes = entry(owned)
                    let viewBytes = try withView(transaction) { view in
                        var version = "0123456789ab"
                        return version.withUTF8 { versionBytes in
                            let event = ScoredTransactionView(
                                transaction: view, scoredAtMicroseconds: 1_700_000_000_000_001,
                                fraudProbability: probability, decision: decision, serverLatencyNanoseconds: latency)
                            let size =
                                EventEncoding.eventSize(event, modelVersionCount: versionBytes.count) + 1
                                + EventEncoding.varintSize(99)
                            var bytes = [UInt8](repeating: 0, count: EventEncoding.entrySize(eventSize: size))
                            let written = bytes.withUnsafeMutableBytes {
                                EventEncoding.writeEntry(
                                    event, modelVersion: UnsafeRawBufferPointer(versionBytes), sequence: 99,
                                    size: size, to: $0.baseAddress!)
                            }
                            #expect(written == bytes.count)
                            return bytes
                        }
                    }
                    #expect(viewBytes == ownedBytes)
                }
            }
        }
    }

    @Test(
        "the batch hand-off queues a batch as recording it event by event does, or drops it whole when it does not fit")
    func queueBatch() throws {
        var random = Generator(state: 9)
        let transactions = Self.batch(count: 50, using: &random).filter {
            TransactionValidator.problem(in: $0, index: nil, featureNames: ScoringFixtures.model.artifact.featureNames)
                == nil
        }
        let one = EventQueue(capacity: 100, capacityBytes: 1 << 20, lastSequence: 10)
        let all = EventQueue(capacity: 100, capacityBytes: 1 << 20, lastSequence: 10)
        // Too small for the batch: its events are dropped together, and so is what follows until the next take.
        let small = EventQueue(capacity: 30, capacityBytes: 1 << 20, lastSequence: 10)
        let events = transactions.map {
            ScoringEvent(
                transactionId: $0.id, eventTimeMicroseconds: $0.eventTimeMicroseconds, scoredAtMicroseconds: 5,
                cardId: $0.cardId, terminalId: $0.terminalId, amount: $0.amount, features: $0.features,
                fraudProbability: 0.5, decision: .flag, modelVersion: "v1", serverLatencyNanoseconds: 3)
        }
        for event in events { one.append(event) }
        let request = ScoreBatchRequest(transactions: transactions).serializedBytes()
        var receipts: [EventReceipt] = []
        try request.withUnsafeBytes { bytes in
            try ScoreBatchRequest.withView(serializedBytes: bytes) { view in
                let events = view.transactions.map {
                    ScoredTransactionView(
                        transaction: $0, scoredAtMicroseconds: 5, fraudProbability: 0.5, decision: .flag,
                        serverLatencyNanoseconds: 3)
                }
                events.withUnsafeBufferPointer {
                    receipts.append(all.append(batch: $0, modelVersion: "v1"))
                    receipts.append(small.append(batch: $0, modelVersion: "v1"))
                }
            }
        }
        let last = 10 + UInt64(transactions.count)
        #expect(receipts == [.init(sequences: 11...last, queued: true), .init(sequences: 11...last, queued: false)])
        #expect(small.append(events[0]) == EventReceipt(sequences: (last + 1)...(last + 1), queued: false))
        var spareOne = one.makeSpare()
        var spareAll = all.makeSpare()
        var spareSmall = small.makeSpare()
        one.take(into: &spareOne)
        #expect(all.take(into: &spareAll) == last)
        small.take(into: &spareSmall)
        #expect(transactions.count > 30)
        #expect(spareAll.count == transactions.count)
        #expect(spareAll.ends == spareOne.ends)
        #expect(spareAll.firstSequence == 11)
        #expect(Array(spareAll.entries(0..<30)) == Array(spareOne.entries(0..<30)))
        #expect(all.counters.lastSequence == one.counters.lastSequence)
        #expect(all.counters.overflowed == 0)
        #expect(spareSmall.count == 0)
        #expect(small.counters.overflowed == UInt64(transactions.count) + 1)
        #expect(small.append(events[0]) == EventReceipt(sequences: (last + 2)...(last + 2), queued: true))
    }

    // MARK: Helpers

    /// protobuf-c's encoding of a batch holding only `event` with sequence 99: one `events` entry.
    private func entry(_ event: ScoringEvent) -> [UInt8] {
        var event = event
        event.sequence = 99
        return EventBatch(events: [event]).serializedBytes()
    }

    private func withView<R>(_ transaction: Transaction, _ body: (Transaction.View) -> R) throws -> R {
        let bytes = ScoreBatchRequest(transactions: [transaction]).serializedBytes()
        return try bytes.withUnsafeBytes { raw in
            try ScoreBatchRequest.withView(serializedBytes: raw) { body($0.transactions[0]) }
        }
    }

    private func varint(_ value: Int) -> [UInt8] {
        var value = UInt64(value)
        var bytes: [UInt8] = []
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
        return bytes
    }
}
