import CProtobufC
import SentinelProtoC

extension EventBatch {
    /// A decoded batch read in place from protobuf-c's memory, for the monitor's ingestion: no `[ScoringEvent]`,
    /// no per-event arrays or strings unless asked for.
    ///
    /// Only ``withView(serializedBytes:_:)`` makes one, and it is valid only inside that call. Decoding checks
    /// exactly what ``EventBatch/init(serializedBytes:)-(UnsafeRawBufferPointer)`` checks, with the same errors,
    /// so a payload decodes one way if and only if it decodes the other, and ``copy()`` equals the decoded
    /// ``EventBatch``.
    ///
    /// ```swift
    /// let accepted = try EventBatch.withView(serializedBytes: payload) { batch in
    ///     (0..<batch.count).filter { batch[$0].sequence > watermark }.count
    /// }
    /// ```
    public struct View {
        /// The producer's id.
        public let producerId: String
        /// When the producer sent the batch, in microseconds since the Unix epoch.
        public let sentAtMicroseconds: Int64
        /// Events the producer has dropped since it started.
        public let droppedTotal: UInt64
        /// The number of events.
        public let count: Int
        private let events: UnsafeBufferPointer<ScoringEvent.View>

        fileprivate init(
            producerId: String, sentAtMicroseconds: Int64, droppedTotal: UInt64,
            events: UnsafeBufferPointer<ScoringEvent.View>
        ) {
            self.producerId = producerId
            self.sentAtMicroseconds = sentAtMicroseconds
            self.droppedTotal = droppedTotal
            self.events = events
            self.count = events.count
        }

        /// The event at `index`.
        /// - Parameter index: In `0..<count`.
        public subscript(index: Int) -> ScoringEvent.View {
            events[index]
        }

        /// Copies the batch out into an ``EventBatch``.
        /// - Returns: The same batch as `EventBatch(serializedBytes:)` decodes.
        public func copy() -> EventBatch {
            EventBatch(
                producerId: producerId, events: (0..<count).map { self[$0].copy() },
                sentAtMicroseconds: sentAtMicroseconds, droppedTotal: droppedTotal)
        }
    }

    /// Decodes a batch and runs `body` with it read in place; the decoder's memory is released when `body` returns.
    ///
    /// The batch view and its events must not escape `body`.
    /// - Parameters:
    ///   - bytes: The encoded batch.
    ///   - body: What to do with the batch.
    /// - Returns: What `body` returns.
    /// - Throws: ``SchemaError`` (before `body` runs) exactly when `EventBatch(serializedBytes:)` would throw it,
    ///   with the same code and message; otherwise whatever `body` throws.
    public static func withView<R>(
        serializedBytes bytes: UnsafeRawBufferPointer, _ body: (View) throws -> R
    ) throws -> R {
        try withUnpacked(bytes) { message, _ in
            let producerId = try check(message)
            let c = message.pointee
            let count = c.events == nil ? 0 : c.n_events
            // Checked: no element is missing.
            let events = (0..<count).map { ScoringEvent.View(checked: c.events![$0]!) }
            return try events.withUnsafeBufferPointer { events in
                try body(
                    View(
                        producerId: producerId, sentAtMicroseconds: c.sent_at_unix_us,
                        droppedTotal: c.dropped_total, events: events))
            }
        }
    }

    /// Decodes a batch from a byte array and runs `body` with it read in place.
    /// - Parameters:
    ///   - bytes: The encoded batch.
    ///   - body: What to do with the batch (it must not escape).
    /// - Returns: What `body` returns.
    /// - Throws: As ``withView(serializedBytes:_:)-(UnsafeRawBufferPointer,_)``.
    public static func withView<R>(serializedBytes bytes: [UInt8], _ body: (View) throws -> R) throws -> R {
        try bytes.withUnsafeBytes { try withView(serializedBytes: $0, body) }
    }

    /// Checks what ``init(c:)`` checks, in the same order and with the same errors; returns the producer id.
    private static func check(_ pointer: UnsafePointer<CMessage>) throws -> String {
        let c = pointer.pointee
        let producerId = try decodeString(c.producer_id, "producer_id", in: protoName)
        guard c.n_events > 0, let events = c.events else { return producerId }
        let name = ScoringEvent.protoName
        for index in 0..<c.n_events {
            guard let element = events[index] else {
                throw SchemaError(.invalidMessage, "\(name): repeated element \(index) is missing")
            }
            let event = element.pointee
            try checkUTF8(event.transaction_id, "transaction_id", in: name)
            try checkUTF8(event.card_id, "card_id", in: name)
            try checkUTF8(event.terminal_id, "terminal_id", in: name)
            let _: ScoreDecision = try decodeEnum(event.decision.rawValue, "decision", in: name)
            try checkUTF8(event.model_version, "model_version", in: name)
        }
        return producerId
    }

    /// Throws as ``decodeString(_:_:in:)`` would, without building the string when it is ASCII (the usual case).
    @inline(__always)
    private static func checkUTF8(_ pointer: UnsafePointer<CChar>?, _ field: StaticString, in message: String) throws {
        guard let pointer else { return }
        var index = 0
        while true {
            let byte = UInt8(bitPattern: pointer[index])
            if byte == 0 {
                try checkWhole(pointer, length: index, field, in: message)
                return
            }
            if byte >= 0x80 { break }
            index += 1
        }
        _ = try decodeString(pointer, field, in: message)
    }
}
