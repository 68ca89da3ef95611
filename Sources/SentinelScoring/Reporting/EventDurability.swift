/// When a scoring request's answer may leave: before or after its events are on disk.
///
/// ```swift
/// var configuration = EventReporter.Configuration(monitor: monitor, spoolDirectory: "/var/spool/sentinel")
/// configuration.durability = .sync  // every answered score's event is in the synced spool first
/// ```
public enum EventDurability: String, Sendable, CaseIterable, CustomStringConvertible {
    /// The answer leaves at once; the event follows to the monitor from memory (the spool only when the monitor is
    /// away or slow). A hard crash of the process loses the events still in memory: their sequence numbers show as
    /// a gap at the monitor. The default.
    case async
    /// The answer waits until the request's events are written to the spool and `fdatasync`ed (one sync for every
    /// event recorded meanwhile: a group commit). A hard crash then loses no answered event; a request whose
    /// events cannot be made durable is answered UNAVAILABLE.
    case sync

    /// `async` or `sync`.
    public var description: String { rawValue }
}

/// What ``EventReporter/record(_:)`` did with a request's events: the sequence numbers they got, and whether they
/// were all queued. A sink in ``EventDurability/sync`` mode waits on it with
/// ``ScoringEventSink/waitUntilDurable(_:)``.
public struct EventReceipt: Sendable, Equatable {
    /// The first and last sequence numbers assigned to the events (`0...0` when none were recorded).
    public var sequences: ClosedRange<UInt64>
    /// Whether every event was queued; `false` when the hand-off queue was full or closed for shutdown.
    public var queued: Bool

    /// Creates a receipt.
    /// - Parameters:
    ///   - sequences: The sequence numbers assigned.
    ///   - queued: Whether every event was queued.
    public init(sequences: ClosedRange<UInt64>, queued: Bool) {
        self.sequences = sequences
        self.queued = queued
    }

    /// The receipt of a sink that does not number events: nothing to wait for.
    public static let none = EventReceipt(sequences: 0...0, queued: true)
}
