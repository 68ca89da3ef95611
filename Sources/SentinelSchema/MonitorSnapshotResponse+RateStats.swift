import CProtobufC
import SentinelProtoC

extension MonitorSnapshotResponse {
    /// Flag and fraud rates with a binomial confidence interval against the training base rate.
    ///
    /// ```swift
    /// var message = MonitorSnapshotResponse.RateStats()
    /// message.events = 3
    /// let decoded = try MonitorSnapshotResponse.RateStats(serializedBytes: message.serializedBytes())
    /// ```
    public struct RateStats: WireMessage {
        /// The fully qualified protobuf name.
        public static let protoName = "sentinel.v1.MonitorSnapshotResponse.RateStats"

        /// Events counted.
        public var events: UInt64

        /// Events flagged.
        public var flagged: UInt64

        /// flagged / events (0 when there are no events).
        public var flagRate: Double

        /// Lower bound of the confidence interval of the flag rate.
        public var flagRateLow: Double

        /// Upper bound of the confidence interval of the flag rate.
        public var flagRateHigh: Double

        /// Mean fraud probability.
        public var meanScore: Double

        /// The training flag rate it is compared with.
        public var baseFlagRate: Double

        /// The training fraud rate.
        public var baseFraudRate: Double

        /// The interval's confidence level, e.g. 0.95.
        public var confidence: Double

        /// ok, or warn/alert after the configured number of windows outside the interval.
        public var status: AlertLevel

        /// Events with a delayed label so far.
        public var labelled: UInt64

        /// Labelled events that were fraud.
        public var labelledFrauds: UInt64

        /// Creates a message; every field defaults to its protobuf default.
        /// - Parameters:
        ///   - events: Events counted.
        ///   - flagged: Events flagged.
        ///   - flagRate: flagged / events (0 when there are no events).
        ///   - flagRateLow: Lower bound of the confidence interval of the flag rate.
        ///   - flagRateHigh: Upper bound of the confidence interval of the flag rate.
        ///   - meanScore: Mean fraud probability.
        ///   - baseFlagRate: The training flag rate it is compared with.
        ///   - baseFraudRate: The training fraud rate.
        ///   - confidence: The interval's confidence level, e.g.
        ///   - status: ok, or warn/alert after the configured number of windows outside the interval.
        ///   - labelled: Events with a delayed label so far.
        ///   - labelledFrauds: Labelled events that were fraud.
        public init(
            events: UInt64 = 0,
            flagged: UInt64 = 0,
            flagRate: Double = 0,
            flagRateLow: Double = 0,
            flagRateHigh: Double = 0,
            meanScore: Double = 0,
            baseFlagRate: Double = 0,
            baseFraudRate: Double = 0,
            confidence: Double = 0,
            status: AlertLevel = .unspecified,
            labelled: UInt64 = 0,
            labelledFrauds: UInt64 = 0
        ) {
            self.events = events
            self.flagged = flagged
            self.flagRate = flagRate
            self.flagRateLow = flagRateLow
            self.flagRateHigh = flagRateHigh
            self.meanScore = meanScore
            self.baseFlagRate = baseFlagRate
            self.baseFraudRate = baseFraudRate
            self.confidence = confidence
            self.status = status
            self.labelled = labelled
            self.labelledFrauds = labelledFrauds
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

extension MonitorSnapshotResponse.RateStats: ProtobufCMapped {
    typealias CMessage = Sentinel__V1__MonitorSnapshotResponse__RateStats

    static func cInit(_ message: UnsafeMutablePointer<CMessage>) {
        sentinel__v1__monitor_snapshot_response__rate_stats__init(message)
    }

    init(c pointer: UnsafePointer<CMessage>) throws {
        let c = pointer.pointee
        let events = c.events
        let flagged = c.flagged
        let flagRate = c.flag_rate
        let flagRateLow = c.flag_rate_low
        let flagRateHigh = c.flag_rate_high
        let meanScore = c.mean_score
        let baseFlagRate = c.base_flag_rate
        let baseFraudRate = c.base_fraud_rate
        let confidence = c.confidence
        let status: AlertLevel = try decodeEnum(c.status.rawValue, "status", in: Self.protoName)
        let labelled = c.labelled
        let labelledFrauds = c.labelled_frauds
        self.init(
            events: events, flagged: flagged, flagRate: flagRate, flagRateLow: flagRateLow, flagRateHigh: flagRateHigh,
            meanScore: meanScore, baseFlagRate: baseFlagRate, baseFraudRate: baseFraudRate, confidence: confidence,
            status: status, labelled: labelled, labelledFrauds: labelledFrauds)
    }

    func fill(_ c: inout CMessage, arena: inout CArena) {
        c.events = events
        c.flagged = flagged
        c.flag_rate = flagRate
        c.flag_rate_low = flagRateLow
        c.flag_rate_high = flagRateHigh
        c.mean_score = meanScore
        c.base_flag_rate = baseFlagRate
        c.base_fraud_rate = baseFraudRate
        c.confidence = confidence
        c.status = .init(rawValue: numericCast(status.rawValue))
        c.labelled = labelled
        c.labelled_frauds = labelledFrauds
    }

    /// Runs `body` with a C struct that borrows this value's strings and arrays for the duration of the call.
    ///
    /// A flat message (no sub-messages) packs faster this way than through a ``CArena``: nothing is copied
    /// before protobuf-c reads it.
    @inline(__always)
    func withBorrowedCMessage<R>(_ body: (UnsafePointer<ProtobufCMessage>) -> R) -> R {
        var c = CMessage()
        Self.cInit(&c)
        c.events = events
        c.flagged = flagged
        c.flag_rate = flagRate
        c.flag_rate_low = flagRateLow
        c.flag_rate_high = flagRateHigh
        c.mean_score = meanScore
        c.base_flag_rate = baseFlagRate
        c.base_fraud_rate = baseFraudRate
        c.confidence = confidence
        c.status = .init(rawValue: numericCast(status.rawValue))
        c.labelled = labelled
        c.labelled_frauds = labelledFrauds
        return withUnsafePointer(to: &c) { body(UnsafeRawPointer($0).assumingMemoryBound(to: ProtobufCMessage.self)) }
    }
}
