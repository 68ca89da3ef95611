import CProtobufC
import SentinelProtoC

extension ReportLabelsRequest {
    /// The ground truth for one scored transaction.
    ///
    /// ```swift
    /// var message = ReportLabelsRequest.Label()
    /// message.transactionId = "example"
    /// let decoded = try ReportLabelsRequest.Label(serializedBytes: message.serializedBytes())
    /// ```
    public struct Label: WireMessage {
        /// The fully qualified protobuf name.
        public static let protoName = "sentinel.v1.ReportLabelsRequest.Label"

        /// The transaction's id, as in its scoring event.
        public var transactionId: String

        /// Fraud or genuine.
        public var label: FraudLabel

        /// When the label became known, in microseconds since the Unix epoch.
        public var labelledAtMicroseconds: Int64

        /// Creates a message; every field defaults to its protobuf default.
        /// - Parameters:
        ///   - transactionId: The transaction's id, as in its scoring event.
        ///   - label: Fraud or genuine.
        ///   - labelledAtMicroseconds: When the label became known, in microseconds since the Unix epoch.
        public init(transactionId: String = "", label: FraudLabel = .unspecified, labelledAtMicroseconds: Int64 = 0) {
            self.transactionId = transactionId
            self.label = label
            self.labelledAtMicroseconds = labelledAtMicroseconds
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

extension ReportLabelsRequest.Label: ProtobufCMapped {
    typealias CMessage = Sentinel__V1__ReportLabelsRequest__Label

    static func cInit(_ message: UnsafeMutablePointer<CMessage>) {
        sentinel__v1__report_labels_request__label__init(message)
    }

    init(c pointer: UnsafePointer<CMessage>) throws {
        let c = pointer.pointee
        let transactionId = try decodeString(c.transaction_id, "transaction_id", in: Self.protoName)
        let label: FraudLabel = try decodeEnum(c.label.rawValue, "label", in: Self.protoName)
        let labelledAtMicroseconds = c.labelled_at_unix_us
        self.init(transactionId: transactionId, label: label, labelledAtMicroseconds: labelledAtMicroseconds)
    }

    func fill(_ c: inout CMessage, arena: inout CArena) {
        if !transactionId.isEmpty { c.transaction_id = arena.cString(transactionId) }
        c.label = .init(rawValue: numericCast(label.rawValue))
        c.labelled_at_unix_us = labelledAtMicroseconds
    }

    /// Runs `body` with a C struct that borrows this value's strings and arrays for the duration of the call.
    ///
    /// A flat message (no sub-messages) packs faster this way than through a ``CArena``: nothing is copied
    /// before protobuf-c reads it.
    @inline(__always)
    func withBorrowedCMessage<R>(_ body: (UnsafePointer<ProtobufCMessage>) -> R) -> R {
        transactionId.withCString { transactionIdPointer in
            var c = CMessage()
            Self.cInit(&c)
            c.transaction_id = UnsafeMutablePointer(mutating: transactionIdPointer)
            c.label = .init(rawValue: numericCast(label.rawValue))
            c.labelled_at_unix_us = labelledAtMicroseconds
            return withUnsafePointer(to: &c) {
                body(UnsafeRawPointer($0).assumingMemoryBound(to: ProtobufCMessage.self))
            }
        }
    }
}
