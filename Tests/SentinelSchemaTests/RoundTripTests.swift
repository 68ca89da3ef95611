import SentinelSchema
import Testing

/// One sample message, shown by its protobuf name in test output.
struct MessageCase: Sendable, CustomTestStringConvertible {
    let message: any WireMessage
    var testDescription: String { type(of: message).protoName }
}

@Suite("Round trip")
struct RoundTripTests {
    static let cases = Samples.all.map(MessageCase.init)

    @Test("A fully populated message survives encode and decode", arguments: cases)
    func populated(sample: MessageCase) throws {
        try checkRoundTrip(sample.message)
    }

    @Test("Empty bytes decode to the defaults, which round-trip", arguments: cases)
    func defaults(sample: MessageCase) throws {
        try checkDefaults(like: sample.message)
    }

    @Test(
        "Dropping the last byte of an encoding is an invalid message",
        arguments: cases.filter { !$0.message.serializedBytes().isEmpty })
    func truncated(sample: MessageCase) throws {
        try checkTruncation(sample.message)
    }

    @Test("Every enum value round-trips", arguments: ScoreDecision.allCases)
    func decisions(decision: ScoreDecision) throws {
        var response = Samples.scoreResponse
        response.decision = decision
        try checkRoundTrip(response)
        var event = Samples.scoringEvent(sequence: 3)
        event.decision = decision
        try checkRoundTrip(event)
    }

    @Test("Every alert level and kind round-trips", arguments: AlertLevel.allCases, AlertKind.allCases)
    func alerts(level: AlertLevel, kind: AlertKind) throws {
        try checkRoundTrip(MonitorSnapshotResponse.Alert(kind: kind, level: level))
        try checkRoundTrip(MonitorSnapshotResponse.FeatureDrift(status: level))
        try checkRoundTrip(MonitorSnapshotResponse.DriftReport(status: level))
        try checkRoundTrip(MonitorSnapshotResponse.RateStats(status: level))
        try checkRoundTrip(MonitorSnapshotResponse.WindowSummary(status: level))
    }

    @Test("Every fraud label round-trips", arguments: FraudLabel.allCases)
    func labels(label: FraudLabel) throws {
        try checkRoundTrip(ReportLabelsRequest(labels: [.init(transactionId: "tx", label: label)]))
    }

    @Test(
        "Strings: empty, short, long, non-ASCII",
        arguments: [
            "", "a", String(repeating: "x", count: 100_000), "Zürich ✓ 東京 🚀",
            "\u{7F}\u{80}\u{7FF}\u{800}\u{FFFF}\u{10000}\u{10FFFF}",
        ])
    func strings(text: String) throws {
        try checkRoundTrip(Transaction(id: text, cardId: text, terminalId: text))
        try checkRoundTrip(ModelInfoResponse(featureNames: [text, "", text]))
        try checkRoundTrip(HealthCheckRequest(service: text))
    }

    @Test("Scalars at their limits")
    func limits() throws {
        try checkRoundTrip(
            Transaction(
                eventTimeMicroseconds: .min, amount: -.greatestFiniteMagnitude,
                features: [.leastNonzeroMagnitude, -0.0, .infinity, -.infinity]))
        try checkRoundTrip(Transaction(eventTimeMicroseconds: .max, amount: .greatestFiniteMagnitude))
        try checkRoundTrip(SequenceRange(first: .max, last: .max))
        try checkRoundTrip(ScoreBatchResponse.ItemError(statusCode: .max))
        try checkRoundTrip(MonitorSnapshotRequest(historyWindows: .max))
    }

    @Test("NaN features keep their bit patterns")
    func nan() throws {
        let values: [Double] = [.nan, -.nan, .signalingNaN, Double(bitPattern: 0x7FF8_0000_DEAD_BEEF)]
        let decoded = try Transaction(serializedBytes: Transaction(features: values).serializedBytes())
        #expect(decoded.features.map(\.bitPattern) == values.map(\.bitPattern))
    }

    @Test("Large repeated fields", arguments: [0, 1, 30, 1_000, 250_000])
    func largeRepeated(count: Int) throws {
        try checkRoundTrip(Samples.transaction(features: count))
        try checkRoundTrip(
            EventBatch(
                producerId: "p", events: (0..<min(count, 5_000)).map { Samples.scoringEvent(sequence: UInt64($0)) }))
        try checkRoundTrip(ModelInfoResponse(featureNames: (0..<min(count, 5_000)).map { "feature_\($0)" }))
        try checkRoundTrip(
            ScoreBatchRequest(transactions: (0..<min(count, 2_000)).map { Samples.transaction(id: "tx-\($0)") }))
    }

    @Test("Presence: an absent optional differs from an empty one")
    func presence() throws {
        for version in [nil, "", "v1"] as [String?] {
            let request = ScoreRequest(transaction: Samples.transaction(), modelVersion: version)
            #expect(try ScoreRequest(serializedBytes: request.serializedBytes()).modelVersion == version)
            let batch = ScoreBatchRequest(modelVersion: version)
            #expect(try ScoreBatchRequest(serializedBytes: batch.serializedBytes()).modelVersion == version)
            let reload = ReloadModelRequest(expectedVersion: version)
            #expect(try ReloadModelRequest(serializedBytes: reload.serializedBytes()).expectedVersion == version)
            let snapshot = MonitorSnapshotRequest(modelVersion: version)
            #expect(try MonitorSnapshotRequest(serializedBytes: snapshot.serializedBytes()).modelVersion == version)
        }
        #expect(try MonitorSnapshotResponse.FeatureDrift(serializedBytes: [UInt8]()).exactKS == nil)
        let withKS = MonitorSnapshotResponse.FeatureDrift(exactKS: .init())
        #expect(try MonitorSnapshotResponse.FeatureDrift(serializedBytes: withKS.serializedBytes()).exactKS != nil)
    }

    @Test("Decoding accepts any contiguous or non-contiguous byte collection")
    func collections() throws {
        let transaction = Samples.transaction()
        let bytes = transaction.serializedBytes()
        var padded: [UInt8] = [1, 2, 3]
        transaction.serialize(into: &padded)
        #expect(try Transaction(serializedBytes: padded[3...]) == transaction)
        #expect(try Transaction(serializedBytes: bytes.reversed().reversed()) == transaction)
        #expect(try bytes.withUnsafeBytes { try Transaction(serializedBytes: $0) } == transaction)
    }
}

/// Encodes, checks the size and the appending form, decodes and compares.
func checkRoundTrip<M: WireMessage>(_ message: M, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let bytes = message.serializedBytes()
    #expect(bytes.count == message.serializedSize, sourceLocation: sourceLocation)
    let decoded = try M(serializedBytes: bytes)
    #expect(decoded == message, sourceLocation: sourceLocation)
    var appended: [UInt8] = [0xAB]
    appended.reserveCapacity(1)
    message.serialize(into: &appended)
    #expect(appended == [0xAB] + bytes, sourceLocation: sourceLocation)
    // Encoding is deterministic: the decoded value encodes to the same bytes.
    #expect(decoded.serializedBytes() == bytes, sourceLocation: sourceLocation)
}

func checkDefaults<M: WireMessage>(like sample: M) throws {
    if M.self == ScoreBatchResponse.Item.self {
        // An item must carry a score or an error; the empty encoding says neither.
        #expect(throws: SchemaError.self) { try M(serializedBytes: [UInt8]()) }
        return
    }
    let empty = try M(serializedBytes: [UInt8]())
    try checkRoundTrip(empty)
}

func checkTruncation<M: WireMessage>(_ message: M) throws {
    let bytes = message.serializedBytes()
    try #require(!bytes.isEmpty)
    #expect {
        try M(serializedBytes: bytes.dropLast())
    } throws: { error in
        (error as? SchemaError)?.code == .invalidMessage
    }
}
