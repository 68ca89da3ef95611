import CProtobufC
import SentinelProtoC

/// One card payment to score.
///
/// ```swift
/// let transaction = Transaction(id: "tx-1", eventTimeMicroseconds: 1_533_081_600_000_000, cardId: "c-7",
///     terminalId: "t-3", amount: 42.5, features: [42.5, 0, 1])
/// ```
public struct Transaction: WireMessage {
    /// The fully qualified protobuf name.
    public static let protoName = "sentinel.v1.Transaction"

    /// The caller's transaction id; echoed in the response and in the scoring event.
    public var id: String

    /// When the transaction happened, in microseconds since the Unix epoch (UTC).
    public var eventTimeMicroseconds: Int64

    /// The paying card's id (used for per-card metrics such as CP@100; never a card number).
    public var cardId: String

    /// The terminal's id.
    public var terminalId: String

    /// The amount in the account currency; must be finite and non-negative (checked by the service).
    public var amount: Double

    /// The model inputs, in the order the model declares (see ModelInfoResponse.feature_names); packed.
    public var features: [Double]

    /// Creates a message; every field defaults to its protobuf default.
    /// - Parameters:
    ///   - id: The caller's transaction id.
    ///   - eventTimeMicroseconds: When the transaction happened, in microseconds since the Unix epoch (UTC).
    ///   - cardId: The paying card's id (used for per-card metrics such as CP@100.
    ///   - terminalId: The terminal's id.
    ///   - amount: The amount in the account currency.
    ///   - features: The model inputs, in the order the model declares (see ModelInfoResponse.feature_names).
    public init(
        id: String = "",
        eventTimeMicroseconds: Int64 = 0,
        cardId: String = "",
        terminalId: String = "",
        amount: Double = 0,
        features: [Double] = []
    ) {
        self.id = id
        self.eventTimeMicroseconds = eventTimeMicroseconds
        self.cardId = cardId
        self.terminalId = terminalId
        self.amount = amount
        self.features = features
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

extension Transaction: ProtobufCMapped {
    typealias CMessage = Sentinel__V1__Transaction

    static func cInit(_ message: UnsafeMutablePointer<CMessage>) {
        sentinel__v1__transaction__init(message)
    }

    static func cUnpack(
        _ allocator: UnsafeMutablePointer<ProtobufCAllocator>, _ count: Int, _ bytes: UnsafePointer<UInt8>
    ) -> UnsafeMutablePointer<CMessage>? {
        sentinel__v1__transaction__unpack(allocator, count, bytes)
    }

    init(c pointer: UnsafePointer<CMessage>) throws {
        let c = pointer.pointee
        let id = try decodeString(c.id, "id", in: Self.protoName)
        let eventTimeMicroseconds = c.event_time_unix_us
        let cardId = try decodeString(c.card_id, "card_id", in: Self.protoName)
        let terminalId = try decodeString(c.terminal_id, "terminal_id", in: Self.protoName)
        let amount = c.amount
        let features = decodeArray(c.n_features, c.features)
        self.init(
            id: id, eventTimeMicroseconds: eventTimeMicroseconds, cardId: cardId, terminalId: terminalId,
            amount: amount, features: features)
    }

    func fill(_ c: inout CMessage, arena: inout CArena) {
        if !id.isEmpty { c.id = arena.cString(id) }
        c.event_time_unix_us = eventTimeMicroseconds
        if !cardId.isEmpty { c.card_id = arena.cString(cardId) }
        if !terminalId.isEmpty { c.terminal_id = arena.cString(terminalId) }
        c.amount = amount
        c.n_features = features.count
        c.features = arena.copy(features)
    }

    /// Runs `body` with a C struct that borrows this value's strings and arrays for the duration of the call.
    ///
    /// A flat message (no sub-messages) packs faster this way than through a ``CArena``: nothing is copied
    /// before protobuf-c reads it.
    @inline(__always)
    func withBorrowedCMessage<R>(_ body: (UnsafePointer<ProtobufCMessage>) -> R) -> R {
        id.withCString { idPointer in
            cardId.withCString { cardIdPointer in
                terminalId.withCString { terminalIdPointer in
                    features.withUnsafeBufferPointer { featuresBuffer in
                        var c = CMessage()
                        Self.cInit(&c)
                        c.id = UnsafeMutablePointer(mutating: idPointer)
                        c.event_time_unix_us = eventTimeMicroseconds
                        c.card_id = UnsafeMutablePointer(mutating: cardIdPointer)
                        c.terminal_id = UnsafeMutablePointer(mutating: terminalIdPointer)
                        c.amount = amount
                        c.n_features = featuresBuffer.count
                        c.features = UnsafeMutablePointer(mutating: featuresBuffer.baseAddress)
                        return withUnsafePointer(to: &c) {
                            body(UnsafeRawPointer($0).assumingMemoryBound(to: ProtobufCMessage.self))
                        }
                    }
                }
            }
        }
    }
}
