import CProtobufC
import SentinelProtoC

extension ScoreBatchResponse {
    /// Why one transaction in a batch was not scored.
    ///
    /// ```swift
    /// var message = ScoreBatchResponse.ItemError()
    /// message.statusCode = 3
    /// let decoded = try ScoreBatchResponse.ItemError(serializedBytes: message.serializedBytes())
    /// ```
    public struct ItemError: WireMessage {
        /// The fully qualified protobuf name.
        public static let protoName = "sentinel.v1.ScoreBatchResponse.ItemError"

        /// The status code, numbered as gRPC's 0–16 (3 = INVALID_ARGUMENT).
        public var statusCode: UInt32

        /// A message naming the transaction and the field.
        public var message: String

        /// The offending field, e.g. `features[3]`; empty when not specific to a field.
        public var field: String

        /// Creates a message; every field defaults to its protobuf default.
        /// - Parameters:
        ///   - statusCode: The status code, numbered as gRPC's 0–16 (3 = INVALID_ARGUMENT).
        ///   - message: A message naming the transaction and the field.
        ///   - field: The offending field, e.g.
        public init(statusCode: UInt32 = 0, message: String = "", field: String = "") {
            self.statusCode = statusCode
            self.message = message
            self.field = field
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

extension ScoreBatchResponse.ItemError: ProtobufCMapped {
    typealias CMessage = Sentinel__V1__ScoreBatchResponse__ItemError

    static func cInit(_ message: UnsafeMutablePointer<CMessage>) {
        sentinel__v1__score_batch_response__item_error__init(message)
    }

    init(c pointer: UnsafePointer<CMessage>) throws {
        let c = pointer.pointee
        let statusCode = c.status_code
        let message = try decodeString(c.message, "message", in: Self.protoName)
        let field = try decodeString(c.field, "field", in: Self.protoName)
        self.init(statusCode: statusCode, message: message, field: field)
    }

    func fill(_ c: inout CMessage, arena: inout CArena) {
        c.status_code = statusCode
        if !message.isEmpty { c.message = arena.cString(message) }
        if !field.isEmpty { c.field = arena.cString(field) }
    }

    /// Runs `body` with a C struct that borrows this value's strings and arrays for the duration of the call.
    ///
    /// A flat message (no sub-messages) packs faster this way than through a ``CArena``: nothing is copied
    /// before protobuf-c reads it.
    @inline(__always)
    func withBorrowedCMessage<R>(_ body: (UnsafePointer<ProtobufCMessage>) -> R) -> R {
        message.withCString { messagePointer in
            field.withCString { fieldPointer in
                var c = CMessage()
                Self.cInit(&c)
                c.status_code = statusCode
                c.message = UnsafeMutablePointer(mutating: messagePointer)
                c.field = UnsafeMutablePointer(mutating: fieldPointer)
                return withUnsafePointer(to: &c) {
                    body(UnsafeRawPointer($0).assumingMemoryBound(to: ProtobufCMessage.self))
                }
            }
        }
    }
}
