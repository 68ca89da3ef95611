import CProtobufC
import SentinelProtoC

/// The monitor's acknowledgement of an event batch: sent only once the batch is applied and durably recorded.
///
/// ```swift
/// var message = IngestAck()
/// message.acknowledgedThrough = 3
/// let decoded = try IngestAck(serializedBytes: message.serializedBytes())
/// ```
public struct IngestAck: WireMessage {
    /// The fully qualified protobuf name.
    public static let protoName = "sentinel.v1.IngestAck"

    /// The highest sequence number of this batch now durably applied or recognised as a duplicate; the producer may
    /// forget every event up to it.
    public var acknowledgedThrough: UInt64

    /// Events of this batch applied for the first time.
    public var accepted: UInt64

    /// Events of this batch already applied before (acknowledged, not counted again).
    public var duplicates: UInt64

    /// Ranges of this producer's sequence numbers the monitor has never received, oldest first (bounded; the oldest are
    /// dropped first).
    public var gaps: [SequenceRange]

    /// Creates a message; every field defaults to its protobuf default.
    /// - Parameters:
    ///   - acknowledgedThrough: The highest sequence number of this batch now durably applied or recognised as a
    ///     duplicate.
    ///   - accepted: Events of this batch applied for the first time.
    ///   - duplicates: Events of this batch already applied before (acknowledged, not counted again).
    ///   - gaps: Ranges of this producer's sequence numbers the monitor has never received, oldest first (bounded.
    public init(
        acknowledgedThrough: UInt64 = 0,
        accepted: UInt64 = 0,
        duplicates: UInt64 = 0,
        gaps: [SequenceRange] = []
    ) {
        self.acknowledgedThrough = acknowledgedThrough
        self.accepted = accepted
        self.duplicates = duplicates
        self.gaps = gaps
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

extension IngestAck: ProtobufCMapped {
    typealias CMessage = Sentinel__V1__IngestAck

    static func cInit(_ message: UnsafeMutablePointer<CMessage>) {
        sentinel__v1__ingest_ack__init(message)
    }

    static func cUnpack(
        _ allocator: UnsafeMutablePointer<ProtobufCAllocator>, _ count: Int, _ bytes: UnsafePointer<UInt8>
    ) -> UnsafeMutablePointer<CMessage>? {
        sentinel__v1__ingest_ack__unpack(allocator, count, bytes)
    }

    init(c pointer: UnsafePointer<CMessage>) throws {
        let c = pointer.pointee
        let acknowledgedThrough = c.acknowledged_through
        let accepted = c.accepted
        let duplicates = c.duplicates
        let gaps: [SequenceRange] = try decodeMessages(c.n_gaps, c.gaps)
        self.init(acknowledgedThrough: acknowledgedThrough, accepted: accepted, duplicates: duplicates, gaps: gaps)
    }

    func fill(_ c: inout CMessage, arena: inout CArena) {
        c.acknowledged_through = acknowledgedThrough
        c.accepted = accepted
        c.duplicates = duplicates
        c.n_gaps = gaps.count
        c.gaps = arena.messages(gaps)
    }
}
