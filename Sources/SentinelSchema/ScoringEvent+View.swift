import CProtobufC
import SentinelProtoC

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension ScoringEvent {
    /// One event of a batch decoded by ``EventBatch/withView(serializedBytes:_:)``, read in place from the
    /// decoder's memory: the numbers are copied out, the features and strings are not (no array or string is built
    /// unless asked for).
    ///
    /// Valid only inside the `withView` call that produced it. Its strings were checked as UTF-8 and its
    /// decision as a number the schema defines when the batch was decoded, so the accessors cannot fail.
    ///
    /// ```swift
    /// try EventBatch.withView(serializedBytes: payload) { batch in
    ///     for index in 0..<batch.count where batch[index].decision == .flag { print(batch[index].transactionId) }
    /// }
    /// ```
    public struct View {
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
        // The strings' UTF-8 bytes, checked, without their terminator (none when read from the payload itself).
        private let transactionIdBytes: UnsafeBufferPointer<UInt8>
        private let cardIdBytes: UnsafeBufferPointer<UInt8>
        private let terminalIdBytes: UnsafeBufferPointer<UInt8>
        private let modelVersionBytes: UnsafeBufferPointer<UInt8>

        /// Reads a checked C message (see ``EventBatch/withView(serializedBytes:_:)``).
        init(checked c: UnsafePointer<Sentinel__V1__ScoringEvent>) {
            let message = c.pointee
            // Checked at decoding: the number is one the schema defines.
            self.init(
                sequence: message.sequence, eventTimeMicroseconds: message.event_time_unix_us,
                scoredAtMicroseconds: message.scored_at_unix_us, amount: message.amount,
                features: UnsafeBufferPointer(
                    start: message.features, count: message.features == nil ? 0 : message.n_features),
                fraudProbability: message.fraud_probability,
                decision: ScoreDecision(rawValue: Int32(truncatingIfNeeded: message.decision.rawValue)) ?? .unspecified,
                serverLatencyNanoseconds: message.server_latency_ns,
                transactionId: Self.bytes(message.transaction_id), cardId: Self.bytes(message.card_id),
                terminalId: Self.bytes(message.terminal_id), modelVersion: Self.bytes(message.model_version))
        }

        /// Holds checked fields (the payload reader's and the C message's common initialiser).
        init(
            sequence: UInt64, eventTimeMicroseconds: Int64, scoredAtMicroseconds: Int64, amount: Double,
            features: UnsafeBufferPointer<Double>, fraudProbability: Double, decision: ScoreDecision,
            serverLatencyNanoseconds: UInt64, transactionId: UnsafeBufferPointer<UInt8>,
            cardId: UnsafeBufferPointer<UInt8>, terminalId: UnsafeBufferPointer<UInt8>,
            modelVersion: UnsafeBufferPointer<UInt8>
        ) {
            self.sequence = sequence
            self.eventTimeMicroseconds = eventTimeMicroseconds
            self.scoredAtMicroseconds = scoredAtMicroseconds
            self.amount = amount
            self.features = features
            self.fraudProbability = fraudProbability
            self.decision = decision
            self.serverLatencyNanoseconds = serverLatencyNanoseconds
            self.transactionIdBytes = transactionId
            self.cardIdBytes = cardId
            self.terminalIdBytes = terminalId
            self.modelVersionBytes = modelVersion
        }

        private static func bytes(_ pointer: UnsafeMutablePointer<CChar>?) -> UnsafeBufferPointer<UInt8> {
            guard let pointer else { return UnsafeBufferPointer(start: nil, count: 0) }
            return UnsafeBufferPointer(
                start: UnsafeRawPointer(pointer).assumingMemoryBound(to: UInt8.self), count: strlen(pointer))
        }

        /// The scored transaction's id (built on each call).
        public var transactionId: String { Self.string(transactionIdBytes) }
        /// Whether the transaction id is non-empty (without building it).
        public var hasTransactionId: Bool { !transactionIdBytes.isEmpty }
        /// The paying card's id (built on each call).
        public var cardId: String { Self.string(cardIdBytes) }
        /// The terminal's id (built on each call).
        public var terminalId: String { Self.string(terminalIdBytes) }
        /// The version of the model that scored it (built on each call).
        public var modelVersion: String { Self.string(modelVersionBytes) }

        /// Whether this event names the same model version as `other`, compared in place (no string is built).
        /// - Parameter other: Another event of the same batch.
        /// - Returns: `true` when both versions are equal byte for byte (an absent version equals an empty one).
        public func hasSameModelVersion(as other: View) -> Bool {
            Self.equal(modelVersionBytes, other.modelVersionBytes)
        }

        /// Whether this event's model version is `version`, compared in place.
        /// - Parameter version: A model version.
        /// - Returns: `true` when the bytes are equal.
        public func hasModelVersion(_ version: String) -> Bool {
            var version = version
            return version.withUTF8 { Self.equal(modelVersionBytes, $0) }
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
        private static func string(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
            // Checked as UTF-8 at decoding, so nothing is repaired here.
            bytes.isEmpty ? "" : String(decoding: bytes, as: UTF8.self)
        }

        @inline(__always)
        private static func equal(_ left: UnsafeBufferPointer<UInt8>, _ right: UnsafeBufferPointer<UInt8>) -> Bool {
            guard left.count == right.count else { return false }
            if left.count == 0 || left.baseAddress == right.baseAddress { return true }
            return memcmp(left.baseAddress!, right.baseAddress!, left.count) == 0
        }
    }
}
