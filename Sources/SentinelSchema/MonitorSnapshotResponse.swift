import CProtobufC
import SentinelProtoC

/// The monitor's view: drift, rates, latency, alerts and producers.
///
/// ```swift
/// var message = MonitorSnapshotResponse()
/// message.generatedAtMicroseconds = 1_533_081_600_000_000
/// let decoded = try MonitorSnapshotResponse(serializedBytes: message.serializedBytes())
/// ```
public struct MonitorSnapshotResponse: WireMessage {
    /// The fully qualified protobuf name.
    public static let protoName = "sentinel.v1.MonitorSnapshotResponse"

    /// When the snapshot was taken, in microseconds since the Unix epoch.
    public var generatedAtMicroseconds: Int64

    /// When the monitor's state began (survives restarts), in microseconds since the Unix epoch.
    public var startedAtMicroseconds: Int64

    /// Events counted since the state began, all producers and models together, each once.
    public var eventsTotal: UInt64

    /// Length of a tumbling window, in microseconds.
    public var windowLengthMicroseconds: Int64

    /// One entry per tracked model version.
    public var models: [MonitorSnapshotResponse.ModelSnapshot]

    /// The active alerts (level warn or alert), most severe first.
    public var alerts: [MonitorSnapshotResponse.Alert]

    /// Every producer seen, with its sequence state.
    public var producers: [MonitorSnapshotResponse.Producer]

    /// The most recent closed windows, oldest first (as many as requested, bounded by the kept history).
    public var history: [MonitorSnapshotResponse.WindowSummary]

    /// Per day and model, metrics from delayed labels (AP, CP@100), oldest first.
    public var labelMetrics: [MonitorSnapshotResponse.DailyLabelMetrics]

    /// Creates a message; every field defaults to its protobuf default.
    /// - Parameters:
    ///   - generatedAtMicroseconds: When the snapshot was taken, in microseconds since the Unix epoch.
    ///   - startedAtMicroseconds: When the monitor's state began (survives restarts), in microseconds since the Unix
    ///     epoch.
    ///   - eventsTotal: Events counted since the state began, all producers and models together, each once.
    ///   - windowLengthMicroseconds: Length of a tumbling window, in microseconds.
    ///   - models: One entry per tracked model version.
    ///   - alerts: The active alerts (level warn or alert), most severe first.
    ///   - producers: Every producer seen, with its sequence state.
    ///   - history: The most recent closed windows, oldest first (as many as requested, bounded by the kept history).
    ///   - labelMetrics: Per day and model, metrics from delayed labels (AP, CP@100), oldest first.
    public init(
        generatedAtMicroseconds: Int64 = 0,
        startedAtMicroseconds: Int64 = 0,
        eventsTotal: UInt64 = 0,
        windowLengthMicroseconds: Int64 = 0,
        models: [MonitorSnapshotResponse.ModelSnapshot] = [],
        alerts: [MonitorSnapshotResponse.Alert] = [],
        producers: [MonitorSnapshotResponse.Producer] = [],
        history: [MonitorSnapshotResponse.WindowSummary] = [],
        labelMetrics: [MonitorSnapshotResponse.DailyLabelMetrics] = []
    ) {
        self.generatedAtMicroseconds = generatedAtMicroseconds
        self.startedAtMicroseconds = startedAtMicroseconds
        self.eventsTotal = eventsTotal
        self.windowLengthMicroseconds = windowLengthMicroseconds
        self.models = models
        self.alerts = alerts
        self.producers = producers
        self.history = history
        self.labelMetrics = labelMetrics
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

extension MonitorSnapshotResponse: ProtobufCMapped {
    typealias CMessage = Sentinel__V1__MonitorSnapshotResponse

    static func cInit(_ message: UnsafeMutablePointer<CMessage>) {
        sentinel__v1__monitor_snapshot_response__init(message)
    }

    static func cUnpack(
        _ allocator: UnsafeMutablePointer<ProtobufCAllocator>, _ count: Int, _ bytes: UnsafePointer<UInt8>
    ) -> UnsafeMutablePointer<CMessage>? {
        sentinel__v1__monitor_snapshot_response__unpack(allocator, count, bytes)
    }

    init(c pointer: UnsafePointer<CMessage>) throws {
        let c = pointer.pointee
        let generatedAtMicroseconds = c.generated_at_unix_us
        let startedAtMicroseconds = c.started_at_unix_us
        let eventsTotal = c.events_total
        let windowLengthMicroseconds = c.window_length_us
        let models: [MonitorSnapshotResponse.ModelSnapshot] = try decodeMessages(c.n_models, c.models)
        let alerts: [MonitorSnapshotResponse.Alert] = try decodeMessages(c.n_alerts, c.alerts)
        let producers: [MonitorSnapshotResponse.Producer] = try decodeMessages(c.n_producers, c.producers)
        let history: [MonitorSnapshotResponse.WindowSummary] = try decodeMessages(c.n_history, c.history)
        let labelMetrics: [MonitorSnapshotResponse.DailyLabelMetrics] = try decodeMessages(
            c.n_label_metrics, c.label_metrics)
        self.init(
            generatedAtMicroseconds: generatedAtMicroseconds, startedAtMicroseconds: startedAtMicroseconds,
            eventsTotal: eventsTotal, windowLengthMicroseconds: windowLengthMicroseconds, models: models,
            alerts: alerts, producers: producers, history: history, labelMetrics: labelMetrics)
    }

    func fill(_ c: inout CMessage, arena: inout CArena) {
        c.generated_at_unix_us = generatedAtMicroseconds
        c.started_at_unix_us = startedAtMicroseconds
        c.events_total = eventsTotal
        c.window_length_us = windowLengthMicroseconds
        c.n_models = models.count
        c.models = arena.messages(models)
        c.n_alerts = alerts.count
        c.alerts = arena.messages(alerts)
        c.n_producers = producers.count
        c.producers = arena.messages(producers)
        c.n_history = history.count
        c.history = arena.messages(history)
        c.n_label_metrics = labelMetrics.count
        c.label_metrics = arena.messages(labelMetrics)
    }
}
