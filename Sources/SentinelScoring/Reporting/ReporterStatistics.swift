public import SentinelSchema

/// A snapshot of the event reporter's counters, for the Stats RPC and logs.
///
/// Counters are totals since this reporter instance started, except ``queued`` and ``spoolBytes`` (current
/// values) and ``lastSequence`` (persistent across restarts).
///
/// ```swift
/// let stats = reporter.statistics
/// response.events = stats.eventDelivery
/// ```
public struct ReporterStatistics: Sendable, Equatable {
    /// Events recorded (accepted by ``EventReporter/record(_:)``), dropped ones included.
    public var recorded: UInt64 = 0
    /// Events in memory now: in the hand-off queue or in batches waiting to be sent or acknowledged (events the
    /// drain task is cutting into batches at this instant are in neither, so this can briefly read low).
    public var queued: UInt64 = 0
    /// Events sent to the monitor, resends included.
    public var sent: UInt64 = 0
    /// Events the monitor acknowledged as durably applied (or as duplicates it already had).
    public var acknowledged: UInt64 = 0
    /// Events written to the disk spool (counted once they are synced to disk).
    public var spooled: UInt64 = 0
    /// Events read back from the spool and acknowledged by the monitor (in ``EventDurability/sync`` mode, where
    /// every event goes through the spool, none is counted here).
    public var replayed: UInt64 = 0
    /// Events of acknowledged batches sent again from the retention because the monitor reported them missing
    /// (restored from an older copy of its state), and acknowledged again.
    public var resent: UInt64 = 0
    /// Sequence numbers the monitor reported missing that this producer could no longer resend (not retained:
    /// acknowledged longer ago than the retention, or lost before this process started); each reported once.
    public var unrecoverable: UInt64 = 0
    /// Bytes of acknowledged batches retained in memory for resends now.
    public var retainedBytes: UInt64 = 0
    /// Events dropped: spool full, hand-off queue full, recorded after shutdown, or rejected by the monitor as
    /// invalid. Each drop is logged (rate-limited) and told to the monitor in `EventBatch.dropped_total`.
    public var dropped: UInt64 = 0
    /// Size of the spool on disk now, in bytes.
    public var spoolBytes: UInt64 = 0
    /// Events in the spool not yet acknowledged.
    public var spoolEvents: UInt64 = 0
    /// Spool records found corrupt or torn at startup and skipped.
    public var corruptRecords: UInt64 = 0
    /// The last sequence number assigned.
    public var lastSequence: UInt64 = 0
    /// Whether the last attempt to reach the monitor succeeded.
    public var monitorReachable: Bool = false
    /// The last delivery error, if any (cleared by nothing; look at ``monitorReachable`` for the current state).
    public var lastError: String? = nil

    /// Creates a snapshot with every counter at zero.
    public init() {}

    /// The counters as the Stats RPC reports them.
    public var eventDelivery: StatsResponse.EventDelivery {
        StatsResponse.EventDelivery(
            sent: sent,
            acknowledged: acknowledged,
            spooled: spooled,
            replayed: replayed,
            dropped: dropped,
            queued: queued,
            spoolBytes: spoolBytes,
            lastSequence: lastSequence
        )
    }
}
