import CProtobufC
import SentinelProtoC

/// The score of one transaction.
///
/// ```swift
/// var message = ScoreResponse()
/// message.transactionId = "example"
/// let decoded = try ScoreResponse(serializedBytes: message.serializedBytes())
/// ```
public struct ScoreResponse: WireMessage {
    /// The fully qualified protobuf name.
    public static let protoName = "sentinel.v1.ScoreResponse"

    /// The scored transaction's id.
    public var transactionId: String

    /// The model's fraud probability, in [0, 1].
    public var fraudProbability: Double

    /// Flag or pass at the model's threshold.
    public var decision: ScoreDecision

    /// The version of the model that produced the score.
    public var modelVersion: String

    /// Time spent in the server from decoding the request to encoding the response, in nanoseconds.
    public var serverLatencyNanoseconds: UInt64

    /// The decision threshold that was applied.
    public var threshold: Double

    /// Creates a message; every field defaults to its protobuf default.
    /// - Parameters:
    ///   - transactionId: The scored transaction's id.
    ///   - fraudProbability: The model's fraud probability, in [0, 1].
    ///   - decision: Flag or pass at the model's threshold.
    ///   - modelVersion: The version of the model that produced the score.
    ///   - serverLatencyNanoseconds: Time spent in the server from decoding the request to encoding the response, in
    ///     nanoseconds.
    ///   - threshold: The decision threshold that was applied.
    public init(
        transactionId: String = "",
        fraudProbability: Double = 0,
        decision: ScoreDecision = .unspecified,
        modelVersion: String = "",
        serverLatencyNanoseconds: UInt64 = 0,
        threshold: Double = 0
    ) {
        self.transactionId = transactionId
        self.fraudProbability = fraudProbability
        self.decision = decision
        self.modelVersion = modelVersion
        self.serverLatencyNanoseconds = serverLatencyNanoseconds
        self.threshold = threshold
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

extension ScoreResponse: ProtobufCMapped {
    typealias CMessage = Sentinel__V1__ScoreResponse

    static func cInit(_ message: UnsafeMutablePointer<CMessage>) {
        sentinel__v1__score_response__init(message)
    }

    static func cUnpack(
        _ allocator: UnsafeMutablePointer<ProtobufCAllocator>, _ count: Int, _ bytes: UnsafePointer<UInt8>
    ) -> UnsafeMutablePointer<CMessage>? {
        sentinel__v1__score_response__unpack(allocator, count, bytes)
    }

    init(c pointer: UnsafePointer<CMessage>) throws {
        let c = pointer.pointee
        let transactionId = try decodeString(c.transaction_id, "transaction_id", in: Self.protoName)
        let fraudProbability = c.fraud_probability
        let decision: ScoreDecision = try decodeEnum(c.decision.rawValue, "decision", in: Self.protoName)
        let modelVersion = try decodeString(c.model_version, "model_version", in: Self.protoName)
        let serverLatencyNanoseconds = c.server_latency_ns
        let threshold = c.threshold
        self.init(
            transactionId: transactionId, fraudProbability: fraudProbability, decision: decision,
            modelVersion: modelVersion, serverLatencyNanoseconds: serverLatencyNanoseconds, threshold: threshold)
    }

    func fill(_ c: inout CMessage, arena: inout CArena) {
        if !transactionId.isEmpty { c.transaction_id = arena.cString(transactionId) }
        c.fraud_probability = fraudProbability
        c.decision = .init(rawValue: numericCast(decision.rawValue))
        if !modelVersion.isEmpty { c.model_version = arena.cString(modelVersion) }
        c.server_latency_ns = serverLatencyNanoseconds
        c.threshold = threshold
    }

    /// Runs `body` with a C struct that borrows this value's strings and arrays for the duration of the call.
    ///
    /// A flat message (no sub-messages) packs faster this way than through a ``CArena``: nothing is copied
    /// before protobuf-c reads it.
    @inline(__always)
    func withBorrowedCMessage<R>(_ body: (UnsafePointer<ProtobufCMessage>) -> R) -> R {
        transactionId.withCString { transactionIdPointer in
            modelVersion.withCString { modelVersionPointer in
                var c = CMessage()
                Self.cInit(&c)
                c.transaction_id = UnsafeMutablePointer(mutating: transactionIdPointer)
                c.fraud_probability = fraudProbability
                c.decision = .init(rawValue: numericCast(decision.rawValue))
                c.model_version = UnsafeMutablePointer(mutating: modelVersionPointer)
                c.server_latency_ns = serverLatencyNanoseconds
                c.threshold = threshold
                return withUnsafePointer(to: &c) {
                    body(UnsafeRawPointer($0).assumingMemoryBound(to: ProtobufCMessage.self))
                }
            }
        }
    }
}
