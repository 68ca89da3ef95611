import SentinelSchema
import Testing

/// Encodings checked against the reference implementation: each fixture was produced or decoded with
/// `protoc --encode/--decode` (libprotoc 3.21.12) from Protos/sentinel.proto.
@Suite("Known bytes")
struct KnownBytesTests {
    /// `protoc --decode=sentinel.v1.Transaction`: id "t1", event_time_unix_us 1, card_id "c", terminal_id "d",
    /// amount 2.5, features [1, -2] (packed).
    static let transaction: [UInt8] = [
        0x0A, 0x02, 0x74, 0x31,  // 1: id, length 2, "t1"
        0x10, 0x01,  // 2: event_time_unix_us, varint 1
        0x1A, 0x01, 0x63,  // 3: card_id "c"
        0x22, 0x01, 0x64,  // 4: terminal_id "d"
        0x29, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x40,  // 5: amount, fixed64 2.5
        0x32, 0x10,  // 6: features, packed, 16 bytes
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xF0, 0x3F,  // 1.0
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xC0,  // -2.0
    ]

    @Test("Transaction")
    func transaction() throws {
        let value = Transaction(
            id: "t1", eventTimeMicroseconds: 1, cardId: "c", terminalId: "d", amount: 2.5, features: [1, -2])
        #expect(value.serializedBytes() == Self.transaction)
        #expect(try Transaction(serializedBytes: Self.transaction) == value)
    }

    @Test("Transaction with unpacked features (as older encoders send them) decodes the same")
    func unpackedFeatures() throws {
        let bytes: [UInt8] = [
            0x31, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xF0, 0x3F,  // 6: features, fixed64 1.0
            0x31, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xC0,  // 6: features, fixed64 -2.0
        ]
        #expect(try Transaction(serializedBytes: bytes).features == [1, -2])
    }

    @Test("Unknown fields are skipped")
    func unknownFields() throws {
        // Field 99 (varint 5) and field 100 (length-delimited "zz") from a newer schema.
        let bytes = Self.transaction + [0x98, 0x06, 0x05, 0xA2, 0x06, 0x02, 0x7A, 0x7A]
        #expect(try Transaction(serializedBytes: bytes) == Transaction(serializedBytes: Self.transaction))
    }

    /// `protoc --encode=sentinel.v1.ScoreResponse` of transaction_id "tx-1", fraud_probability 0.75,
    /// decision SCORE_DECISION_FLAG, model_version "v3", server_latency_ns 15000, threshold 0.5.
    @Test("ScoreResponse")
    func scoreResponse() throws {
        let bytes: [UInt8] = [
            0x0A, 0x04, 0x74, 0x78, 0x2D, 0x31, 0x11, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xE8, 0x3F, 0x18, 0x02,
            0x22, 0x02, 0x76, 0x33, 0x28, 0x98, 0x75, 0x31, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xE0, 0x3F,
        ]
        let value = ScoreResponse(
            transactionId: "tx-1", fraudProbability: 0.75, decision: .flag, modelVersion: "v3",
            serverLatencyNanoseconds: 15_000, threshold: 0.5)
        #expect(value.serializedBytes() == bytes)
        #expect(try ScoreResponse(serializedBytes: bytes) == value)
    }

    /// `protoc --encode=sentinel.v1.EventBatch` of producer_id "api-1", two events (sequence 7 with
    /// transaction_id "a", features [1.5], decision PASS; sequence 300), dropped_total 2.
    @Test("EventBatch")
    func eventBatch() throws {
        let bytes: [UInt8] = [
            0x0A, 0x05, 0x61, 0x70, 0x69, 0x2D, 0x31, 0x12, 0x11, 0x08, 0x07, 0x12, 0x01, 0x61, 0x42, 0x08, 0x00,
            0x00, 0x00, 0x00, 0x00, 0x00, 0xF8, 0x3F, 0x50, 0x01, 0x12, 0x03, 0x08, 0xAC, 0x02, 0x20, 0x02,
        ]
        let value = EventBatch(
            producerId: "api-1",
            events: [
                ScoringEvent(sequence: 7, transactionId: "a", features: [1.5], decision: .pass),
                ScoringEvent(sequence: 300),
            ],
            droppedTotal: 2)
        #expect(value.serializedBytes() == bytes)
        #expect(try EventBatch(serializedBytes: bytes) == value)
    }

    /// `protoc --encode=sentinel.v1.ScoreRequest` of transaction { id: "t1" } model_version: "": a present but
    /// empty oneof member is sent (field 2, length 0), unlike an absent one.
    @Test("ScoreRequest with an empty pinned version")
    func pinnedEmpty() throws {
        let bytes: [UInt8] = [0x0A, 0x04, 0x0A, 0x02, 0x74, 0x31, 0x12, 0x00]
        let value = ScoreRequest(transaction: Transaction(id: "t1"), modelVersion: "")
        #expect(value.serializedBytes() == bytes)
        #expect(try ScoreRequest(serializedBytes: bytes) == value)
        #expect(ScoreRequest(transaction: Transaction(id: "t1")).serializedBytes() == Array(bytes.prefix(6)))
    }
}
