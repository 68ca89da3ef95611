import CProtobufC
import SentinelProtoC

/// Gives the monitor a model version's reference profile (method `sentinel.v1.Monitor/RegisterModel`).
///
/// ```swift
/// var message = RegisterModelRequest()
/// message.modelVersion = "example"
/// let decoded = try RegisterModelRequest(serializedBytes: message.serializedBytes())
/// ```
public struct RegisterModelRequest: WireMessage {
    /// The fully qualified protobuf name.
    public static let protoName = "sentinel.v1.RegisterModelRequest"

    /// The model version the reference belongs to.
    public var modelVersion: String

    /// The training distribution to compare live traffic with.
    public var reference: RegisterModelRequest.ReferenceProfile

    /// The model's decision threshold.
    public var threshold: Double

    /// The learner, for display.
    public var learner: String

    /// The registering producer, for logs.
    public var producerId: String

    /// Creates a message; every field defaults to its protobuf default.
    /// - Parameters:
    ///   - modelVersion: The model version the reference belongs to.
    ///   - reference: The training distribution to compare live traffic with.
    ///   - threshold: The model's decision threshold.
    ///   - learner: The learner, for display.
    ///   - producerId: The registering producer, for logs.
    public init(
        modelVersion: String = "",
        reference: RegisterModelRequest.ReferenceProfile = RegisterModelRequest.ReferenceProfile(),
        threshold: Double = 0,
        learner: String = "",
        producerId: String = ""
    ) {
        self.modelVersion = modelVersion
        self.reference = reference
        self.threshold = threshold
        self.learner = learner
        self.producerId = producerId
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

extension RegisterModelRequest: ProtobufCMapped {
    typealias CMessage = Sentinel__V1__RegisterModelRequest

    static func cInit(_ message: UnsafeMutablePointer<CMessage>) {
        sentinel__v1__register_model_request__init(message)
    }

    static func cUnpack(
        _ allocator: UnsafeMutablePointer<ProtobufCAllocator>, _ count: Int, _ bytes: UnsafePointer<UInt8>
    ) -> UnsafeMutablePointer<CMessage>? {
        sentinel__v1__register_model_request__unpack(allocator, count, bytes)
    }

    init(c pointer: UnsafePointer<CMessage>) throws {
        let c = pointer.pointee
        let modelVersion = try decodeString(c.model_version, "model_version", in: Self.protoName)
        let reference: RegisterModelRequest.ReferenceProfile = try decodeMessage(
            c.reference, default: RegisterModelRequest.ReferenceProfile())
        let threshold = c.threshold
        let learner = try decodeString(c.learner, "learner", in: Self.protoName)
        let producerId = try decodeString(c.producer_id, "producer_id", in: Self.protoName)
        self.init(
            modelVersion: modelVersion, reference: reference, threshold: threshold, learner: learner,
            producerId: producerId)
    }

    func fill(_ c: inout CMessage, arena: inout CArena) {
        if !modelVersion.isEmpty { c.model_version = arena.cString(modelVersion) }
        c.reference = arena.message(reference)
        c.threshold = threshold
        if !learner.isEmpty { c.learner = arena.cString(learner) }
        if !producerId.isEmpty { c.producer_id = arena.cString(producerId) }
    }
}
