import CProtobufC
import SentinelProtoC

/// Reports ground-truth labels that arrived after scoring (method `sentinel.v1.Monitor/ReportLabels`).
///
/// ```swift
/// var message = ReportLabelsRequest()
/// message.labels = [ReportLabelsRequest.Label()]
/// let decoded = try ReportLabelsRequest(serializedBytes: message.serializedBytes())
/// ```
public struct ReportLabelsRequest: WireMessage {
    /// The fully qualified protobuf name.
    public static let protoName = "sentinel.v1.ReportLabelsRequest"

    /// The labels; a transaction labelled twice keeps its latest label.
    public var labels: [ReportLabelsRequest.Label]

    /// Creates a message; every field defaults to its protobuf default.
    /// - Parameters:
    ///   - labels: The labels.
    public init(labels: [ReportLabelsRequest.Label] = []) {
        self.labels = labels
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

extension ReportLabelsRequest: ProtobufCMapped {
    typealias CMessage = Sentinel__V1__ReportLabelsRequest

    static func cInit(_ message: UnsafeMutablePointer<CMessage>) {
        sentinel__v1__report_labels_request__init(message)
    }

    static func cUnpack(
        _ allocator: UnsafeMutablePointer<ProtobufCAllocator>, _ count: Int, _ bytes: UnsafePointer<UInt8>
    ) -> UnsafeMutablePointer<CMessage>? {
        sentinel__v1__report_labels_request__unpack(allocator, count, bytes)
    }

    init(c pointer: UnsafePointer<CMessage>) throws {
        let c = pointer.pointee
        let labels: [ReportLabelsRequest.Label] = try decodeMessages(c.n_labels, c.labels)
        self.init(labels: labels)
    }

    func fill(_ c: inout CMessage, arena: inout CArena) {
        c.n_labels = labels.count
        c.labels = arena.messages(labels)
    }
}
