import CProtobufC
import SentinelProtoC

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension ScoringEvent {
    /// One event of a batch decoded by ``EventBatch/withBorrowed(serializedBytes:_:)``, read in place from the
    /// decoder's memory: the numbers are copied out, the features and strings are not (no array or string is built
    /// unless asked for).
    ///
    /// Valid only inside the `withBorrowed` call that produced it. Its strings were checked as UTF-8 and its
    /// decision as a number the schema defines when the batch was decoded, so the accessors cannot fail.
    ///
    /// ```swift
    /// try EventBatch.withBorrowed(serializedBytes: payload) { batch in
    ///     for index in 0..<batch.count where batch[index].decision == .flag { print(batch[index].transactionId) }
    /// }
    /// ```
    public struct Borrowed {
        /// The producer's sequence number for this event.
        public let sequence: UInt64
        /// When the transaction happened, in microseconds since the Unix epoch.
        public let eventTimeMicroseconds: Int64
        /// When the server scored it, in microseconds since the Unix epoch.
        public let scoredAtMicroseconds: Int64
        /// The transaction amount.
        public let amount: Double
        /// The feature values the model saw, in the model's feature order, in the decoder's memory.
        public let features: UnsafeBufferPointer<Double>
        /// The model's fraud probability.
        public let fraudProbability: Double
        /// Flag or pass.
        public let decision: ScoreDecision
        /// Server-side scoring latency of this transaction, in nanoseconds.
        public let serverLatencyNanoseconds: UInt64
        private let transactionIdPointer: UnsafePointer<CChar>?
        private let cardIdPointer: UnsafePointer<CChar>?
        private let terminalIdPointer: UnsafePointer<CChar>?
        private let modelVersionPointer: UnsafePointer<CChar>?

        /// Reads a checked C message (see ``EventBatch/withBorrowed(serializedBytes:_:)``).
        init(checked c: UnsafePointer<Sentinel__V1__ScoringEvent>) {
            let message = c.pointee
            sequence = message.sequence
            eventTimeMicroseconds = message.event_time_unix_us
            scoredAtMicroseconds = message.scored_at_unix_us
            amount = message.amount
            features = UnsafeBufferPointer(
                start: message.features, count: message.features == nil ? 0 : message.n_features)
            fraudProbability = message.fraud_probability
            // Checked at decoding: the number is one the schema defines.
            decision = ScoreDecision(rawValue: Int32(truncatingIfNeeded: message.decision.rawValue)) ?? .unspecified
            serverLatencyNanoseconds = message.server_latency_ns
            transactionIdPointer = UnsafePointer(message.transaction_id)
            cardIdPointer = UnsafePointer(message.card_id)
            terminalIdPointer = UnsafePointer(message.terminal_id)
            modelVersionPointer = UnsafePointer(message.model_version)
        }

        /// The scored transaction's id (built on each call).
        public var transactionId: String { Self.string(transactionIdPointer) }
        /// Whether the transaction id is empty (without building it).
        public var hasTransactionId: Bool { transactionIdPointer.map { $0.pointee != 0 } ?? false }
        /// The paying card's id (built on each call).
        public var cardId: String { Self.string(cardIdPointer) }
        /// The terminal's id (built on each call).
        public var terminalId: String { Self.string(terminalIdPointer) }
        /// The version of the model that scored it (built on each call).
        public var modelVersion: String { Self.string(modelVersionPointer) }

        /// Whether this event names the same model version as `other`, compared in place (no string is built).
        /// - Parameter other: Another event of the same batch.
        /// - Returns: `true` when both versions are equal byte for byte (an absent version equals an empty one).
        public func hasSameModelVersion(as other: Borrowed) -> Bool {
            Self.equal(modelVersionPointer, other.modelVersionPointer)
        }

        /// Whether this event's model version is `version`, compared in place.
        /// - Parameter version: A model version.
        /// - Returns: `true` when the bytes are equal.
        public func hasModelVersion(_ version: String) -> Bool {
            var version = version
            return version.withUTF8 { utf8 in
                guard let pointer = modelVersionPointer else { return utf8.isEmpty }
                let length = strlen(pointer)
                guard length == utf8.count else { return false }
                return length == 0 || memcmp(pointer, utf8.baseAddress!, length) == 0
            }
        }

        /// Copies the event out into a ``ScoringEvent``.
        /// - Returns: The same event as `ScoringEvent(serializedBytes:)` decodes.
        public func copy() -> ScoringEvent {
            ScoringEvent(
                sequence: sequence, transactionId: transactionId, eventTimeMicroseconds: eventTimeMicroseconds,
                scoredAtMicroseconds: scoredAtMicroseconds, cardId: cardId, terminalId: terminalId, amount: amount,
                features: Array(features), fraudProbability: fraudProbability, decision: decision,
                modelVersion: modelVersion, serverLatencyNanoseconds: serverLatencyNanoseconds)
        }

        @inline(__always)
        private static func string(_ pointer: UnsafePointer<CChar>?) -> String {
            guard let pointer, pointer.pointee != 0 else { return "" }
            // Checked as UTF-8 at decoding, so nothing is repaired here.
            return String(cString: pointer)
        }

        @inline(__always)
        private static func equal(_ left: UnsafePointer<CChar>?, _ right: UnsafePointer<CChar>?) -> Bool {
            if left == right { return true }
            let emptyLeft = left.map { $0.pointee == 0 } ?? true
            let emptyRight = right.map { $0.pointee == 0 } ?? true
            if emptyLeft || emptyRight { return emptyLeft == emptyRight }
            return strcmp(left!, right!) == 0
        }
    }
}
