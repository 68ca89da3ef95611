import CProtobufC
import SentinelProtoC

/// One scored transaction, as the scoring service reports it to the monitor.
///
/// ```swift
/// var message = ScoringEvent()
/// message.sequence = 3
/// let decoded = try ScoringEvent(serializedBytes: message.serializedBytes())
/// ```
public struct ScoringEvent: WireMessage {
    /// The fully qualified protobuf name.
    public static let protoName = "sentinel.v1.ScoringEvent"

    /// The producer's sequence number for this event: starts at 1, +1 per event, never reused. (producer_id, sequence)
    /// identifies the event.
    public var sequence: UInt64

    /// The scored transaction's id.
    public var transactionId: String

    /// When the transaction happened, in microseconds since the Unix epoch.
    public var eventTimeMicroseconds: Int64

    /// When the server scored it, in microseconds since the Unix epoch.
    public var scoredAtMicroseconds: Int64

    /// The paying card's id (for per-card label metrics such as CP@100).
    public var cardId: String

    /// The terminal's id.
    public var terminalId: String

    /// The transaction amount.
    public var amount: Double

    /// The feature values the model saw, in the model's feature order; packed.
    public var features: [Double]

    /// The model's fraud probability, in [0, 1].
    public var fraudProbability: Double

    /// Flag or pass.
    public var decision: ScoreDecision

    /// The version of the model that scored it.
    public var modelVersion: String

    /// Server-side scoring latency of this transaction, in nanoseconds: a Score request's latency, or a ScoreBatch's
    /// per-transaction share (batch latency / transactions scored, at least 1).
    public var serverLatencyNanoseconds: UInt64

    /// Creates a message; every field defaults to its protobuf default.
    /// - Parameters:
    ///   - sequence: The producer's sequence number for this event.
    ///   - transactionId: The scored transaction's id.
    ///   - eventTimeMicroseconds: When the transaction happened, in microseconds since the Unix epoch.
    ///   - scoredAtMicroseconds: When the server scored it, in microseconds since the Unix epoch.
    ///   - cardId: The paying card's id (for per-card label metrics such as CP@100).
    ///   - terminalId: The terminal's id.
    ///   - amount: The transaction amount.
    ///   - features: The feature values the model saw, in the model's feature order.
    ///   - fraudProbability: The model's fraud probability, in [0, 1].
    ///   - decision: Flag or pass.
    ///   - modelVersion: The version of the model that scored it.
    ///   - serverLatencyNanoseconds: This transaction's server-side scoring latency, in nanoseconds (a batch's
    ///     per-transaction share).
    public init(
        sequence: UInt64 = 0,
        transactionId: String = "",
        eventTimeMicroseconds: Int64 = 0,
        scoredAtMicroseconds: Int64 = 0,
        cardId: String = "",
        terminalId: String = "",
        amount: Double = 0,
        features: [Double] = [],
        fraudProbability: Double = 0,
        decision: ScoreDecision = .unspecified,
        modelVersion: String = "",
        serverLatencyNanoseconds: UInt64 = 0
    ) {
        self.sequence = sequence
        self.transactionId = transactionId
        self.eventTimeMicroseconds = eventTimeMicroseconds
        self.scoredAtMicroseconds = scoredAtMicroseconds
        self.cardId = cardId
        self.terminalId = terminalId
        self.amount = amount
        self.features = features
        self.fraudProbability = fraudProbability
        self.decision = decision
        self.modelVersion = modelVersion
        self.serverLatencyNanoseconds = serverLatencyNanoseconds
    }

    /// Decodes the message from its protobuf encoding.
    /// - Parameter bytes: The encoded message.
    /// - Throws: ``SchemaError`` when the bytes are not a valid encoding of this message: malformed protobuf,
    ///   a string that is not UTF-8, or an enum number the schema does not define.
    public init(serializedBytes bytes: UnsafeRawBufferPointer) throws {
        self = try Self.decode(bytes)
    }

    /// Appends the protobuf encoding to `buffer`.
    /// - Parameter buffer: The buffer to append to.
    public func serialize(into buffer: inout [UInt8]) {
        withBorrowedCMessage { appendPacked($0, to: &buffer) }
    }

    /// The size in bytes of the protobuf encoding.
    public var serializedSize: Int { withBorrowedCMessage { protobuf_c_message_get_packed_size($0) } }
}

extension ScoringEvent: ProtobufCMapped {
    typealias CMessage = Sentinel__V1__ScoringEvent

    static func cInit(_ message: UnsafeMutablePointer<CMessage>) {
        sentinel__v1__scoring_event__init(message)
    }

    static func cUnpack(
        _ allocator: UnsafeMutablePointer<ProtobufCAllocator>, _ count: Int, _ bytes: UnsafePointer<UInt8>
    ) -> UnsafeMutablePointer<CMessage>? {
        sentinel__v1__scoring_event__unpack(allocator, count, bytes)
    }

    init(c pointer: UnsafePointer<CMessage>) throws {
        let c = pointer.pointee
        let sequence = c.sequence
        let transactionId = try decodeString(c.transaction_id, "transaction_id", in: Self.protoName)
        let eventTimeMicroseconds = c.event_time_unix_us
        let scoredAtMicroseconds = c.scored_at_unix_us
        let cardId = try decodeString(c.card_id, "card_id", in: Self.protoName)
        let terminalId = try decodeString(c.terminal_id, "terminal_id", in: Self.protoName)
        let amount = c.amount
        let features = decodeArray(c.n_features, c.features)
        let fraudProbability = c.fraud_probability
        let decision: ScoreDecision = try decodeEnum(c.decision.rawValue, "decision", in: Self.protoName)
        let modelVersion = try decodeString(c.model_version, "model_version", in: Self.protoName)
        let serverLatencyNanoseconds = c.server_latency_ns
        self.init(
            sequence: sequence, transactionId: transactionId, eventTimeMicroseconds: eventTimeMicroseconds,
            scoredAtMicroseconds: scoredAtMicroseconds, cardId: cardId, terminalId: terminalId, amount: amount,
            features: features, fraudProbability: fraudProbability, decision: decision, modelVersion: modelVersion,
            serverLatencyNanoseconds: serverLatencyNanoseconds)
    }

    func fill(_ c: inout CMessage, arena: inout CArena) {
        c.sequence = sequence
        if !transactionId.isEmpty { c.transaction_id = arena.cString(transactionId) }
        c.event_time_unix_us = eventTimeMicroseconds
        c.scored_at_unix_us = scoredAtMicroseconds
        if !cardId.isEmpty { c.card_id = arena.cString(cardId) }
        if !terminalId.isEmpty { c.terminal_id = arena.cString(terminalId) }
        c.amount = amount
        c.n_features = features.count
        c.features = arena.copy(features)
        c.fraud_probability = fraudProbability
        c.decision = .init(rawValue: numericCast(decision.rawValue))
        if !modelVersion.isEmpty { c.model_version = arena.cString(modelVersion) }
        c.server_latency_ns = serverLatencyNanoseconds
    }

    /// Runs `body` with a C struct that borrows this value's strings and arrays for the duration of the call.
    ///
    /// A flat message (no sub-messages) packs faster this way than through a ``CArena``: nothing is copied
    /// before protobuf-c reads it.
    @inline(__always)
    func withBorrowedCMessage<R>(_ body: (UnsafePointer<ProtobufCMessage>) -> R) -> R {
        transactionId.withCString { transactionIdPointer in
            cardId.withCString { cardIdPointer in
                terminalId.withCString { terminalIdPointer in
                    features.withUnsafeBufferPointer { featuresBuffer in
                        modelVersion.withCString { modelVersionPointer in
                            var c = CMessage()
                            Self.cInit(&c)
                            c.sequence = sequence
                            c.transaction_id = UnsafeMutablePointer(mutating: transactionIdPointer)
                            c.event_time_unix_us = eventTimeMicroseconds
                            c.scored_at_unix_us = scoredAtMicroseconds
                            c.card_id = UnsafeMutablePointer(mutating: cardIdPointer)
                            c.terminal_id = UnsafeMutablePointer(mutating: terminalIdPointer)
                            c.amount = amount
                            c.n_features = featuresBuffer.count
                            c.features = UnsafeMutablePointer(mutating: featuresBuffer.baseAddress)
                            c.fraud_probability = fraudProbability
                            c.decision = .init(rawValue: numericCast(decision.rawValue))
                            c.model_version = UnsafeMutablePointer(mutating: modelVersionPointer)
                            c.server_latency_ns = serverLatencyNanoseconds
                            return withUnsafePointer(to: &c) {
                                body(UnsafeRawPointer($0).assumingMemoryBound(to: ProtobufCMessage.self))
                            }
                        }
                    }
                }
            }
        }
    }
}
