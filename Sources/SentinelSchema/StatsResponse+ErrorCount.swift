import CProtobufC
import SentinelProtoC

extension StatsResponse {
    /// How many error answers carried one status code.
    ///
    /// ```swift
    /// var message = StatsResponse.ErrorCount()
    /// message.statusCode = 3
    /// let decoded = try StatsResponse.ErrorCount(serializedBytes: message.serializedBytes())
    /// ```
    public struct ErrorCount: WireMessage {
        /// The fully qualified protobuf name.
        public static let protoName = "sentinel.v1.StatsResponse.ErrorCount"

        /// The status code, numbered as gRPC's 0–16.
        public var statusCode: UInt32

        /// Number of answers with this code.
        public var count: UInt64

        /// Creates a message; every field defaults to its protobuf default.
        /// - Parameters:
        ///   - statusCode: The status code, numbered as gRPC's 0–16.
        ///   - count: Number of answers with this code.
        public init(statusCode: UInt32 = 0, count: UInt64 = 0) {
            self.statusCode = statusCode
            self.count = count
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

extension StatsResponse.ErrorCount: ProtobufCMapped {
    typealias CMessage = Sentinel__V1__StatsResponse__ErrorCount

    static func cInit(_ message: UnsafeMutablePointer<CMessage>) {
        sentinel__v1__stats_response__error_count__init(message)
    }

    init(c pointer: UnsafePointer<CMessage>) throws {
        let c = pointer.pointee
        let statusCode = c.status_code
        let count = c.count
        self.init(statusCode: statusCode, count: count)
    }

    func fill(_ c: inout CMessage, arena: inout CArena) {
        c.status_code = statusCode
        c.count = count
    }

    /// Runs `body` with a C struct that borrows this value's strings and arrays for the duration of the call.
    ///
    /// A flat message (no sub-messages) packs faster this way than through a ``CArena``: nothing is copied
    /// before protobuf-c reads it.
    @inline(__always)
    func withBorrowedCMessage<R>(_ body: (UnsafePointer<ProtobufCMessage>) -> R) -> R {
        var c = CMessage()
        Self.cInit(&c)
        c.status_code = statusCode
        c.count = count
        return withUnsafePointer(to: &c) { body(UnsafeRawPointer($0).assumingMemoryBound(to: ProtobufCMessage.self)) }
    }
}
