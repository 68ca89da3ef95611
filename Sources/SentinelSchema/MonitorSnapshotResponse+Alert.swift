import CProtobufC
import SentinelProtoC

extension MonitorSnapshotResponse {
    /// An active alert.
    ///
    /// ```swift
    /// var message = MonitorSnapshotResponse.Alert()
    /// message.kind = .featureDrift
    /// let decoded = try MonitorSnapshotResponse.Alert(serializedBytes: message.serializedBytes())
    /// ```
    public struct Alert: WireMessage {
        /// The fully qualified protobuf name.
        public static let protoName = "sentinel.v1.MonitorSnapshotResponse.Alert"

        /// What the alert is about.
        public var kind: AlertKind

        /// The input it concerns (feature drift), `score`, or empty.
        public var feature: String

        /// Warn or alert.
        public var level: AlertLevel

        /// Why, for people, e.g. `PSI 0.31 ≥ 0.25 for 2 windows`.
        public var reason: String

        /// The value that triggered it.
        public var value: Double

        /// The threshold it crossed.
        public var threshold: Double

        /// When it entered this level, in microseconds since the Unix epoch.
        public var sinceMicroseconds: Int64

        /// The model version it concerns; empty when not model-specific.
        public var modelVersion: String

        /// Creates a message; every field defaults to its protobuf default.
        /// - Parameters:
        ///   - kind: What the alert is about.
        ///   - feature: The input it concerns (feature drift), `score`, or empty.
        ///   - level: Warn or alert.
        ///   - reason: Why, for people, e.g.
        ///   - value: The value that triggered it.
        ///   - threshold: The threshold it crossed.
        ///   - sinceMicroseconds: When it entered this level, in microseconds since the Unix epoch.
        ///   - modelVersion: The model version it concerns.
        public init(
            kind: AlertKind = .unspecified,
            feature: String = "",
            level: AlertLevel = .unspecified,
            reason: String = "",
            value: Double = 0,
            threshold: Double = 0,
            sinceMicroseconds: Int64 = 0,
            modelVersion: String = ""
        ) {
            self.kind = kind
            self.feature = feature
            self.level = level
            self.reason = reason
            self.value = value
            self.threshold = threshold
            self.sinceMicroseconds = sinceMicroseconds
            self.modelVersion = modelVersion
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

extension MonitorSnapshotResponse.Alert: ProtobufCMapped {
    typealias CMessage = Sentinel__V1__MonitorSnapshotResponse__Alert

    static func cInit(_ message: UnsafeMutablePointer<CMessage>) {
        sentinel__v1__monitor_snapshot_response__alert__init(message)
    }

    init(c pointer: UnsafePointer<CMessage>) throws {
        let c = pointer.pointee
        let kind: AlertKind = try decodeEnum(c.kind.rawValue, "kind", in: Self.protoName)
        let feature = try decodeString(c.feature, "feature", in: Self.protoName)
        let level: AlertLevel = try decodeEnum(c.level.rawValue, "level", in: Self.protoName)
        let reason = try decodeString(c.reason, "reason", in: Self.protoName)
        let value = c.value
        let threshold = c.threshold
        let sinceMicroseconds = c.since_unix_us
        let modelVersion = try decodeString(c.model_version, "model_version", in: Self.protoName)
        self.init(
            kind: kind, feature: feature, level: level, reason: reason, value: value, threshold: threshold,
            sinceMicroseconds: sinceMicroseconds, modelVersion: modelVersion)
    }

    func fill(_ c: inout CMessage, arena: inout CArena) {
        c.kind = .init(rawValue: numericCast(kind.rawValue))
        if !feature.isEmpty { c.feature = arena.cString(feature) }
        c.level = .init(rawValue: numericCast(level.rawValue))
        if !reason.isEmpty { c.reason = arena.cString(reason) }
        c.value = value
        c.threshold = threshold
        c.since_unix_us = sinceMicroseconds
        if !modelVersion.isEmpty { c.model_version = arena.cString(modelVersion) }
    }

    /// Runs `body` with a C struct that borrows this value's strings and arrays for the duration of the call.
    ///
    /// A flat message (no sub-messages) packs faster this way than through a ``CArena``: nothing is copied
    /// before protobuf-c reads it.
    @inline(__always)
    func withBorrowedCMessage<R>(_ body: (UnsafePointer<ProtobufCMessage>) -> R) -> R {
        feature.withCString { featurePointer in
            reason.withCString { reasonPointer in
                modelVersion.withCString { modelVersionPointer in
                    var c = CMessage()
                    Self.cInit(&c)
                    c.kind = .init(rawValue: numericCast(kind.rawValue))
                    c.feature = UnsafeMutablePointer(mutating: featurePointer)
                    c.level = .init(rawValue: numericCast(level.rawValue))
                    c.reason = UnsafeMutablePointer(mutating: reasonPointer)
                    c.value = value
                    c.threshold = threshold
                    c.since_unix_us = sinceMicroseconds
                    c.model_version = UnsafeMutablePointer(mutating: modelVersionPointer)
                    return withUnsafePointer(to: &c) {
                        body(UnsafeRawPointer($0).assumingMemoryBound(to: ProtobufCMessage.self))
                    }
                }
            }
        }
    }
}
