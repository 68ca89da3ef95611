import CProtobufC
import SentinelProtoC

/// The scores of a batch: one item per request transaction, in request order.
///
/// ```swift
/// var message = ScoreBatchResponse()
/// message.items = [ScoreBatchResponse.Item()]
/// let decoded = try ScoreBatchResponse(serializedBytes: message.serializedBytes())
/// ```
public struct ScoreBatchResponse: WireMessage {
    /// The fully qualified protobuf name.
    public static let protoName = "sentinel.v1.ScoreBatchResponse"

    /// One result per transaction, in request order.
    public var items: [ScoreBatchResponse.Item]

    /// The version of the model that scored the batch (one model for the whole batch).
    public var modelVersion: String

    /// Time spent in the server on the whole batch, in nanoseconds.
    public var serverLatencyNanoseconds: UInt64

    /// Creates a message; every field defaults to its protobuf default.
    /// - Parameters:
    ///   - items: One result per transaction, in request order.
    ///   - modelVersion: The version of the model that scored the batch (one model for the whole batch).
    ///   - serverLatencyNanoseconds: Time spent in the server on the whole batch, in nanoseconds.
    public init(
        items: [ScoreBatchResponse.Item] = [],
        modelVersion: String = "",
        serverLatencyNanoseconds: UInt64 = 0
    ) {
        self.items = items
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
        encode(into: &buffer)
    }

    /// The size in bytes of the protobuf encoding.
    public var serializedSize: Int { packedSize() }
}

extension ScoreBatchResponse: ProtobufCMapped {
    typealias CMessage = Sentinel__V1__ScoreBatchResponse

    static func cInit(_ message: UnsafeMutablePointer<CMessage>) {
        sentinel__v1__score_batch_response__init(message)
    }

    static func cUnpack(
        _ allocator: UnsafeMutablePointer<ProtobufCAllocator>, _ count: Int, _ bytes: UnsafePointer<UInt8>
    ) -> UnsafeMutablePointer<CMessage>? {
        sentinel__v1__score_batch_response__unpack(allocator, count, bytes)
    }

    init(c pointer: UnsafePointer<CMessage>) throws {
        let c = pointer.pointee
        let items: [ScoreBatchResponse.Item] = try decodeMessages(c.n_items, c.items)
        let modelVersion = try decodeString(c.model_version, "model_version", in: Self.protoName)
        let serverLatencyNanoseconds = c.server_latency_ns
        self.init(items: items, modelVersion: modelVersion, serverLatencyNanoseconds: serverLatencyNanoseconds)
    }

    func fill(_ c: inout CMessage, arena: inout CArena) {
        c.n_items = items.count
        c.items = arena.messages(items)
        if !modelVersion.isEmpty { c.model_version = arena.cString(modelVersion) }
        c.server_latency_ns = serverLatencyNanoseconds
    }
}
