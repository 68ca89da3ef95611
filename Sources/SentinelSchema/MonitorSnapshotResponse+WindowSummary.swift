import SentinelProtoC

extension MonitorSnapshotResponse {
    /// A closed tumbling window, summarised.
    ///
    /// ```swift
    /// var message = MonitorSnapshotResponse.WindowSummary()
    /// message.startMicroseconds = 1_533_081_600_000_000
    /// let decoded = try MonitorSnapshotResponse.WindowSummary(serializedBytes: message.serializedBytes())
    /// ```
    public struct WindowSummary: WireMessage {
        /// The fully qualified protobuf name.
        public static let protoName = "sentinel.v1.MonitorSnapshotResponse.WindowSummary"

        /// Start of the window, inclusive, in microseconds since the Unix epoch.
        public var startMicroseconds: Int64

        /// End of the window, exclusive, in microseconds since the Unix epoch.
        public var endMicroseconds: Int64

        /// The model version it describes.
        public var modelVersion: String

        /// Events in the window.
        public var events: UInt64

        /// Flagged events in the window.
        public var flagged: UInt64

        /// Mean fraud probability in the window.
        public var meanScore: Double

        /// Fraction of inputs at alert level.
        public var driftShare: Double

        /// The largest PSI over the inputs.
        public var maxPsi: Double

        /// Server-side latency in the window.
        public var latency: LatencySummary

        /// The worst level of any statistic in the window.
        public var status: AlertLevel

        /// Creates a message; every field defaults to its protobuf default.
        /// - Parameters:
        ///   - startMicroseconds: Start of the window, inclusive, in microseconds since the Unix epoch.
        ///   - endMicroseconds: End of the window, exclusive, in microseconds since the Unix epoch.
        ///   - modelVersion: The model version it describes.
        ///   - events: Events in the window.
        ///   - flagged: Flagged events in the window.
        ///   - meanScore: Mean fraud probability in the window.
        ///   - driftShare: Fraction of inputs at alert level.
        ///   - maxPsi: The largest PSI over the inputs.
        ///   - latency: Server-side latency in the window.
        ///   - status: The worst level of any statistic in the window.
        public init(
            startMicroseconds: Int64 = 0,
            endMicroseconds: Int64 = 0,
            modelVersion: String = "",
            events: UInt64 = 0,
            flagged: UInt64 = 0,
            meanScore: Double = 0,
            driftShare: Double = 0,
            maxPsi: Double = 0,
            latency: LatencySummary = LatencySummary(),
            status: AlertLevel = .unspecified
        ) {
            self.startMicroseconds = startMicroseconds
            self.endMicroseconds = endMicroseconds
            self.modelVersion = modelVersion
            self.events = events
            self.flagged = flagged
            self.meanScore = meanScore
            self.driftShare = driftShare
            self.maxPsi = maxPsi
            self.latency = latency
            self.status = status
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
            encode(into: &buffer)
        }

        /// The size in bytes of the protobuf encoding.
        public var serializedSize: Int { packedSize() }
    }
}

extension MonitorSnapshotResponse.WindowSummary: ProtobufCMapped {
    typealias CMessage = Sentinel__V1__MonitorSnapshotResponse__WindowSummary

    static func cInit(_ message: UnsafeMutablePointer<CMessage>) {
        sentinel__v1__monitor_snapshot_response__window_summary__init(message)
    }

    init(c pointer: UnsafePointer<CMessage>) throws {
        let c = pointer.pointee
        let startMicroseconds = c.start_unix_us
        let endMicroseconds = c.end_unix_us
        let modelVersion = try decodeString(c.model_version, "model_version", in: Self.protoName)
        let events = c.events
        let flagged = c.flagged
        let meanScore = c.mean_score
        let driftShare = c.drift_share
        let maxPsi = c.max_psi
        let latency: LatencySummary = try decodeMessage(c.latency, default: LatencySummary())
        let status: AlertLevel = try decodeEnum(c.status.rawValue, "status", in: Self.protoName)
        self.init(
            startMicroseconds: startMicroseconds, endMicroseconds: endMicroseconds, modelVersion: modelVersion,
            events: events, flagged: flagged, meanScore: meanScore, driftShare: driftShare, maxPsi: maxPsi,
            latency: latency, status: status)
    }

    func fill(_ c: inout CMessage, arena: inout CArena) {
        c.start_unix_us = startMicroseconds
        c.end_unix_us = endMicroseconds
        if !modelVersion.isEmpty { c.model_version = arena.cString(modelVersion) }
        c.events = events
        c.flagged = flagged
        c.mean_score = meanScore
        c.drift_share = driftShare
        c.max_psi = maxPsi
        c.latency = arena.message(latency)
        c.status = .init(rawValue: numericCast(status.rawValue))
    }
}
