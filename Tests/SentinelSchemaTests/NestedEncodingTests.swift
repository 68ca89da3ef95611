import SentinelSchema
import Testing

/// Flat messages pack on their own by lending their storage to protobuf-c, and inside another message through
/// the arena; both paths must produce the same bytes.
@Suite("Nested and top-level encodings agree")
struct NestedEncodingTests {
    /// The bytes of a length-delimited field `number` holding `payload`.
    static func field(_ number: UInt8, _ payload: [UInt8]) -> [UInt8] {
        var bytes: [UInt8] = [number << 3 | 2]
        var length = payload.count
        while length >= 0x80 {
            bytes.append(UInt8(length & 0x7F) | 0x80)
            length >>= 7
        }
        bytes.append(UInt8(length))
        return bytes + payload
    }

    @Test("Transaction in ScoreRequest and ScoreBatchRequest", arguments: [0, 1, 30, 200])
    func transaction(features: Int) throws {
        let transaction = Samples.transaction(features: features)
        let alone = transaction.serializedBytes()
        #expect(ScoreRequest(transaction: transaction).serializedBytes() == Self.field(1, alone))
        #expect(
            ScoreBatchRequest(transactions: [transaction, transaction]).serializedBytes()
                == Self.field(1, alone) + Self.field(1, alone))
    }

    @Test("ScoringEvent in EventBatch")
    func event() throws {
        let events = (1...3).map { Samples.scoringEvent(sequence: $0) }
        #expect(EventBatch(events: events).serializedBytes() == events.flatMap { Self.field(2, $0.serializedBytes()) })
    }

    @Test("ScoreResponse and ItemError in a batch item")
    func items() throws {
        let score = Samples.scoreResponse
        let error = Samples.itemError
        #expect(ScoreBatchResponse.Item(.score(score)).serializedBytes() == Self.field(1, score.serializedBytes()))
        #expect(ScoreBatchResponse.Item(.error(error)).serializedBytes() == Self.field(2, error.serializedBytes()))
    }

    @Test("FeatureProfile, LatencySummary, Alert, SequenceRange inside their containers")
    func monitorParts() throws {
        let profile = Samples.featureProfile
        let reference = RegisterModelRequest.ReferenceProfile(features: [profile], score: profile)
        #expect(
            reference.serializedBytes()
                == Self.field(1, profile.serializedBytes()) + Self.field(2, profile.serializedBytes()))
        let window = MonitorSnapshotResponse.WindowSummary(latency: Samples.latency)
        // The score's drift (field 14) is a message field the mapping always writes, empty here.
        #expect(
            window.serializedBytes()
                == Self.field(9, Samples.latency.serializedBytes())
                + Self.field(14, MonitorSnapshotResponse.FeatureDrift().serializedBytes()))
        let alert = Samples.snapshot.alerts[0]
        #expect(MonitorSnapshotResponse(alerts: [alert]).serializedBytes() == Self.field(6, alert.serializedBytes()))
        let gaps = [SequenceRange(first: 1, last: 2), SequenceRange(first: 9, last: 300)]
        #expect(IngestAck(gaps: gaps).serializedBytes() == gaps.flatMap { Self.field(4, $0.serializedBytes()) })
    }
}
