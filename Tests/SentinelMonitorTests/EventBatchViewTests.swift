import SentinelTestSupport
import Testing

@testable import SentinelSchema

/// `EventBatch.withView` (the monitor's RPC decode path) against `EventBatch(serializedBytes:)`: the same
/// batches, the same errors.
@Suite("Event batch view decoding")
struct EventBatchViewTests {
    typealias Generator = SplitMix64Generator

    static let strings = ["", "t", "tx-0000000042", "Zürich ✓ 東京 🚀", String(repeating: "long-id-", count: 9)]

    static func randomEvent(_ generator: inout Generator) -> ScoringEvent {
        let featureCount = Int.random(in: 0...40, using: &generator)
        let features = (0..<featureCount).map { _ -> Double in
            switch Int.random(in: 0..<10, using: &generator) {
            case 0: .nan
            case 1: -.infinity
            case 2: -0.0
            default: Double.random(in: -1e6...1e6, using: &generator)
            }
        }
        return ScoringEvent(
            sequence: UInt64.random(in: 0...1_000, using: &generator),
            transactionId: strings.randomElement(using: &generator)!,
            eventTimeMicroseconds: Int64.random(in: -1_000_000...2_000_000_000_000_000, using: &generator),
            scoredAtMicroseconds: Int64.random(in: 0...2_000_000_000_000_000, using: &generator),
            cardId: strings.randomElement(using: &generator)!, terminalId: strings.randomElement(using: &generator)!,
            amount: Double.random(in: 0...5_000, using: &generator), features: features,
            fraudProbability: Bool.random(using: &generator) ? .nan : Double.random(in: -0.5...1.5, using: &generator),
            decision: ScoreDecision.allCases.randomElement(using: &generator)!,
            modelVersion: ["", "v1", "v2", "gbdt-2018-08-07"].randomElement(using: &generator)!,
            serverLatencyNanoseconds: UInt64.random(in: 0...UInt64.max, using: &generator))
    }

    static func randomBatch(_ generator: inout Generator) -> EventBatch {
        EventBatch(
            producerId: strings.randomElement(using: &generator)!,
            events: (0..<Int.random(in: 0...30, using: &generator)).map { _ in randomEvent(&generator) },
            sentAtMicroseconds: Int64.random(in: Int64.min...Int64.max, using: &generator),
            droppedTotal: UInt64.random(in: 0...UInt64.max, using: &generator))
    }

    /// The decoded batch, or the error, of each path; compared through encodings (NaN is not equal to itself).
    static func both(_ bytes: [UInt8]) -> (old: Result<[UInt8], SchemaError>, new: Result<[UInt8], SchemaError>) {
        let old: Result<[UInt8], SchemaError>
        let new: Result<[UInt8], SchemaError>
        do {
            old = .success(try EventBatch(serializedBytes: bytes).serializedBytes())
        } catch {
            old = .failure(error as! SchemaError)
        }
        do {
            new = .success(try EventBatch.withView(serializedBytes: bytes) { $0.copy().serializedBytes() })
        } catch {
            new = .failure(error as! SchemaError)
        }
        return (old, new)
    }

    @Test("random batches read in place equal the decoded ones, field by field", arguments: 0..<20)
    func randomBatches(seed: UInt64) throws {
        var generator = Generator(state: seed)
        let batch = Self.randomBatch(&generator)
        let bytes = batch.serializedBytes()
        let decoded = try EventBatch(serializedBytes: bytes)
        try EventBatch.withView(serializedBytes: bytes) { batchView in
            #expect(batchView.producerId == decoded.producerId)
            #expect(batchView.sentAtMicroseconds == decoded.sentAtMicroseconds)
            #expect(batchView.droppedTotal == decoded.droppedTotal)
            #expect(batchView.count == decoded.events.count)
            for (index, event) in decoded.events.enumerated() {
                let view = batchView[index]
                #expect(view.sequence == event.sequence)
                #expect(view.transactionId == event.transactionId)
                #expect(view.hasTransactionId == !event.transactionId.isEmpty)
                #expect(view.cardId == event.cardId)
                #expect(view.terminalId == event.terminalId)
                #expect(view.modelVersion == event.modelVersion)
                #expect(view.hasModelVersion(event.modelVersion))
                #expect(!view.hasModelVersion(event.modelVersion + "x"))
                #expect(view.decision == event.decision)
                #expect(view.serverLatencyNanoseconds == event.serverLatencyNanoseconds)
                #expect(view.eventTimeMicroseconds == event.eventTimeMicroseconds)
                #expect(view.scoredAtMicroseconds == event.scoredAtMicroseconds)
                #expect(view.amount.bitPattern == event.amount.bitPattern)
                #expect(view.fraudProbability.bitPattern == event.fraudProbability.bitPattern)
                #expect(view.features.map(\.bitPattern) == event.features.map(\.bitPattern))
                for (otherIndex, other) in decoded.events.enumerated() {
                    #expect(
                        view.hasSameModelVersion(as: batchView[otherIndex])
                            == (event.modelVersion == other.modelVersion)
                    )
                }
            }
            #expect(batchView.copy().serializedBytes() == decoded.serializedBytes())
        }
    }

    @Test("an empty payload is an empty batch")
    func empty() throws {
        let count = try EventBatch.withView(serializedBytes: [UInt8]()) { batch in
            #expect(batch.producerId.isEmpty)
            return batch.count
        }
        #expect(count == 0)
    }

    @Test("mutated and truncated encodings decode, or fail with the same error, on both paths", arguments: 0..<10)
    func mutations(seed: UInt64) {
        var generator = Generator(state: 1_000 + seed)
        let bytes = Self.randomBatch(&generator).serializedBytes()
        for round in 0..<200 {
            var mutated = bytes
            if round % 4 == 0, !mutated.isEmpty {
                mutated.removeLast(Int.random(in: 1...mutated.count, using: &generator))
            } else if !mutated.isEmpty {
                for _ in 0..<Int.random(in: 1...3, using: &generator) {
                    mutated[Int.random(in: 0..<mutated.count, using: &generator)] = UInt8.random(
                        in: 0...255, using: &generator)
                }
            }
            let (old, new) = Self.both(mutated)
            #expect(old == new, "round \(round): \(old) vs \(new)")
        }
    }

    /// An EventBatch holding one ScoringEvent whose bytes are `event`.
    static func wrapping(_ event: [UInt8]) -> [UInt8] {
        [0x0A, 0x01, 0x70, 0x12, UInt8(event.count)] + event
    }

    static let badEvents: [(String, [UInt8])] = [
        ("transaction_id", [0x12, 0x02, 0xC3, 0x28]),
        ("card_id", [0x2A, 0x01, 0xFF]),
        ("terminal_id", [0x32, 0x02, 0xE2, 0x82]),
        ("decision", [0x50, 0x07]),
        ("model_version", [0x5A, 0x03, 0xF0, 0x9F, 0x98]),
        // The first bad field in decoding order is the one named.
        ("card_id", [0x2A, 0x01, 0xFF, 0x5A, 0x01, 0xFF]),
    ]

    @Test("an invalid string or decision fails both paths with the same error naming the field", arguments: badEvents)
    func badFields(field: String, event: [UInt8]) {
        let (old, new) = Self.both(Self.wrapping(event))
        #expect(old == new)
        guard case .failure(let error) = new else {
            Issue.record("the view path accepted an invalid \(field)")
            return
        }
        #expect(error.message.contains("ScoringEvent.\(field)"))
    }

    @Test("a producer id that is not UTF-8 fails both paths alike")
    func badProducer() {
        let (old, new) = Self.both([0x0A, 0x01, 0xFF])
        #expect(old == new)
        if case .success = new { Issue.record("accepted") }
    }

    @Test("the body's own error passes through unchanged")
    func bodyError() {
        struct Marker: Error {}
        #expect(throws: Marker.self) {
            try EventBatch.withView(serializedBytes: EventBatch(producerId: "p").serializedBytes()) { _ in
                throw Marker()
            }
        }
    }

    /// Payloads encoders do not write but protobuf-c accepts or refuses; both paths must agree on each.
    static let unusual: [(String, [UInt8])] = [
        ("non-ASCII string", wrapping([0x12, 0x02, 0xC3, 0xA9])),
        ("NUL inside a string", wrapping([0x12, 0x03, 0x61, 0x00, 0x62])),
        ("unpacked features", wrapping([0x41, 0, 0, 0, 0, 0, 0, 0xF0, 0x3F])),
        ("a singular field twice", wrapping([0x08, 0x01, 0x08, 0x02])),
        ("a non-canonical varint", wrapping([0x08, 0x81, 0x00])),
        ("an unknown field", wrapping([0x68, 0x01])),
        ("an undefined decision", wrapping([0x50, 0x03])),
        ("a two-byte tag", [0x8A, 0x00, 0x01, 0x70]),
        ("features not a multiple of 8 bytes", wrapping([0x42, 0x03, 0, 0, 0])),
    ]

    @Test("unusual encodings give the decoded path's batch or error", arguments: unusual)
    func unusualEncodings(name: String, bytes: [UInt8]) {
        let (old, new) = Self.both(bytes)
        #expect(old == new, "\(name)")
    }

    @Test("concatenated batches (the reporter's coalesced requests) are read as protobuf-c merges them")
    func coalesced() throws {
        var generator = Generator(state: 99)
        var parts: [EventBatch] = []
        for number in 0..<3 {
            var part = EventBatch(
                producerId: "vm-\(number % 2)", events: (0..<4).map { _ in Self.randomEvent(&generator) },
                sentAtMicroseconds: Int64(100 + number), droppedTotal: UInt64(number))
            for index in part.events.indices {
                part.events[index].transactionId = "t\(number)-\(index)"
                part.events[index].cardId = "c"
                part.events[index].terminalId = "x"
            }
            parts.append(part)
        }
        let bytes = parts.flatMap { $0.serializedBytes() }
        let merged = try EventBatch(serializedBytes: bytes)
        #expect(merged.producerId == "vm-0" && merged.sentAtMicroseconds == 102 && merged.droppedTotal == 2)
        #expect(merged.events.count == 12)
        let (old, new) = Self.both(bytes)
        #expect(old == new)
        #expect(try new.get() == merged.serializedBytes())
    }
}
