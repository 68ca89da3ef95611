import SentinelProtoC

extension MonitorSnapshotResponse {
    /// A producer's sequence state as the monitor tracks it.
    ///
    /// ```swift
    /// var message = MonitorSnapshotResponse.Producer()
    /// message.producerId = "example"
    /// let decoded = try MonitorSnapshotResponse.Producer(serializedBytes: message.serializedBytes())
    /// ```
    public struct Producer: WireMessage {
        /// The fully qualified protobuf name.
        public static let protoName = "sentinel.v1.MonitorSnapshotResponse.Producer"

        /// The producer's id.
        public var producerId: String

        /// The highest sequence number received.
        public var lastSequence: UInt64

        /// Events accepted from it.
        public var events: UInt64

        /// Duplicate events it resent (acknowledged, not counted).
        public var duplicates: UInt64

        /// Sequence numbers below last_sequence never received.
        public var missing: UInt64

        /// The most recent missing ranges, oldest first (bounded).
        public var gaps: [SequenceRange]

        /// When its last batch arrived, in microseconds since the Unix epoch.
        public var lastSeenMicroseconds: Int64

        /// Events it reports having dropped itself (EventBatch.dropped_total).
        public var reportedDropped: UInt64

        /// Creates a message; every field defaults to its protobuf default.
        /// - Parameters:
        ///   - producerId: The producer's id.
        ///   - lastSequence: The highest sequence number received.
        ///   - events: Events accepted from it.
        ///   - duplicates: Duplicate events it resent (acknowledged, not counted).
        ///   - missing: Sequence numbers below last_sequence never received.
        ///   - gaps: The most recent missing ranges, oldest first (bounded).
        ///   - lastSeenMicroseconds: When its last batch arrived, in microseconds since the Unix epoch.
        ///   - reportedDropped: Events it reports having dropped itself (EventBatch.dropped_total).
        public init(
            producerId: String = "",
            lastSequence: UInt64 = 0,
            events: UInt64 = 0,
            duplicates: UInt64 = 0,
            missing: UInt64 = 0,
            gaps: [SequenceRange] = [],
            lastSeenMicroseconds: Int64 = 0,
            reportedDropped: UInt64 = 0
        ) {
            self.producerId = producerId
            self.lastSequence = lastSequence
            self.events = events
            self.duplicates = duplicates
            self.missing = missing
            self.gaps = gaps
            self.lastSeenMicroseconds = lastSeenMicroseconds
            self.reportedDropped = reportedDropped
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
}

extension MonitorSnapshotResponse.Producer: ProtobufCMapped {
    typealias CMessage = Sentinel__V1__MonitorSnapshotResponse__Producer

    static func cInit(_ message: UnsafeMutablePointer<CMessage>) {
        sentinel__v1__monitor_snapshot_response__producer__init(message)
    }

    init(c pointer: UnsafePointer<CMessage>) throws {
        let c = pointer.pointee
        let producerId = try decodeString(c.producer_id, "producer_id", in: Self.protoName)
        let lastSequence = c.last_sequence
        let events = c.events
        let duplicates = c.duplicates
        let missing = c.missing
        let gaps: [SequenceRange] = try decodeMessages(c.n_gaps, c.gaps)
        let lastSeenMicroseconds = c.last_seen_unix_us
        let reportedDropped = c.reported_dropped
        self.init(
            producerId: producerId, lastSequence: lastSequence, events: events, duplicates: duplicates,
            missing: missing, gaps: gaps, lastSeenMicroseconds: lastSeenMicroseconds, reportedDropped: reportedDropped)
    }

    func fill(_ c: inout CMessage, arena: inout CArena) {
        if !producerId.isEmpty { c.producer_id = arena.cString(producerId) }
        c.last_sequence = lastSequence
        c.events = events
        c.duplicates = duplicates
        c.missing = missing
        c.n_gaps = gaps.count
        c.gaps = arena.messages(gaps)
        c.last_seen_unix_us = lastSeenMicroseconds
        c.reported_dropped = reportedDropped
    }
}
