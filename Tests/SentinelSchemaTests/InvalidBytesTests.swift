import SentinelSchema
import Testing

@Suite("Invalid bytes")
struct InvalidBytesTests {
    static let garbage: [[UInt8]] = [
        [0xFF],  // a truncated varint tag
        [0x0A],  // a length-delimited field without its length
        [0x0A, 0x05, 0x61],  // a string longer than the bytes left
        [0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F],  // a 4 GiB length
        [0x29, 0x00, 0x00],  // a fixed64 cut short
        [0x07],  // field 0 is never valid
        [0x0B, 0x0C],  // deprecated group wire types
        [0x32, 0x03, 0x00, 0x00, 0x00],  // packed doubles not a multiple of 8 bytes
    ]

    @Test("Malformed protobuf is an invalid message", arguments: garbage)
    func malformed(bytes: [UInt8]) {
        #expect {
            try Transaction(serializedBytes: bytes)
        } throws: { error in
            let schemaError = error as? SchemaError
            return schemaError?.code == .invalidMessage
                && schemaError?.message.contains("sentinel.v1.Transaction") == true
        }
    }

    @Test("A string that is not UTF-8 is rejected, naming the field")
    func invalidUTF8() {
        #expect {
            try Transaction(serializedBytes: [0x1A, 0x02, 0xC3, 0x28] as [UInt8])
        } throws: { error in
            let schemaError = error as? SchemaError
            return (schemaError?.code == .invalidString || schemaError?.code == .invalidMessage)
                && schemaError?.description.contains("Transaction") == true
        }
    }

    @Test("A string holding U+0000 is rejected, naming the field, at any depth and on the in-place path")
    func nulInString() throws {
        // Transaction.id (field 1) = "evil\0id": protobuf-c alone would decode "evil".
        let transaction: [UInt8] = [0x0A, 0x07] + Array("evil".utf8) + [0x00] + Array("id".utf8)
        #expect(throws: SchemaError(.invalidString, "sentinel.v1.Transaction.id: string contains U+0000")) {
            try Transaction(serializedBytes: transaction)
        }
        // Nested: ScoreBatchRequest.transactions (field 1) holds it; the in-place reader refuses it too.
        let batch: [UInt8] = [0x0A, UInt8(transaction.count)] + transaction
        #expect(throws: SchemaError(.invalidString, "sentinel.v1.Transaction.id: string contains U+0000")) {
            try ScoreBatchRequest(serializedBytes: batch)
        }
        #expect(throws: SchemaError.self) {
            try batch.withUnsafeBytes { bytes in try ScoreBatchRequest.withView(serializedBytes: bytes) { _ in } }
        }
        // A NUL inside packed doubles is data, not a string: accepted.
        let features: [UInt8] = [0x32, 0x08] + [UInt8](repeating: 0, count: 8)
        #expect(try Transaction(serializedBytes: features).features == [0])
    }

    /// A decode expected to fail, named for the test output.
    struct FailingDecode: Sendable, CustomTestStringConvertible {
        let testDescription: String
        let decode: @Sendable () throws -> Void

        init(_ name: String, _ decode: @escaping @Sendable () throws -> Void) {
            self.testDescription = name
            self.decode = decode
        }
    }

    static let undefinedEnums: [FailingDecode] = [
        FailingDecode("ScoreResponse.decision") { _ = try ScoreResponse(serializedBytes: [0x18, 0x03] as [UInt8]) },
        FailingDecode("ScoringEvent.decision") { _ = try ScoringEvent(serializedBytes: [0x50, 0x7F] as [UInt8]) },
        FailingDecode("Alert.level") {
            _ = try MonitorSnapshotResponse.Alert(serializedBytes: [0x18, 0x04] as [UInt8])
        },
        FailingDecode("Alert.kind") {
            _ = try MonitorSnapshotResponse.Alert(serializedBytes: [0x08, 0x08] as [UInt8])
        },
        FailingDecode("Label.label, negative") {
            _ = try ReportLabelsRequest.Label(serializedBytes: [0x10, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F] as [UInt8])
        },
        FailingDecode("Label.label, nested in a request") {
            _ = try ReportLabelsRequest(serializedBytes: [0x0A, 0x02, 0x10, 0x09] as [UInt8])
        },
        FailingDecode("HealthCheckResponse.status") {
            _ = try HealthCheckResponse(serializedBytes: [0x08, 0x03] as [UInt8])
        },
    ]

    @Test("Enum numbers the schema does not define are rejected", arguments: undefinedEnums)
    func undefinedEnum(sample: FailingDecode) {
        #expect {
            try sample.decode()
        } throws: { error in
            (error as? SchemaError)?.code == .invalidEnumValue
        }
    }

    @Test("A batch item with neither score nor error is rejected")
    func emptyItem() {
        #expect {
            // ScoreBatchResponse { items: [ {} ] }
            try ScoreBatchResponse(serializedBytes: [0x0A, 0x00] as [UInt8])
        } throws: { error in
            (error as? SchemaError)?.code == .invalidMessage
        }
    }

    @Test("A wrong wire type for a known field is rejected")
    func wrongWireType() {
        // Field 5 (amount, a double) sent as a varint.
        #expect(throws: SchemaError.self) { _ = try Transaction(serializedBytes: [0x28, 0x01] as [UInt8]) }
    }
}
