import CProtobufC
import SentinelProtoC

/// The outcome of a successful reload (a failed one answers an error status and keeps the old model).
///
/// ```swift
/// var message = ReloadModelResponse()
/// message.oldVersion = "example"
/// let decoded = try ReloadModelResponse(serializedBytes: message.serializedBytes())
/// ```
public struct ReloadModelResponse: WireMessage {
    /// The fully qualified protobuf name.
    public static let protoName = "sentinel.v1.ReloadModelResponse"

    /// The version served before the reload.
    public var oldVersion: String

    /// The version served from now on.
    public var newVersion: String

    /// What happened, for people (e.g. `features unchanged; smoke score 0.013`).
    public var message: String

    /// True when the new model's feature names differ from the old one's.
    public var featuresChanged: Bool

    /// Creates a message; every field defaults to its protobuf default.
    /// - Parameters:
    ///   - oldVersion: The version served before the reload.
    ///   - newVersion: The version served from now on.
    ///   - message: What happened, for people (e.g.
    ///   - featuresChanged: True when the new model's feature names differ from the old one's.
    public init(oldVersion: String = "", newVersion: String = "", message: String = "", featuresChanged: Bool = false) {
        self.oldVersion = oldVersion
        self.newVersion = newVersion
        self.message = message
        self.featuresChanged = featuresChanged
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

extension ReloadModelResponse: ProtobufCMapped {
    typealias CMessage = Sentinel__V1__ReloadModelResponse

    static func cInit(_ message: UnsafeMutablePointer<CMessage>) {
        sentinel__v1__reload_model_response__init(message)
    }

    static func cUnpack(
        _ allocator: UnsafeMutablePointer<ProtobufCAllocator>, _ count: Int, _ bytes: UnsafePointer<UInt8>
    ) -> UnsafeMutablePointer<CMessage>? {
        sentinel__v1__reload_model_response__unpack(allocator, count, bytes)
    }

    init(c pointer: UnsafePointer<CMessage>) throws {
        let c = pointer.pointee
        let oldVersion = try decodeString(c.old_version, "old_version", in: Self.protoName)
        let newVersion = try decodeString(c.new_version, "new_version", in: Self.protoName)
        let message = try decodeString(c.message, "message", in: Self.protoName)
        let featuresChanged = c.features_changed != 0
        self.init(oldVersion: oldVersion, newVersion: newVersion, message: message, featuresChanged: featuresChanged)
    }

    func fill(_ c: inout CMessage, arena: inout CArena) {
        if !oldVersion.isEmpty { c.old_version = arena.cString(oldVersion) }
        if !newVersion.isEmpty { c.new_version = arena.cString(newVersion) }
        if !message.isEmpty { c.message = arena.cString(message) }
        c.features_changed = featuresChanged ? 1 : 0
    }

    /// Runs `body` with a C struct that borrows this value's strings and arrays for the duration of the call.
    ///
    /// A flat message (no sub-messages) packs faster this way than through a ``CArena``: nothing is copied
    /// before protobuf-c reads it.
    @inline(__always)
    func withBorrowedCMessage<R>(_ body: (UnsafePointer<ProtobufCMessage>) -> R) -> R {
        oldVersion.withCString { oldVersionPointer in
            newVersion.withCString { newVersionPointer in
                message.withCString { messagePointer in
                    var c = CMessage()
                    Self.cInit(&c)
                    c.old_version = UnsafeMutablePointer(mutating: oldVersionPointer)
                    c.new_version = UnsafeMutablePointer(mutating: newVersionPointer)
                    c.message = UnsafeMutablePointer(mutating: messagePointer)
                    c.features_changed = featuresChanged ? 1 : 0
                    return withUnsafePointer(to: &c) {
                        body(UnsafeRawPointer($0).assumingMemoryBound(to: ProtobufCMessage.self))
                    }
                }
            }
        }
    }
}
