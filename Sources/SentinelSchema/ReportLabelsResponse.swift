import CProtobufC
import SentinelProtoC

/// The monitor's answer to a label report.
///
/// ```swift
/// var message = ReportLabelsResponse()
/// message.accepted = 3
/// let decoded = try ReportLabelsResponse(serializedBytes: message.serializedBytes())
/// ```
public struct ReportLabelsResponse: WireMessage {
    /// The fully qualified protobuf name.
    public static let protoName = "sentinel.v1.ReportLabelsResponse"

    /// Labels matched to a scored transaction and recorded.
    public var accepted: UInt64

    /// Labels whose transaction the monitor has not seen (kept for when its event arrives, up to a bound).
    public var unknownTransactions: UInt64

    /// Labels that replaced an earlier label for the same transaction.
    public var relabelled: UInt64

    /// Creates a message; every field defaults to its protobuf default.
    /// - Parameters:
    ///   - accepted: Labels matched to a scored transaction and recorded.
    ///   - unknownTransactions: Labels whose transaction the monitor has not seen (kept for when its event arrives, up
    ///     to a bound).
    ///   - relabelled: Labels that replaced an earlier label for the same transaction.
    public init(accepted: UInt64 = 0, unknownTransactions: UInt64 = 0, relabelled: UInt64 = 0) {
        self.accepted = accepted
        self.unknownTransactions = unknownTransactions
        self.relabelled = relabelled
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

extension ReportLabelsResponse: ProtobufCMapped {
    typealias CMessage = Sentinel__V1__ReportLabelsResponse

    static func cInit(_ message: UnsafeMutablePointer<CMessage>) {
        sentinel__v1__report_labels_response__init(message)
    }

    static func cUnpack(
        _ allocator: UnsafeMutablePointer<ProtobufCAllocator>, _ count: Int, _ bytes: UnsafePointer<UInt8>
    ) -> UnsafeMutablePointer<CMessage>? {
        sentinel__v1__report_labels_response__unpack(allocator, count, bytes)
    }

    init(c pointer: UnsafePointer<CMessage>) throws {
        let c = pointer.pointee
        let accepted = c.accepted
        let unknownTransactions = c.unknown_transactions
        let relabelled = c.relabelled
        self.init(accepted: accepted, unknownTransactions: unknownTransactions, relabelled: relabelled)
    }

    func fill(_ c: inout CMessage, arena: inout CArena) {
        c.accepted = accepted
        c.unknown_transactions = unknownTransactions
        c.relabelled = relabelled
    }

    /// Runs `body` with a C struct that borrows this value's strings and arrays for the duration of the call.
    ///
    /// A flat message (no sub-messages) packs faster this way than through a ``CArena``: nothing is copied
    /// before protobuf-c reads it.
    @inline(__always)
    func withBorrowedCMessage<R>(_ body: (UnsafePointer<ProtobufCMessage>) -> R) -> R {
        var c = CMessage()
        Self.cInit(&c)
        c.accepted = accepted
        c.unknown_transactions = unknownTransactions
        c.relabelled = relabelled
        return withUnsafePointer(to: &c) { body(UnsafeRawPointer($0).assumingMemoryBound(to: ProtobufCMessage.self)) }
    }
}
