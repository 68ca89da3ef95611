import SentinelProtoC

extension Transaction {
    /// A decoded transaction read in place: its strings and features point into the memory of the request being
    /// handled, so reading it copies and allocates nothing.
    ///
    /// Valid only inside the closure that produced it (``ScoreBatchRequest/withView(serializedBytes:_:)``); the
    /// strings are already checked to be UTF-8. ``copy()`` makes an owned ``Transaction`` when one is needed (the
    /// error path).
    ///
    /// ```swift
    /// try ScoreBatchRequest.withView(serializedBytes: bytes) { request in
    ///     for transaction in request.transactions { total += transaction.amount }
    /// }
    /// ```
    public struct View {
        /// The id's UTF-8 bytes (no terminating NUL); empty when the id is empty.
        public let id: UnsafeRawBufferPointer
        /// When the transaction happened, in microseconds since the Unix epoch (UTC).
        public let eventTimeMicroseconds: Int64
        /// The card id's UTF-8 bytes.
        public let cardId: UnsafeRawBufferPointer
        /// The terminal id's UTF-8 bytes.
        public let terminalId: UnsafeRawBufferPointer
        /// The amount.
        public let amount: Double
        /// The model inputs, in the order the model declares.
        public let features: UnsafeBufferPointer<Double>

        /// Reads a protobuf-c transaction, checking its strings as ``Transaction/init(serializedBytes:)`` does.
        /// - Returns: The view, or `nil` when a string is not UTF-8 (decode it with ``Transaction`` for the error).
        @inline(__always)
        static func read(_ c: UnsafePointer<Sentinel__V1__Transaction>) -> View? {
            let message = c.pointee
            guard let id = utf8Bytes(message.id), let cardId = utf8Bytes(message.card_id),
                let terminalId = utf8Bytes(message.terminal_id)
            else { return nil }
            let features = UnsafeBufferPointer(
                start: message.n_features > 0 ? message.features : nil, count: message.n_features)
            return View(
                id: id, eventTimeMicroseconds: message.event_time_unix_us, cardId: cardId, terminalId: terminalId,
                amount: message.amount, features: features)
        }

        /// An owned copy of the transaction.
        public func copy() -> Transaction {
            Transaction(
                id: String(decoding: id, as: UTF8.self), eventTimeMicroseconds: eventTimeMicroseconds,
                cardId: String(decoding: cardId, as: UTF8.self),
                terminalId: String(decoding: terminalId, as: UTF8.self),
                amount: amount, features: Array(features))
        }
    }
}

/// The bytes of a protobuf-c string up to its NUL, or `nil` when they are not valid UTF-8 or were cut short by an
/// inner U+0000 (the rules `decodeString` applies); nil reads as empty.
@inline(__always)
func utf8Bytes(_ pointer: UnsafePointer<CChar>?) -> UnsafeRawBufferPointer? {
    guard let pointer else { return UnsafeRawBufferPointer(start: nil, count: 0) }
    let raw = UnsafeRawPointer(pointer)
    var length = 0
    var high: UInt8 = 0
    while true {
        let byte = raw.load(fromByteOffset: length, as: UInt8.self)
        if byte == 0 { break }
        high |= byte
        length += 1
    }
    // Cut short at an inner U+0000: the copying decoder gives the error.
    if UInt(bitPattern: pointer) != protobufCEmptyString && CArena.allocationSize(of: raw) != length + 1 { return nil }
    if length == 0 { return UnsafeRawBufferPointer(start: nil, count: 0) }
    // ASCII (the usual id) is UTF-8; anything else goes through the standard library's validation.
    if high < 0x80 || String(validatingCString: pointer) != nil {
        return UnsafeRawBufferPointer(start: raw, count: length)
    }
    return nil
}
