import CProtobufC
import SentinelProtoC

/// An inclusive range of sequence numbers.
///
/// ```swift
/// var message = SequenceRange()
/// message.first = 3
/// let decoded = try SequenceRange(serializedBytes: message.serializedBytes())
/// ```
public struct SequenceRange: WireMessage {
    /// The fully qualified protobuf name.
    public static let protoName = "sentinel.v1.SequenceRange"

    /// First sequence number in the range.
    public var first: UInt64

    /// Last sequence number in the range (inclusive; equal to `first` for one number).
    public var last: UInt64

    /// Creates a message; every field defaults to its protobuf default.
    /// - Parameters:
    ///   - first: First sequence number in the range.
    ///   - last: Last sequence number in the range (inclusive.
    public init(first: UInt64 = 0, last: UInt64 = 0) {
        self.first = first
        self.last = last
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

extension SequenceRange: ProtobufCMapped {
    typealias CMessage = Sentinel__V1__SequenceRange

    static func cInit(_ message: UnsafeMutablePointer<CMessage>) {
        sentinel__v1__sequence_range__init(message)
    }

    static func cUnpack(
        _ allocator: UnsafeMutablePointer<ProtobufCAllocator>, _ count: Int, _ bytes: UnsafePointer<UInt8>
    ) -> UnsafeMutablePointer<CMessage>? {
        sentinel__v1__sequence_range__unpack(allocator, count, bytes)
    }

    init(c pointer: UnsafePointer<CMessage>) throws {
        let c = pointer.pointee
        let first = c.first
        let last = c.last
        self.init(first: first, last: last)
    }

    func fill(_ c: inout CMessage, arena: inout CArena) {
        c.first = first
        c.last = last
    }

    /// Runs `body` with a C struct that borrows this value's strings and arrays for the duration of the call.
    ///
    /// A flat message (no sub-messages) packs faster this way than through a ``CArena``: nothing is copied
    /// before protobuf-c reads it.
    @inline(__always)
    func withBorrowedCMessage<R>(_ body: (UnsafePointer<ProtobufCMessage>) -> R) -> R {
        var c = CMessage()
        Self.cInit(&c)
        c.first = first
        c.last = last
        return withUnsafePointer(to: &c) { body(UnsafeRawPointer($0).assumingMemoryBound(to: ProtobufCMessage.self)) }
    }
}
