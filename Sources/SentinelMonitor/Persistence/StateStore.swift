import Dispatch
import SentinelLock
import Synchronization

/// The monitor's durable state: a write-ahead log of records plus periodic snapshots, in one state directory.
///
/// The service appends every change (an applied event batch, a model registration, a label report) as a
/// ``LogRecord`` and acknowledges it only once ``append(_:)`` (or ``waitUntilDurable(_:)``) returns: by then the
/// bytes are written and `fdatasync`ed. Concurrent appends share syncs (group commit): one writer thread takes
/// every batch pending when it finishes a sync, writes them all and syncs once. Now and then the service encodes
/// its whole state and calls ``writeSnapshot(_:covering:)``; log segments the older kept snapshot covers are
/// deleted, so the disk stays bounded. At start, ``open(directory:options:restore:replay:)`` restores the newest
/// valid snapshot and replays the records after it.
///
/// File I/O never runs on Swift's cooperative pool: appends are written by the store's own thread and snapshots
/// on a serial Dispatch queue, and the awaiting tasks are resumed through continuations. Only `open` does I/O
/// on the caller's thread: it is the start-up phase, called before the service runs.
///
/// ```swift
/// var state = MonitorState()
/// let store = try StateStore.open(directory: "/var/lib/sentinel-monitor") { snapshot in
///     state = try MonitorState(decoding: snapshot.bytes)
/// } replay: { record, _ in
///     state.apply(record)
/// }
/// // Inside the service's actor: apply, enqueue (positions follow call order), then wait without blocking it.
/// state.apply(batch)
/// let end = try store.enqueue([LogRecord(type: 1, payload: bytes)])
/// try await store.waitUntilDurable(end)  // now acknowledge
/// // Periodically, when store.shouldSnapshot:
/// try await store.writeSnapshot(state.encoded(), covering: store.enqueuedPosition)
/// await store.close()
/// ```
public final class StateStore: Sendable {
    let core: LogCore

    /// The state directory.
    public let directory: String
    /// The options the store was opened with.
    public let options: StateStoreOptions
    /// What recovery found and did when the store was opened.
    public let recovery: RecoveryReport

    init(core: LogCore, recovery: RecoveryReport) {
        self.core = core
        self.directory = core.directory
        self.options = core.options
        self.recovery = recovery
    }

    deinit {
        core.requestClose()
    }

    /// Opens (creating if needed) a state directory, recovers its state and starts the log writer.
    ///
    /// Recovery takes the state directory's lock (`LOCK`, `flock`), then tries the snapshots newest first: the
    /// first whose checksums hold and that `restore` accepts is used; a corrupt or rejected one is renamed
    /// `*.corrupt` and reported. Then every log record after the snapshot's position is passed to `replay`, in
    /// order. A torn last record is truncated away; corruption before the end of the log stops replay there
    /// (the rest is moved aside as `*.corrupt` files). Both are reported in ``recovery``; neither throws.
    ///
    /// Runs on the caller's thread (start-up, before the service accepts traffic).
    /// - Parameters:
    ///   - directory: The state directory; created with its parents if missing.
    ///   - options: Segment size, record size limit, snapshot suggestion, syncing.
    ///   - restore: Called at most once, with the snapshot to start from. Must leave the service's state
    ///     untouched when it throws: the store then tries the next older snapshot.
    ///   - replay: Called with each log record after the snapshot and its position, in log order.
    /// - Returns: The open store; see ``recovery`` for what was found.
    /// - Throws: ``PersistenceError``: `.locked` when another process has the directory open, `.io` when the
    ///   directory cannot be read or repaired, `.replayFailed` when `replay` throws, `.invalidOption`.
    public static func open(
        directory: String,
        options: StateStoreOptions = StateStoreOptions(),
        restore: (StoredSnapshot) throws -> Void,
        replay: (LogRecord, LogPosition) throws -> Void
    ) throws -> StateStore {
        let (core, report) = try recover(directory: directory, options: options, restore: restore, replay: replay)
        core.start()
        return StateStore(core: core, recovery: report)
    }

    /// Queues records for the log and returns at once with the position after the last of them.
    ///
    /// Positions are taken in call order, so a caller that applies changes and enqueues them in the same
    /// isolation domain (an actor) gets a log in application order. The records are not durable yet: await
    /// ``waitUntilDurable(_:)`` with the returned position before acknowledging. Never blocks on I/O.
    /// - Parameter records: The records, each payload at most `options.maximumRecordBytes`. An empty array
    ///   enqueues nothing and returns ``enqueuedPosition``.
    /// - Returns: The position after the last record.
    /// - Throws: ``PersistenceError``: `.recordTooLarge`, `.storeFailed` after an earlier write failure,
    ///   `.closed`.
    public func enqueue(_ records: [LogRecord]) throws -> LogPosition {
        LogPosition(try core.enqueue(records))
    }

    /// Returns once every record before `position` is written and synced.
    ///
    /// Cancellation does not interrupt the wait: the write is already under way and finishes in milliseconds.
    /// - Parameter position: A position returned by ``enqueue(_:)`` or ``enqueuedPosition``.
    /// - Throws: ``PersistenceError``: `.storeFailed` when the write or sync failed, `.invalidPosition` when
    ///   `position` is beyond ``enqueuedPosition``.
    public func waitUntilDurable(_ position: LogPosition) async throws {
        try await core.waitUntilDurable(position.index)
    }

    /// Appends records and returns once they are written and synced: ``enqueue(_:)`` then
    /// ``waitUntilDurable(_:)``.
    /// - Parameter records: The records.
    /// - Returns: The position after the last record.
    /// - Throws: ``PersistenceError`` as ``enqueue(_:)`` and ``waitUntilDurable(_:)`` do.
    @discardableResult
    public func append(_ records: [LogRecord]) async throws -> LogPosition {
        let end = try enqueue(records)
        try await waitUntilDurable(end)
        return end
    }

    /// The position after the last record enqueued.
    public var enqueuedPosition: LogPosition {
        LogPosition(core.state.withLock { $0.enqueued })
    }

    /// The position after the last record known to be on disk.
    public var durablePosition: LogPosition {
        LogPosition(core.state.withLock { $0.durable })
    }

    /// Writes a snapshot of the service's state, durably, as covering every record before `position`.
    ///
    /// Waits until the log is durable up to `position` (so the log always reaches the snapshot), then writes
    /// `snapshot-P.snap.tmp`, syncs it, renames it into place and syncs the directory, on the store's snapshot
    /// queue. The two newest snapshots are kept (the older is the fallback if the newer proves corrupt); older
    /// snapshots and log segments whose records all lie before the older kept snapshot are deleted. A failed
    /// snapshot leaves the log and earlier snapshots intact and does not fail the store.
    /// - Parameters:
    ///   - bytes: The encoded state; it must reflect exactly the records before `position`.
    ///   - position: Typically ``enqueuedPosition`` read in the same isolation domain as the state was encoded.
    /// - Throws: ``PersistenceError``: `.invalidPosition` when `position` is beyond ``enqueuedPosition`` or before
    ///   the newest snapshot's, `.io` when writing fails, `.storeFailed`, `.closed`.
    public func writeSnapshot(_ bytes: [UInt8], covering position: LogPosition) async throws {
        let marker = try core.state.withLock { s -> Int64 in
            if s.closing { throw PersistenceError(.closed, "the state store is closed") }
            return s.bytesEnqueued
        }
        try await waitUntilDurable(position)
        let core = self.core
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            core.snapshotQueue.async {
                do {
                    try core.writeSnapshotNow(bytes, position: position.index, bytesMarker: marker)
                    continuation.resume()
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }

    /// Whether enough log was written since the newest snapshot (`options.snapshotAfterBytes`) that the service
    /// should write one; it may snapshot on a timer as well (the monitor does every 5 minutes).
    public var shouldSnapshot: Bool {
        core.state.withLock { $0.bytesSinceSnapshot } >= options.snapshotAfterBytes
    }

    /// Why the store stopped accepting writes (fail-stop after a failed write or sync), or `nil` while it accepts.
    public var failure: PersistenceError? {
        core.state.withLock { $0.failure }
    }

    /// Counters, positions and disk usage, for `/metrics`.
    public var statistics: StateStoreStatistics {
        core.state.withLock { s in
            var stats = s.stats
            stats.enqueuedPosition = LogPosition(s.enqueued)
            stats.durablePosition = LogPosition(s.durable)
            stats.snapshotPosition = LogPosition(s.snapshots.last?.position ?? 0)
            stats.segmentCount = s.segments.count
            stats.logDiskBytes = s.segments.reduce(0) { $0 + $1.bytes }
            stats.snapshotDiskBytes = s.snapshots.reduce(0) { $0 + $1.bytes }
            stats.logBytesSinceSnapshot = s.bytesSinceSnapshot
            return stats
        }
    }

    /// Writes and syncs whatever is pending, stops the writer thread and releases the directory lock.
    ///
    /// Appends after `close` throw `.closed`. Safe to call more than once.
    public func close() async {
        await core.close()
    }
}
