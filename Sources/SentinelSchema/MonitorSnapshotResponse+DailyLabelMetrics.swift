import CProtobufC
import SentinelProtoC

extension MonitorSnapshotResponse {
    /// The live model's ranking quality on one day, from delayed labels (definitions in EVALUATION.md).
    ///
    /// ```swift
    /// var message = MonitorSnapshotResponse.DailyLabelMetrics()
    /// message.day = "example"
    /// let decoded = try MonitorSnapshotResponse.DailyLabelMetrics(serializedBytes: message.serializedBytes())
    /// ```
    public struct DailyLabelMetrics: WireMessage {
        /// The fully qualified protobuf name.
        public static let protoName = "sentinel.v1.MonitorSnapshotResponse.DailyLabelMetrics"

        /// The day, `YYYY-MM-DD` (UTC date of the event time).
        public var day: String

        /// The model version.
        public var modelVersion: String

        /// Scored transactions that day.
        public var transactions: UInt64

        /// Of which labelled.
        public var labelled: UInt64

        /// Of which labelled fraud.
        public var frauds: UInt64

        /// Average precision over the labelled transactions.
        public var averagePrecision: Double

        /// CP@100: compromised cards among the day's 100 riskiest cards, divided by 100.
        public var cardPrecisionAt100: Double

        /// Creates a message; every field defaults to its protobuf default.
        /// - Parameters:
        ///   - day: The day, `YYYY-MM-DD` (UTC date of the event time).
        ///   - modelVersion: The model version.
        ///   - transactions: Scored transactions that day.
        ///   - labelled: Of which labelled.
        ///   - frauds: Of which labelled fraud.
        ///   - averagePrecision: Average precision over the labelled transactions.
        ///   - cardPrecisionAt100: CP@100.
        public init(
            day: String = "",
            modelVersion: String = "",
            transactions: UInt64 = 0,
            labelled: UInt64 = 0,
            frauds: UInt64 = 0,
            averagePrecision: Double = 0,
            cardPrecisionAt100: Double = 0
        ) {
            self.day = day
            self.modelVersion = modelVersion
            self.transactions = transactions
            self.labelled = labelled
            self.frauds = frauds
            self.averagePrecision = averagePrecision
            self.cardPrecisionAt100 = cardPrecisionAt100
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

extension MonitorSnapshotResponse.DailyLabelMetrics: ProtobufCMapped {
    typealias CMessage = Sentinel__V1__MonitorSnapshotResponse__DailyLabelMetrics

    static func cInit(_ message: UnsafeMutablePointer<CMessage>) {
        sentinel__v1__monitor_snapshot_response__daily_label_metrics__init(message)
    }

    init(c pointer: UnsafePointer<CMessage>) throws {
        let c = pointer.pointee
        let day = try decodeString(c.day, "day", in: Self.protoName)
        let modelVersion = try decodeString(c.model_version, "model_version", in: Self.protoName)
        let transactions = c.transactions
        let labelled = c.labelled
        let frauds = c.frauds
        let averagePrecision = c.average_precision
        let cardPrecisionAt100 = c.card_precision_at_100
        self.init(
            day: day, modelVersion: modelVersion, transactions: transactions, labelled: labelled, frauds: frauds,
            averagePrecision: averagePrecision, cardPrecisionAt100: cardPrecisionAt100)
    }

    func fill(_ c: inout CMessage, arena: inout CArena) {
        if !day.isEmpty { c.day = arena.cString(day) }
        if !modelVersion.isEmpty { c.model_version = arena.cString(modelVersion) }
        c.transactions = transactions
        c.labelled = labelled
        c.frauds = frauds
        c.average_precision = averagePrecision
        c.card_precision_at_100 = cardPrecisionAt100
    }

    /// Runs `body` with a C struct that borrows this value's strings and arrays for the duration of the call.
    ///
    /// A flat message (no sub-messages) packs faster this way than through a ``CArena``: nothing is copied
    /// before protobuf-c reads it.
    @inline(__always)
    func withBorrowedCMessage<R>(_ body: (UnsafePointer<ProtobufCMessage>) -> R) -> R {
        day.withCString { dayPointer in
            modelVersion.withCString { modelVersionPointer in
                var c = CMessage()
                Self.cInit(&c)
                c.day = UnsafeMutablePointer(mutating: dayPointer)
                c.model_version = UnsafeMutablePointer(mutating: modelVersionPointer)
                c.transactions = transactions
                c.labelled = labelled
                c.frauds = frauds
                c.average_precision = averagePrecision
                c.card_precision_at_100 = cardPrecisionAt100
                return withUnsafePointer(to: &c) {
                    body(UnsafeRawPointer($0).assumingMemoryBound(to: ProtobufCMessage.self))
                }
            }
        }
    }
}
