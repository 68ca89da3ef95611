import CProtobufC
import SentinelProtoC

/// Asks the scoring service to score one transaction (method `sentinel.v1.Scoring/Score`).
///
/// ```swift
/// let request = ScoreRequest(transaction: transaction, modelVersion: nil)
/// ```
public struct ScoreRequest: WireMessage {
    /// The fully qualified protobuf name.
    public static let protoName = "sentinel.v1.ScoreRequest"

    /// The transaction to score.
    public var transaction: Transaction

    /// Score with this model version only; absent means the live model. A version the server does not hold is
    /// INVALID_ARGUMENT.
    public var modelVersion: String?

    /// Creates a message; every field defaults to its protobuf default.
    /// - Parameters:
    ///   - transaction: The transaction to score.
    ///   - modelVersion: Score with this model version only.
    public init(transaction: Transaction = Transaction(), modelVersion: String? = nil) {
        self.transaction = transaction
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

extension ScoreRequest: ProtobufCMapped {
    typealias CMessage = Sentinel__V1__ScoreRequest

    static func cInit(_ message: UnsafeMutablePointer<CMessage>) {
        sentinel__v1__score_request__init(message)
    }

    static func cUnpack(
        _ allocator: UnsafeMutablePointer<ProtobufCAllocator>, _ count: Int, _ bytes: UnsafePointer<UInt8>
    ) -> UnsafeMutablePointer<CMessage>? {
        sentinel__v1__score_request__unpack(allocator, count, bytes)
    }

    init(c pointer: UnsafePointer<CMessage>) throws {
        let c = pointer.pointee
        let transaction: Transaction = try decodeMessage(c.transaction, default: Transaction())
        let modelVersion: String? =
            c.pinned_model_case == SENTINEL__V1__SCORE_REQUEST__PINNED_MODEL_MODEL_VERSION
            ? try decodeString(c.model_version, "model_version", in: Self.protoName) : nil
        self.init(transaction: transaction, modelVersion: modelVersion)
    }

    func fill(_ c: inout CMessage, arena: inout CArena) {
        c.transaction = arena.message(transaction)
        if let modelVersion {
            c.pinned_model_case = SENTINEL__V1__SCORE_REQUEST__PINNED_MODEL_MODEL_VERSION
            c.model_version = arena.cString(modelVersion)
        }
    }
}
