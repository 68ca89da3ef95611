import CProtobufC
import SentinelProtoC

/// Asks the scoring service to score several transactions (method `sentinel.v1.Scoring/ScoreBatch`).
///
/// ```swift
/// var message = ScoreBatchRequest()
/// message.transactions = [Transaction()]
/// let decoded = try ScoreBatchRequest(serializedBytes: message.serializedBytes())
/// ```
public struct ScoreBatchRequest: WireMessage {
    /// The fully qualified protobuf name.
    public static let protoName = "sentinel.v1.ScoreBatchRequest"

    /// The transactions, at least one and at most the server's documented limit.
    public var transactions: [Transaction]

    /// Score with this model version only; absent means the live model.
    public var modelVersion: String?

    /// Creates a message; every field defaults to its protobuf default.
    /// - Parameters:
    ///   - transactions: The transactions, at least one and at most the server's documented limit.
    ///   - modelVersion: Score with this model version only.
    public init(transactions: [Transaction] = [], modelVersion: String? = nil) {
        self.transactions = transactions
        self.modelVersion = modelVersion
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
        encode(into: &buffer)
    }

    /// The size in bytes of the protobuf encoding.
    public var serializedSize: Int { packedSize() }
}

extension ScoreBatchRequest: ProtobufCMapped {
    typealias CMessage = Sentinel__V1__ScoreBatchRequest

    static func cInit(_ message: UnsafeMutablePointer<CMessage>) {
        sentinel__v1__score_batch_request__init(message)
    }

    static func cUnpack(
        _ allocator: UnsafeMutablePointer<ProtobufCAllocator>, _ count: Int, _ bytes: UnsafePointer<UInt8>
    ) -> UnsafeMutablePointer<CMessage>? {
        sentinel__v1__score_batch_request__unpack(allocator, count, bytes)
    }

    init(c pointer: UnsafePointer<CMessage>) throws {
        let c = pointer.pointee
        let transactions: [Transaction] = try decodeMessages(c.n_transactions, c.transactions)
        let modelVersion: String? =
            c.pinned_model_case == SENTINEL__V1__SCORE_BATCH_REQUEST__PINNED_MODEL_MODEL_VERSION
            ? try decodeString(c.model_version, "model_version", in: Self.protoName) : nil
        self.init(transactions: transactions, modelVersion: modelVersion)
    }

    func fill(_ c: inout CMessage, arena: inout CArena) {
        c.n_transactions = transactions.count
        c.transactions = arena.messages(transactions)
        if let modelVersion {
            c.pinned_model_case = SENTINEL__V1__SCORE_BATCH_REQUEST__PINNED_MODEL_MODEL_VERSION
            c.model_version = arena.cString(modelVersion)
        }
    }
}
