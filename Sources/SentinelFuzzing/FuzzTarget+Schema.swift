import SentinelSchema

extension FuzzTarget {
    /// Every protobuf decode path: the typed `init(serializedBytes:)` of each top-level message (requests, responses
    /// and the messages stored on disk) and the in-place views `ScoreBatchRequest.View` and `EventBatch.View`.
    ///
    /// The first byte chooses the message. Checked: decoding succeeds or throws a `SchemaError`; a decoded message
    /// re-encodes to bytes that decode again and re-encode identically, with `serializedSize` their length; the views
    /// accept exactly what the copying decoders accept, refuse with the same error and read the same values; the
    /// wire count of a ScoreBatchRequest's transactions is what decoding finds.
    static let schema = FuzzTarget(
        name: "schema",
        summary: "protobuf decoding of every message and both views: round trips, views agree with copies",
        seeds: FuzzSeeds.messages
    ) { input throws(FuzzFinding) in
        guard let control = input.first else { return }
        let bytes = input.afterControlByte
        let type = SchemaMessages.all[Int(control) % SchemaMessages.all.count]
        try SchemaMessages.check(type, bytes)
        if type is ScoreBatchRequest.Type {
            try SchemaMessages.checkScoreBatchView(bytes)
        } else if type is EventBatch.Type {
            try SchemaMessages.checkEventBatchView(bytes)
        }
    }
}

/// The messages the schema target decodes, and its checks.
enum SchemaMessages {
    /// Every top-level message of `Protos/sentinel.proto` (nested ones are decoded inside their parents).
    static let all: [any WireMessage.Type] = [
        HealthCheckRequest.self, HealthCheckResponse.self,
        ScoreRequest.self, ScoreResponse.self, ScoreBatchRequest.self, ScoreBatchResponse.self,
        ModelInfoRequest.self, ModelInfoResponse.self, ReloadModelRequest.self, ReloadModelResponse.self,
        StatsRequest.self, StatsResponse.self,
        EventBatch.self, IngestAck.self, MonitorSnapshotRequest.self, MonitorSnapshotResponse.self,
        RegisterModelRequest.self, RegisterModelResponse.self, ReportLabelsRequest.self, ReportLabelsResponse.self,
        Transaction.self, ScoringEvent.self, LatencySummary.self, SequenceRange.self,
    ]

    /// Decoding `bytes` as `type`: the message, or the SchemaError it throws.
    static func decode<Message: WireMessage>(_ messageType: Message.Type, _ bytes: UnsafeRawBufferPointer)
        throws(FuzzFinding) -> Result<Message, SchemaError>
    {
        do {
            return .success(try Message(serializedBytes: bytes))
        } catch let error as SchemaError {
            return .failure(error)
        } catch {
            throw FuzzFinding("\(Message.protoName): decoding threw \(type(of: error)), not a SchemaError: \(error)")
        }
    }

    static func check<Message: WireMessage>(_ messageType: Message.Type, _ bytes: UnsafeRawBufferPointer)
        throws(FuzzFinding)
    {
        guard case .success(let message) = try decode(messageType, bytes) else { return }
        let encoded = message.serializedBytes()
        guard encoded.count == message.serializedSize else {
            throw FuzzFinding(
                "\(Message.protoName): serializedSize \(message.serializedSize), encoding has \(encoded.count) bytes")
        }
        let again = try encoded.withUnsafeBytes { bytes in
            Result { () throws(FuzzFinding) in try decode(messageType, bytes) }
        }.get()
        switch again {
        case .failure(let error):
            throw FuzzFinding("\(Message.protoName): its own encoding does not decode: \(error)")
        case .success(let decodedAgain):
            guard decodedAgain.serializedBytes() == encoded else {
                throw FuzzFinding("\(Message.protoName): decode → encode → decode → encode changed the bytes")
            }
        }
    }

    static func checkScoreBatchView(_ bytes: UnsafeRawBufferPointer) throws(FuzzFinding) {
        let copied = try decode(ScoreBatchRequest.self, bytes)
        let viewed: Result<ScoreBatchRequest, SchemaError>
        do {
            viewed = .success(
                try ScoreBatchRequest.withView(serializedBytes: bytes) { view in
                    ScoreBatchRequest(
                        transactions: view.transactions.map { $0.copy() }, modelVersion: view.modelVersion)
                })
        } catch let error as SchemaError {
            viewed = .failure(error)
        } catch {
            throw FuzzFinding("ScoreBatchRequest.View threw \(type(of: error)), not a SchemaError: \(error)")
        }
        try compare("ScoreBatchRequest", copied, viewed)
        let count = ScoreBatchRequest.transactionCount(serializedBytes: bytes)
        if case .success(let request) = copied, count != request.transactions.count {
            throw FuzzFinding(
                "ScoreBatchRequest.transactionCount says \(count.map(String.init) ?? "nil (broken framing)"), "
                    + "decoding found \(request.transactions.count)")
        }
    }

    static func checkEventBatchView(_ bytes: UnsafeRawBufferPointer) throws(FuzzFinding) {
        let copied = try decode(EventBatch.self, bytes)
        let viewed: Result<EventBatch, SchemaError>
        do {
            viewed = .success(try EventBatch.withView(serializedBytes: bytes) { $0.copy() })
        } catch let error as SchemaError {
            viewed = .failure(error)
        } catch {
            throw FuzzFinding("EventBatch.View threw \(type(of: error)), not a SchemaError: \(error)")
        }
        try compare("EventBatch", copied, viewed)
    }

    /// The view and the copying decoder agree: the same error, or messages with the same encoding (bytes, not
    /// `==`, so that a NaN reads as equal to itself).
    private static func compare<Message: WireMessage>(
        _ name: String, _ copied: Result<Message, SchemaError>, _ viewed: Result<Message, SchemaError>
    ) throws(FuzzFinding) {
        switch (copied, viewed) {
        case (.success(let copy), .success(let view)):
            guard copy.serializedBytes() == view.serializedBytes() else {
                throw FuzzFinding("\(name).View reads other values than \(name)(serializedBytes:)")
            }
        case (.failure(let copyError), .failure(let viewError)):
            guard copyError == viewError else {
                throw FuzzFinding(
                    "\(name).View refuses with '\(viewError)', \(name)(serializedBytes:) with '\(copyError)'")
            }
        case (.success, .failure(let error)):
            throw FuzzFinding("\(name).View refuses what \(name)(serializedBytes:) accepts: \(error)")
        case (.failure(let error), .success):
            throw FuzzFinding("\(name).View accepts what \(name)(serializedBytes:) refuses: \(error)")
        }
    }
}
