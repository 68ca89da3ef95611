import CProtobufC
import SentinelProtoC

extension ModelInfoResponse {
    /// One named evaluation metric.
    ///
    /// ```swift
    /// var message = ModelInfoResponse.Metric()
    /// message.name = "example"
    /// let decoded = try ModelInfoResponse.Metric(serializedBytes: message.serializedBytes())
    /// ```
    public struct Metric: WireMessage {
        /// The fully qualified protobuf name.
        public static let protoName = "sentinel.v1.ModelInfoResponse.Metric"

        /// The metric's name, e.g. `ap`, `cp@100`, `roc_auc`.
        public var name: String

        /// The metric's value.
        public var value: Double

        /// Creates a message; every field defaults to its protobuf default.
        /// - Parameters:
        ///   - name: The metric's name, e.g.
        ///   - value: The metric's value.
        public init(name: String = "", value: Double = 0) {
            self.name = name
            self.value = value
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

extension ModelInfoResponse.Metric: ProtobufCMapped {
    typealias CMessage = Sentinel__V1__ModelInfoResponse__Metric

    static func cInit(_ message: UnsafeMutablePointer<CMessage>) {
        sentinel__v1__model_info_response__metric__init(message)
    }

    init(c pointer: UnsafePointer<CMessage>) throws {
        let c = pointer.pointee
        let name = try decodeString(c.name, "name", in: Self.protoName)
        let value = c.value
        self.init(name: name, value: value)
    }

    func fill(_ c: inout CMessage, arena: inout CArena) {
        if !name.isEmpty { c.name = arena.cString(name) }
        c.value = value
    }

    /// Runs `body` with a C struct that borrows this value's strings and arrays for the duration of the call.
    ///
    /// A flat message (no sub-messages) packs faster this way than through a ``CArena``: nothing is copied
    /// before protobuf-c reads it.
    @inline(__always)
    func withBorrowedCMessage<R>(_ body: (UnsafePointer<ProtobufCMessage>) -> R) -> R {
        name.withCString { namePointer in
            var c = CMessage()
            Self.cInit(&c)
            c.name = UnsafeMutablePointer(mutating: namePointer)
            c.value = value
            return withUnsafePointer(to: &c) {
                body(UnsafeRawPointer($0).assumingMemoryBound(to: ProtobufCMessage.self))
            }
        }
    }
}
