import SentinelProtoC

extension MonitorSnapshotResponse {
    /// The monitor's statistics for one model version.
    ///
    /// ```swift
    /// var message = MonitorSnapshotResponse.ModelSnapshot()
    /// message.modelVersion = "example"
    /// let decoded = try MonitorSnapshotResponse.ModelSnapshot(serializedBytes: message.serializedBytes())
    /// ```
    public struct ModelSnapshot: WireMessage {
        /// The fully qualified protobuf name.
        public static let protoName = "sentinel.v1.MonitorSnapshotResponse.ModelSnapshot"

        /// The model version.
        public var modelVersion: String

        /// False until the model's reference profile is registered; drift is then not computed.
        public var referenceKnown: Bool

        /// Events from this model since the state began.
        public var eventsTotal: UInt64

        /// Start of the window the drift and rates describe (the current, open window), in microseconds since the Unix
        /// epoch.
        public var windowStartMicroseconds: Int64

        /// Data drift of the current window against the reference.
        public var drift: MonitorSnapshotResponse.DriftReport

        /// Flag and fraud rates in the current window.
        public var windowRates: MonitorSnapshotResponse.RateStats

        /// Flag and fraud rates since the state began.
        public var sinceStartRates: MonitorSnapshotResponse.RateStats

        /// Server-side latency in the current window.
        public var windowLatency: LatencySummary

        /// Server-side latency since the state began.
        public var sinceStartLatency: LatencySummary

        /// Events per second in the current window (over its elapsed part).
        public var throughputPerSecond: Double

        /// Creates a message; every field defaults to its protobuf default.
        /// - Parameters:
        ///   - modelVersion: The model version.
        ///   - referenceKnown: False until the model's reference profile is registered.
        ///   - eventsTotal: Events from this model since the state began.
        ///   - windowStartMicroseconds: Start of the window the drift and rates describe (the current, open window), in
        ///     microseconds since the Unix epoch.
        ///   - drift: Data drift of the current window against the reference.
        ///   - windowRates: Flag and fraud rates in the current window.
        ///   - sinceStartRates: Flag and fraud rates since the state began.
        ///   - windowLatency: Server-side latency in the current window.
        ///   - sinceStartLatency: Server-side latency since the state began.
        ///   - throughputPerSecond: Events per second in the current window (over its elapsed part).
        public init(
            modelVersion: String = "",
            referenceKnown: Bool = false,
            eventsTotal: UInt64 = 0,
            windowStartMicroseconds: Int64 = 0,
            drift: MonitorSnapshotResponse.DriftReport = MonitorSnapshotResponse.DriftReport(),
            windowRates: MonitorSnapshotResponse.RateStats = MonitorSnapshotResponse.RateStats(),
            sinceStartRates: MonitorSnapshotResponse.RateStats = MonitorSnapshotResponse.RateStats(),
            windowLatency: LatencySummary = LatencySummary(),
            sinceStartLatency: LatencySummary = LatencySummary(),
            throughputPerSecond: Double = 0
        ) {
            self.modelVersion = modelVersion
            self.referenceKnown = referenceKnown
            self.eventsTotal = eventsTotal
            self.windowStartMicroseconds = windowStartMicroseconds
            self.drift = drift
            self.windowRates = windowRates
            self.sinceStartRates = sinceStartRates
            self.windowLatency = windowLatency
            self.sinceStartLatency = sinceStartLatency
            self.throughputPerSecond = throughputPerSecond
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

extension MonitorSnapshotResponse.ModelSnapshot: ProtobufCMapped {
    typealias CMessage = Sentinel__V1__MonitorSnapshotResponse__ModelSnapshot

    static func cInit(_ message: UnsafeMutablePointer<CMessage>) {
        sentinel__v1__monitor_snapshot_response__model_snapshot__init(message)
    }

    init(c pointer: UnsafePointer<CMessage>) throws {
        let c = pointer.pointee
        let modelVersion = try decodeString(c.model_version, "model_version", in: Self.protoName)
        let referenceKnown = c.reference_known != 0
        let eventsTotal = c.events_total
        let windowStartMicroseconds = c.window_start_unix_us
        let drift: MonitorSnapshotResponse.DriftReport = try decodeMessage(
            c.drift, default: MonitorSnapshotResponse.DriftReport())
        let windowRates: MonitorSnapshotResponse.RateStats = try decodeMessage(
            c.window_rates, default: MonitorSnapshotResponse.RateStats())
        let sinceStartRates: MonitorSnapshotResponse.RateStats = try decodeMessage(
            c.since_start_rates, default: MonitorSnapshotResponse.RateStats())
        let windowLatency: LatencySummary = try decodeMessage(c.window_latency, default: LatencySummary())
        let sinceStartLatency: LatencySummary = try decodeMessage(c.since_start_latency, default: LatencySummary())
        let throughputPerSecond = c.throughput_per_second
        self.init(
            modelVersion: modelVersion, referenceKnown: referenceKnown, eventsTotal: eventsTotal,
            windowStartMicroseconds: windowStartMicroseconds, drift: drift, windowRates: windowRates,
            sinceStartRates: sinceStartRates, windowLatency: windowLatency, sinceStartLatency: sinceStartLatency,
            throughputPerSecond: throughputPerSecond)
    }

    func fill(_ c: inout CMessage, arena: inout CArena) {
        if !modelVersion.isEmpty { c.model_version = arena.cString(modelVersion) }
        c.reference_known = referenceKnown ? 1 : 0
        c.events_total = eventsTotal
        c.window_start_unix_us = windowStartMicroseconds
        c.drift = arena.message(drift)
        c.window_rates = arena.message(windowRates)
        c.since_start_rates = arena.message(sinceStartRates)
        c.window_latency = arena.message(windowLatency)
        c.since_start_latency = arena.message(sinceStartLatency)
        c.throughput_per_second = throughputPerSecond
    }
}
