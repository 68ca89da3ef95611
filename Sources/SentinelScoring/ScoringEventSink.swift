public import SentinelSchema

/// Where the scoring handlers hand each scored transaction: the event reporter to the monitor.
///
/// Called on the scoring hot path (an event-loop thread): ``record(_:)`` must be O(1), never block and never fail a
/// score. The sink assigns the sequence number (the event arrives with `sequence` 0).
public protocol ScoringEventSink: Sendable {
    /// Takes one scored transaction's event; never blocks, never throws.
    func record(_ event: ScoringEvent)

    /// Takes the events of one ScoreBatch, in order, at once (one hand-off for the batch); never blocks, never
    /// throws. The events borrow the request's memory: the sink must copy what it keeps before returning.
    func record(batch events: UnsafeBufferPointer<ScoredTransactionView>, modelVersion: String)

    /// Tells the sink that `model` now serves (at startup and after each successful reload), so the monitor learns
    /// its reference profile before events of that version.
    func modelActivated(_ model: ModelHandle)

    /// The delivery counters for Stats (sent, acknowledged, spooled, replayed, dropped, queued, spool bytes, last
    /// sequence).
    var delivery: StatsResponse.EventDelivery { get }

    /// Whether the last call to the monitor succeeded (`sentinel_api_monitor_reachable`).
    var isMonitorReachable: Bool { get }

    /// Every delivery counter, for `/metrics` (resends, unrecoverable events and the retention beside those of
    /// ``delivery``).
    var statistics: ReporterStatistics { get }
}
