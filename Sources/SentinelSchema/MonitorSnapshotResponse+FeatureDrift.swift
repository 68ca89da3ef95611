import SentinelProtoC

extension MonitorSnapshotResponse {
    /// Drift statistics of one input (or of the score) in one window.
    ///
    /// ```swift
    /// var message = MonitorSnapshotResponse.FeatureDrift()
    /// message.name = "example"
    /// let decoded = try MonitorSnapshotResponse.FeatureDrift(serializedBytes: message.serializedBytes())
    /// ```
    public struct FeatureDrift: WireMessage {
        /// The fully qualified protobuf name.
        public static let protoName = "sentinel.v1.MonitorSnapshotResponse.FeatureDrift"

        /// The input's name (`score` for the model's score).
        public var name: String

        /// Population stability index over the reference bins (empty bins floored at a documented epsilon).
        public var psi: Double

        /// Jensen–Shannon distance (base 2), in [0, 1].
        public var jsDistance: Double

        /// Kolmogorov–Smirnov statistic from the binned CDFs, in [0, 1].
        public var ksStatistic: Double

        /// Wasserstein-1 distance over bin mid-points divided by the reference standard deviation.
        public var wassersteinNormed: Double

        /// ok / warn / alert from PSI at the configured thresholds.
        public var status: AlertLevel

        /// Non-missing values in the window.
        public var count: UInt64

        /// Missing (NaN) values in the window.
        public var missing: UInt64

        /// The exact KS test on the window's reservoir sample; present only when requested.
        public var exactKS: MonitorSnapshotResponse.ExactKS?

        /// Creates a message; every field defaults to its protobuf default.
        /// - Parameters:
        ///   - name: The input's name (`score` for the model's score).
        ///   - psi: Population stability index over the reference bins (empty bins floored at a documented epsilon).
        ///   - jsDistance: Jensen–Shannon distance (base 2), in [0, 1].
        ///   - ksStatistic: Kolmogorov–Smirnov statistic from the binned CDFs, in [0, 1].
        ///   - wassersteinNormed: Wasserstein-1 distance over bin mid-points divided by the reference standard
        ///     deviation.
        ///   - status: ok / warn / alert from PSI at the configured thresholds.
        ///   - count: Non-missing values in the window.
        ///   - missing: Missing (NaN) values in the window.
        ///   - exactKS: The exact KS test on the window's reservoir sample.
        public init(
            name: String = "",
            psi: Double = 0,
            jsDistance: Double = 0,
            ksStatistic: Double = 0,
            wassersteinNormed: Double = 0,
            status: AlertLevel = .unspecified,
            count: UInt64 = 0,
            missing: UInt64 = 0,
            exactKS: MonitorSnapshotResponse.ExactKS? = nil
        ) {
            self.name = name
            self.psi = psi
            self.jsDistance = jsDistance
            self.ksStatistic = ksStatistic
            self.wassersteinNormed = wassersteinNormed
            self.status = status
            self.count = count
            self.missing = missing
            self.exactKS = exactKS
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

extension MonitorSnapshotResponse.FeatureDrift: ProtobufCMapped {
    typealias CMessage = Sentinel__V1__MonitorSnapshotResponse__FeatureDrift

    static func cInit(_ message: UnsafeMutablePointer<CMessage>) {
        sentinel__v1__monitor_snapshot_response__feature_drift__init(message)
    }

    init(c pointer: UnsafePointer<CMessage>) throws {
        let c = pointer.pointee
        let name = try decodeString(c.name, "name", in: Self.protoName)
        let psi = c.psi
        let jsDistance = c.js_distance
        let ksStatistic = c.ks_statistic
        let wassersteinNormed = c.wasserstein_normed
        let status: AlertLevel = try decodeEnum(c.status.rawValue, "status", in: Self.protoName)
        let count = c.count
        let missing = c.missing
        let exactKS: MonitorSnapshotResponse.ExactKS? = try c.exact_ks.map {
            try MonitorSnapshotResponse.ExactKS(c: $0)
        }
        self.init(
            name: name, psi: psi, jsDistance: jsDistance, ksStatistic: ksStatistic,
            wassersteinNormed: wassersteinNormed, status: status, count: count, missing: missing, exactKS: exactKS)
    }

    func fill(_ c: inout CMessage, arena: inout CArena) {
        if !name.isEmpty { c.name = arena.cString(name) }
        c.psi = psi
        c.js_distance = jsDistance
        c.ks_statistic = ksStatistic
        c.wasserstein_normed = wassersteinNormed
        c.status = .init(rawValue: numericCast(status.rawValue))
        c.count = count
        c.missing = missing
        if let exactKS { c.exact_ks = arena.message(exactKS) }
    }
}
