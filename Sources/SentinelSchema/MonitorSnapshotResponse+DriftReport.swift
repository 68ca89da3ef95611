import SentinelProtoC

extension MonitorSnapshotResponse {
    /// Drift of one window against a model's reference.
    ///
    /// ```swift
    /// var message = MonitorSnapshotResponse.DriftReport()
    /// message.features = [MonitorSnapshotResponse.FeatureDrift()]
    /// let decoded = try MonitorSnapshotResponse.DriftReport(serializedBytes: message.serializedBytes())
    /// ```
    public struct DriftReport: WireMessage {
        /// The fully qualified protobuf name.
        public static let protoName = "sentinel.v1.MonitorSnapshotResponse.DriftReport"

        /// One entry per model input, in the model's feature order.
        public var features: [MonitorSnapshotResponse.FeatureDrift]

        /// Drift of the model's score.
        public var score: MonitorSnapshotResponse.FeatureDrift

        /// Fraction of inputs whose status is alert (dataset-level drift), in [0, 1].
        public var driftShare: Double

        /// Dataset-level status from the drift share.
        public var status: AlertLevel

        /// Creates a message; every field defaults to its protobuf default.
        /// - Parameters:
        ///   - features: One entry per model input, in the model's feature order.
        ///   - score: Drift of the model's score.
        ///   - driftShare: Fraction of inputs whose status is alert (dataset-level drift), in [0, 1].
        ///   - status: Dataset-level status from the drift share.
        public init(
            features: [MonitorSnapshotResponse.FeatureDrift] = [],
            score: MonitorSnapshotResponse.FeatureDrift = MonitorSnapshotResponse.FeatureDrift(),
            driftShare: Double = 0,
            status: AlertLevel = .unspecified
        ) {
            self.features = features
            self.score = score
            self.driftShare = driftShare
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

extension MonitorSnapshotResponse.DriftReport: ProtobufCMapped {
    typealias CMessage = Sentinel__V1__MonitorSnapshotResponse__DriftReport

    static func cInit(_ message: UnsafeMutablePointer<CMessage>) {
        sentinel__v1__monitor_snapshot_response__drift_report__init(message)
    }

    init(c pointer: UnsafePointer<CMessage>) throws {
        let c = pointer.pointee
        let features: [MonitorSnapshotResponse.FeatureDrift] = try decodeMessages(c.n_features, c.features)
        let score: MonitorSnapshotResponse.FeatureDrift = try decodeMessage(
            c.score, default: MonitorSnapshotResponse.FeatureDrift())
        let driftShare = c.drift_share
        let status: AlertLevel = try decodeEnum(c.status.rawValue, "status", in: Self.protoName)
        self.init(features: features, score: score, driftShare: driftShare, status: status)
    }

    func fill(_ c: inout CMessage, arena: inout CArena) {
        c.n_features = features.count
        c.features = arena.messages(features)
        c.score = arena.message(score)
        c.drift_share = driftShare
        c.status = .init(rawValue: numericCast(status.rawValue))
    }
}
