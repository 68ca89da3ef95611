import CProtobufC
import SentinelProtoC

extension ModelInfoResponse {
    /// The period a model was trained on.
    ///
    /// ```swift
    /// var message = ModelInfoResponse.TrainingWindow()
    /// message.startMicroseconds = 1_533_081_600_000_000
    /// let decoded = try ModelInfoResponse.TrainingWindow(serializedBytes: message.serializedBytes())
    /// ```
    public struct TrainingWindow: WireMessage {
        /// The fully qualified protobuf name.
        public static let protoName = "sentinel.v1.ModelInfoResponse.TrainingWindow"

        /// Start of the training data, inclusive, in microseconds since the Unix epoch.
        public var startMicroseconds: Int64

        /// End of the training data, exclusive, in microseconds since the Unix epoch.
        public var endMicroseconds: Int64

        /// Number of training rows.
        public var rows: UInt64

        /// Number of training rows labelled fraud.
        public var frauds: UInt64

        /// Creates a message; every field defaults to its protobuf default.
        /// - Parameters:
        ///   - startMicroseconds: Start of the training data, inclusive, in microseconds since the Unix epoch.
        ///   - endMicroseconds: End of the training data, exclusive, in microseconds since the Unix epoch.
        ///   - rows: Number of training rows.
        ///   - frauds: Number of training rows labelled fraud.
        public init(startMicroseconds: Int64 = 0, endMicroseconds: Int64 = 0, rows: UInt64 = 0, frauds: UInt64 = 0) {
            self.startMicroseconds = startMicroseconds
            self.endMicroseconds = endMicroseconds
            self.rows = rows
            self.frauds = frauds
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

extension ModelInfoResponse.TrainingWindow: ProtobufCMapped {
    typealias CMessage = Sentinel__V1__ModelInfoResponse__TrainingWindow

    static func cInit(_ message: UnsafeMutablePointer<CMessage>) {
        sentinel__v1__model_info_response__training_window__init(message)
    }

    init(c pointer: UnsafePointer<CMessage>) throws {
        let c = pointer.pointee
        let startMicroseconds = c.start_unix_us
        let endMicroseconds = c.end_unix_us
        let rows = c.rows
        let frauds = c.frauds
        self.init(startMicroseconds: startMicroseconds, endMicroseconds: endMicroseconds, rows: rows, frauds: frauds)
    }

    func fill(_ c: inout CMessage, arena: inout CArena) {
        c.start_unix_us = startMicroseconds
        c.end_unix_us = endMicroseconds
        c.rows = rows
        c.frauds = frauds
    }

    /// Runs `body` with a C struct that borrows this value's strings and arrays for the duration of the call.
    ///
    /// A flat message (no sub-messages) packs faster this way than through a ``CArena``: nothing is copied
    /// before protobuf-c reads it.
    @inline(__always)
    func withBorrowedCMessage<R>(_ body: (UnsafePointer<ProtobufCMessage>) -> R) -> R {
        var c = CMessage()
        Self.cInit(&c)
        c.start_unix_us = startMicroseconds
        c.end_unix_us = endMicroseconds
        c.rows = rows
        c.frauds = frauds
        return withUnsafePointer(to: &c) { body(UnsafeRawPointer($0).assumingMemoryBound(to: ProtobufCMessage.self)) }
    }
}
