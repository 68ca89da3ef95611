import CProtobufC
import SentinelProtoC

extension MonitorSnapshotResponse {
    /// An exact two-sample Kolmogorov–Smirnov test on a bounded reservoir sample.
    ///
    /// ```swift
    /// var message = MonitorSnapshotResponse.ExactKS()
    /// message.statistic = 0.5
    /// let decoded = try MonitorSnapshotResponse.ExactKS(serializedBytes: message.serializedBytes())
    /// ```
    public struct ExactKS: WireMessage {
        /// The fully qualified protobuf name.
        public static let protoName = "sentinel.v1.MonitorSnapshotResponse.ExactKS"

        /// The KS statistic, in [0, 1].
        public var statistic: Double

        /// The two-sided p-value.
        public var pValue: Double

        /// Values in the window's reservoir sample.
        public var sampleSize: UInt64

        /// Values in the reference sample.
        public var referenceSize: UInt64

        /// Creates a message; every field defaults to its protobuf default.
        /// - Parameters:
        ///   - statistic: The KS statistic, in [0, 1].
        ///   - pValue: The two-sided p-value.
        ///   - sampleSize: Values in the window's reservoir sample.
        ///   - referenceSize: Values in the reference sample.
        public init(statistic: Double = 0, pValue: Double = 0, sampleSize: UInt64 = 0, referenceSize: UInt64 = 0) {
            self.statistic = statistic
            self.pValue = pValue
            self.sampleSize = sampleSize
            self.referenceSize = referenceSize
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

extension MonitorSnapshotResponse.ExactKS: ProtobufCMapped {
    typealias CMessage = Sentinel__V1__MonitorSnapshotResponse__ExactKS

    static func cInit(_ message: UnsafeMutablePointer<CMessage>) {
        sentinel__v1__monitor_snapshot_response__exact_ks__init(message)
    }

    init(c pointer: UnsafePointer<CMessage>) throws {
        let c = pointer.pointee
        let statistic = c.statistic
        let pValue = c.p_value
        let sampleSize = c.sample_size
        let referenceSize = c.reference_size
        self.init(statistic: statistic, pValue: pValue, sampleSize: sampleSize, referenceSize: referenceSize)
    }

    func fill(_ c: inout CMessage, arena: inout CArena) {
        c.statistic = statistic
        c.p_value = pValue
        c.sample_size = sampleSize
        c.reference_size = referenceSize
    }

    /// Runs `body` with a C struct that borrows this value's strings and arrays for the duration of the call.
    ///
    /// A flat message (no sub-messages) packs faster this way than through a ``CArena``: nothing is copied
    /// before protobuf-c reads it.
    @inline(__always)
    func withBorrowedCMessage<R>(_ body: (UnsafePointer<ProtobufCMessage>) -> R) -> R {
        var c = CMessage()
        Self.cInit(&c)
        c.statistic = statistic
        c.p_value = pValue
        c.sample_size = sampleSize
        c.reference_size = referenceSize
        return withUnsafePointer(to: &c) { body(UnsafeRawPointer($0).assumingMemoryBound(to: ProtobufCMessage.self)) }
    }
}
