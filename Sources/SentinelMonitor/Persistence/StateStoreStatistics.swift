/// Counters and gauges of a ``StateStore`` for `/metrics`.
///
/// ```swift
/// let stats = store.statistics
/// print(stats.appends, stats.syncs, stats.diskBytes)
/// ```
public struct StateStoreStatistics: Sendable, Hashable {
    /// `enqueue`/`append` calls accepted since the store was opened.
    public var appends: UInt64 = 0
    /// Records accepted since the store was opened.
    public var records: UInt64 = 0
    /// Log bytes (frames included) written since the store was opened.
    public var logBytesWritten: UInt64 = 0
    /// `fdatasync` calls on log segments since the store was opened (group commit: usually far fewer than appends).
    public var syncs: UInt64 = 0
    /// Group commits: write-and-sync rounds of the log writer.
    public var commits: UInt64 = 0
    /// Snapshots written since the store was opened.
    public var snapshots: UInt64 = 0
    /// Log segments deleted because a kept snapshot covers them.
    public var segmentsDeleted: UInt64 = 0
    /// The position after the last record enqueued.
    public var enqueuedPosition: LogPosition = .start
    /// The position after the last record known to be on disk.
    public var durablePosition: LogPosition = .start
    /// The position covered by the newest snapshot (`.start` when there is none).
    public var snapshotPosition: LogPosition = .start
    /// Log segments on disk.
    public var segmentCount: Int = 0
    /// Bytes of the log segments on disk.
    public var logDiskBytes: Int64 = 0
    /// Bytes of the snapshots on disk.
    public var snapshotDiskBytes: Int64 = 0
    /// Log bytes written since the newest snapshot (compared with `StateStoreOptions.snapshotAfterBytes`).
    public var logBytesSinceSnapshot: Int64 = 0

    /// Log and snapshot bytes on disk together.
    public var diskBytes: Int64 { logDiskBytes + snapshotDiskBytes }

    /// Creates zeroed statistics.
    public init() {}
}
