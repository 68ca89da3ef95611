import CProtobufC
import SentinelProtoC

/// Asks for the live model's description (method `sentinel.v1.Scoring/ModelInfo`); has no fields.
///
/// ```swift
/// let bytes = ModelInfoRequest().serializedBytes()  // empty: the message has no fields
/// ```
public struct ModelInfoRequest: WireMessage {
    /// The fully qualified protobuf name.
    public static let protoName = "sentinel.v1.ModelInfoRequest"

    /// Creates the message (it has no fields).
    public init() {}

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

extension ModelInfoRequest: ProtobufCMapped {
    typealias CMessage = Sentinel__V1__ModelInfoRequest

    static func cInit(_ message: UnsafeMutablePointer<CMessage>) {
        sentinel__v1__model_info_request__init(message)
    }

    static func cUnpack(
        _ allocator: UnsafeMutablePointer<ProtobufCAllocator>, _ count: Int, _ bytes: UnsafePointer<UInt8>
    ) -> UnsafeMutablePointer<CMessage>? {
        sentinel__v1__model_info_request__unpack(allocator, count, bytes)
    }

    init(c pointer: UnsafePointer<CMessage>) throws {}

    func fill(_ c: inout CMessage, arena: inout CArena) {}
}
