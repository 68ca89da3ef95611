import CProtobufC
import SentinelProtoC

extension StatsResponse {
    /// Counters of scoring events on their way to the monitor (at-least-once delivery).
    ///
    /// ```swift
    /// var message = StatsResponse.EventDelivery()
    /// message.sent = 3
    /// let decoded = try StatsResponse.EventDelivery(serializedBytes: message.serializedBytes())
    /// ```
    public struct EventDelivery: WireMessage {
        /// The fully qualified protobuf name.
        public static let protoName = "sentinel.v1.StatsResponse.EventDelivery"

        /// Events sent to the monitor (including resends).
        public var sent: UInt64

        /// Events the monitor acknowledged as durably applied.
        public var acknowledged: UInt64

        /// Events written to the disk spool because the queue was full or the monitor unreachable.
        public var spooled: UInt64

        /// Spooled events replayed to the monitor.
        public var replayed: UInt64

        /// Events dropped because the spool was full (lost to monitoring; logged).
        public var dropped: UInt64

        /// Events in the in-memory queue now.
        public var queued: UInt64

        /// Size of the spool on disk now, in bytes.
        public var spoolBytes: UInt64

        /// The last sequence number assigned by this producer.
        public var lastSequence: UInt64

        /// Creates a message; every field defaults to its protobuf default.
        /// - Parameters:
        ///   - sent: Events sent to the monitor (including resends).
        ///   - acknowledged: Events the monitor acknowledged as durably applied.
        ///   - spooled: Events written to the disk spool because the queue was full or the monitor unreachable.
        ///   - replayed: Spooled events replayed to the monitor.
        ///   - dropped: Events dropped because the spool was full (lost to monitoring.
        ///   - queued: Events in the in-memory queue now.
        ///   - spoolBytes: Size of the spool on disk now, in bytes.
        ///   - lastSequence: The last sequence number assigned by this producer.
        public init(
            sent: UInt64 = 0,
            acknowledged: UInt64 = 0,
            spooled: UInt64 = 0,
            replayed: UInt64 = 0,
            dropped: UInt64 = 0,
            queued: UInt64 = 0,
            spoolBytes: UInt64 = 0,
            lastSequence: UInt64 = 0
        ) {
            self.sent = sent
            self.acknowledged = acknowledged
            self.spooled = spooled
            self.replayed = replayed
            self.dropped = dropped
            self.queued = queued
            self.spoolBytes = spoolBytes
            self.lastSequence = lastSequence
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
}

extension StatsResponse.EventDelivery: ProtobufCMapped {
    typealias CMessage = Sentinel__V1__StatsResponse__EventDelivery

    static func cInit(_ message: UnsafeMutablePointer<CMessage>) {
        sentinel__v1__stats_response__event_delivery__init(message)
    }

    init(c pointer: UnsafePointer<CMessage>) throws {
        let c = pointer.pointee
        let sent = c.sent
        let acknowledged = c.acknowledged
        let spooled = c.spooled
        let replayed = c.replayed
        let dropped = c.dropped
        let queued = c.queued
        let spoolBytes = c.spool_bytes
        let lastSequence = c.last_sequence
        self.init(
            sent: sent, acknowledged: acknowledged, spooled: spooled, replayed: replayed, dropped: dropped,
            queued: queued, spoolBytes: spoolBytes, lastSequence: lastSequence)
    }

    func fill(_ c: inout CMessage, arena: inout CArena) {
        c.sent = sent
        c.acknowledged = acknowledged
        c.spooled = spooled
        c.replayed = replayed
        c.dropped = dropped
        c.queued = queued
        c.spool_bytes = spoolBytes
        c.last_sequence = lastSequence
    }

    /// Runs `body` with a C struct that borrows this value's strings and arrays for the duration of the call.
    ///
    /// A flat message (no sub-messages) packs faster this way than through a ``CArena``: nothing is copied
    /// before protobuf-c reads it.
    @inline(__always)
    func withBorrowedCMessage<R>(_ body: (UnsafePointer<ProtobufCMessage>) -> R) -> R {
        var c = CMessage()
        Self.cInit(&c)
        c.sent = sent
        c.acknowledged = acknowledged
        c.spooled = spooled
        c.replayed = replayed
        c.dropped = dropped
        c.queued = queued
        c.spool_bytes = spoolBytes
        c.last_sequence = lastSequence
        return withUnsafePointer(to: &c) { body(UnsafeRawPointer($0).assumingMemoryBound(to: ProtobufCMessage.self)) }
    }
}
