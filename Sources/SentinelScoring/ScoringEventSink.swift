public import SentinelSchema

/// Where the scoring handlers hand each scored transaction: the event reporter to the monitor.
///
/// Called on the scoring hot path (an event-loop thread): ``record(_:)`` must be O(1), never block and never fail a
/// score. The sink assigns the sequence number (the event arrives with `sequence` 0).
public protocol ScoringEventSink: Sendable {
    /// Takes one scored transaction's event; never blocks, never throws.
    /// - Returns: What to wait on with ``waitUntilDurable(_:)`` in ``EventDurability/sync`` mode.
    @discardableResult
    func record(_ event: ScoringEvent) -> EventReceipt

    /// Takes the events of one ScoreBatch, in order, at once (one hand-off for the batch); never blocks, never
    /// throws. The events borrow the request's memory: the sink must copy what it keeps before returning.
    /// - Returns: What to wait on with ``waitUntilDurable(_:)`` in ``EventDurability/sync`` mode.
    @discardableResult
    func record(batch events: UnsafeBufferPointer<ScoredTransactionView>, modelVersion: String) -> EventReceipt

    /// Whether a scoring answer waits for its events to be durable (``EventDurability/sync``: the handlers then
    /// call ``waitUntilDurable(_:)`` before answering).
    var durability: EventDurability { get }

    /// Returns once the receipt's events are durable (at once in ``EventDurability/async`` mode).
    /// - Throws: ``ReportingError`` when they cannot be made durable; the request is then answered UNAVAILABLE.
    func waitUntilDurable(_ receipt: EventReceipt) async throws(ReportingError)

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
