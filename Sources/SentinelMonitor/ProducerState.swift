/// What the monitor knows about one producer (an API replica): its sequence numbers and counters.
///
/// ```swift
/// var producer = ProducerState(id: "api-1")
/// let isNew = producer.sequences.insert(1)
/// ```
public struct ProducerState: Sendable, Codable, Equatable {
    /// The producer's id.
    public var id: String
    /// Received, duplicate and missing sequence numbers.
    public var sequences: SequenceTracker
    /// Events accepted from it (each counted once).
    public var events: UInt64
    /// Duplicate events it resent (acknowledged, not counted).
    public var duplicates: UInt64
    /// When its last batch arrived, microseconds since the epoch.
    public var lastSeenMicroseconds: Int64
    /// The `dropped_total` of its last batch: events it dropped itself.
    public var reportedDropped: UInt64

    /// Creates a producer seen for the first time.
    /// - Parameters:
    ///   - id: The producer's id.
    ///   - rangeCapacity: The sequence tracker's cap on out-of-order ranges.
    public init(id: String, rangeCapacity: Int = SequenceTracker.defaultRangeCapacity) {
        self.id = id
        self.sequences = SequenceTracker(rangeCapacity: rangeCapacity)
        self.events = 0
        self.duplicates = 0
        self.lastSeenMicroseconds = 0
        self.reportedDropped = 0
    }
}
