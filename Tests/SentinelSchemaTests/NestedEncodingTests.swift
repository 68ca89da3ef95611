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

    /// Found by the `schema` fuzz target (fuzz/crashes/schema/): 1,470 empty ModelSnapshots (3 KB) re-encoded with
    /// every default sub-message written out took 20 KB, and unpacking that took more than its budget.
    @Test("A sub-message without presence that holds only defaults is left out")
    func defaultSubMessagesAreOmitted() throws {
        #expect(ScoreRequest().serializedBytes().isEmpty)
        let snapshot = MonitorSnapshotResponse(
            models: Array(repeating: MonitorSnapshotResponse.ModelSnapshot(), count: 3))
        #expect(snapshot.serializedBytes() == [0x2A, 0x00, 0x2A, 0x00, 0x2A, 0x00])
        #expect(try MonitorSnapshotResponse(serializedBytes: snapshot.serializedBytes()) == snapshot)
        // A oneof member is always written, even empty: which member is set is itself the value (found by the same
        // target when empty sub-messages were first left out everywhere).
        let item = ScoreBatchResponse.Item(.score(ScoreResponse()))
        #expect(item.serializedBytes() == [0x0A, 0x00])
        #expect(try ScoreBatchResponse.Item(serializedBytes: item.serializedBytes()) == item)
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
        // The score's drift (field 14), empty here, is left out like every empty sub-message without presence: the
        // schema sends it only when history_features is asked.
        #expect(window.serializedBytes() == Self.field(9, Samples.latency.serializedBytes()))
        var withScore = window
        withScore.score = Samples.driftReport.score
        #expect(
            withScore.serializedBytes()
                == Self.field(9, Samples.latency.serializedBytes()) + Self.field(14, withScore.score.serializedBytes()))
        let alert = Samples.snapshot.alerts[0]
        #expect(MonitorSnapshotResponse(alerts: [alert]).serializedBytes() == Self.field(6, alert.serializedBytes()))
        let gaps = [SequenceRange(first: 1, last: 2), SequenceRange(first: 9, last: 300)]
        #expect(IngestAck(gaps: gaps).serializedBytes() == gaps.flatMap { Self.field(4, $0.serializedBytes()) })
    }
}
