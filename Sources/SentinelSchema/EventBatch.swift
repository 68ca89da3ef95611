import CProtobufC
import SentinelProtoC

/// A batch of scoring events from one producer (method `sentinel.v1.Monitor/IngestEvents`).
///
/// ```swift
/// var message = EventBatch()
/// message.producerId = "example"
/// let decoded = try EventBatch(serializedBytes: message.serializedBytes())
/// ```
public struct EventBatch: WireMessage {
    /// The fully qualified protobuf name.
    public static let protoName = "sentinel.v1.EventBatch"

    /// Identifies the producer's sequence space; unique per API replica and stable across its restarts when its spool
    /// survives.
    public var producerId: String

    /// The events, in increasing sequence order; sequence numbers need not be contiguous (dropped events leave gaps).
    public var events: [ScoringEvent]

    /// When the producer sent the batch, in microseconds since the Unix epoch.
    public var sentAtMicroseconds: Int64

    /// Events the producer has dropped since it started (spool full), so the monitor can tell expected gaps from lost
    /// ones.
    public var droppedTotal: UInt64

    /// Creates a message; every field defaults to its protobuf default.
    /// - Parameters:
    ///   - producerId: Identifies the producer's sequence space.
    ///   - events: The events, in increasing sequence order.
    ///   - sentAtMicroseconds: When the producer sent the batch, in microseconds since the Unix epoch.
    ///   - droppedTotal: Events the producer has dropped since it started (spool full), so the monitor can tell
    ///     expected gaps from lost ones.
    public init(
        producerId: String = "",
        events: [ScoringEvent] = [],
        sentAtMicroseconds: Int64 = 0,
        droppedTotal: UInt64 = 0
    ) {
        self.producerId = producerId
        self.events = events
        self.sentAtMicroseconds = sentAtMicroseconds
        self.droppedTotal = droppedTotal
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

extension EventBatch: ProtobufCMapped {
    typealias CMessage = Sentinel__V1__EventBatch

    static func cInit(_ message: UnsafeMutablePointer<CMessage>) {
        sentinel__v1__event_batch__init(message)
    }

    static func cUnpack(
        _ allocator: UnsafeMutablePointer<ProtobufCAllocator>, _ count: Int, _ bytes: UnsafePointer<UInt8>
    ) -> UnsafeMutablePointer<CMessage>? {
        sentinel__v1__event_batch__unpack(allocator, count, bytes)
    }

    init(c pointer: UnsafePointer<CMessage>) throws {
        let c = pointer.pointee
        let producerId = try decodeString(c.producer_id, "producer_id", in: Self.protoName)
        let events: [ScoringEvent] = try decodeMessages(c.n_events, c.events)
        let sentAtMicroseconds = c.sent_at_unix_us
        let droppedTotal = c.dropped_total
        self.init(
            producerId: producerId, events: events, sentAtMicroseconds: sentAtMicroseconds, droppedTotal: droppedTotal)
    }

    func fill(_ c: inout CMessage, arena: inout CArena) {
        if !producerId.isEmpty { c.producer_id = arena.cString(producerId) }
        c.n_events = events.count
        c.events = arena.messages(events)
        c.sent_at_unix_us = sentAtMicroseconds
        c.dropped_total = droppedTotal
    }
}
