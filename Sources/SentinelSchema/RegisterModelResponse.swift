import CProtobufC
import SentinelProtoC

/// The monitor's answer to a model registration.
///
/// ```swift
/// var message = RegisterModelResponse()
/// message.newlyRegistered = true
/// let decoded = try RegisterModelResponse(serializedBytes: message.serializedBytes())
/// ```
public struct RegisterModelResponse: WireMessage {
    /// The fully qualified protobuf name.
    public static let protoName = "sentinel.v1.RegisterModelResponse"

    /// False when this version was already registered with an identical reference (idempotent).
    public var newlyRegistered: Bool

    /// What happened, for people.
    public var message: String

    /// Creates a message; every field defaults to its protobuf default.
    /// - Parameters:
    ///   - newlyRegistered: False when this version was already registered with an identical reference (idempotent).
    ///   - message: What happened, for people.
    public init(newlyRegistered: Bool = false, message: String = "") {
        self.newlyRegistered = newlyRegistered
        self.message = message
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

extension RegisterModelResponse: ProtobufCMapped {
    typealias CMessage = Sentinel__V1__RegisterModelResponse

    static func cInit(_ message: UnsafeMutablePointer<CMessage>) {
        sentinel__v1__register_model_response__init(message)
    }

    static func cUnpack(
        _ allocator: UnsafeMutablePointer<ProtobufCAllocator>, _ count: Int, _ bytes: UnsafePointer<UInt8>
    ) -> UnsafeMutablePointer<CMessage>? {
        sentinel__v1__register_model_response__unpack(allocator, count, bytes)
    }

    init(c pointer: UnsafePointer<CMessage>) throws {
        let c = pointer.pointee
        let newlyRegistered = c.newly_registered != 0
        let message = try decodeString(c.message, "message", in: Self.protoName)
        self.init(newlyRegistered: newlyRegistered, message: message)
    }

    func fill(_ c: inout CMessage, arena: inout CArena) {
        c.newly_registered = newlyRegistered ? 1 : 0
        if !message.isEmpty { c.message = arena.cString(message) }
    }

    /// Runs `body` with a C struct that borrows this value's strings and arrays for the duration of the call.
    ///
    /// A flat message (no sub-messages) packs faster this way than through a ``CArena``: nothing is copied
    /// before protobuf-c reads it.
    @inline(__always)
    func withBorrowedCMessage<R>(_ body: (UnsafePointer<ProtobufCMessage>) -> R) -> R {
        message.withCString { messagePointer in
            var c = CMessage()
            Self.cInit(&c)
            c.newly_registered = newlyRegistered ? 1 : 0
            c.message = UnsafeMutablePointer(mutating: messagePointer)
            return withUnsafePointer(to: &c) {
                body(UnsafeRawPointer($0).assumingMemoryBound(to: ProtobufCMessage.self))
            }
        }
    }
}
