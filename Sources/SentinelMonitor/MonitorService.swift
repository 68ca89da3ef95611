import Foundation
import SentinelDrift
import SentinelLock
public import SentinelLog
import SentinelMetrics
public import SentinelSchema
import Synchronization

/// The monitor's service: the state behind a lock, the durable log, the alert log lines and the metrics — what the
/// RPC handlers, the dashboard and the window clock call.
///
/// **Ingestion path.** Decode outside the lock (the RPC path unpacks with protobuf-c and reads the batch in place,
/// ``EventBatch/View``, instead of building `[ScoringEvent]`); under the lock, validate and apply the batch to
/// ``MonitorState`` and enqueue its log record, the payload bytes as received (so the log order is the application
/// order; an in-memory monitor builds no record); outside the lock, await the record's durability (the store's group
/// commit shares one `fdatasync` among concurrent batches); only then return the acknowledgement. A duplicate-only batch is logged too (its counters change) and waits for the same durability,
/// so an ack never runs ahead of the disk. A rejected batch changes nothing and is not logged.
///
/// **Recovery.** ``open(settings:stateDirectory:storeOptions:logger:metrics:clock:)`` restores the newest valid
/// snapshot and replays the log after it with the recorded arrival times, then advances the windows to now.
/// Alert transitions found during replay are not logged again; the active alerts are logged once after recovery.
///
/// ```swift
/// let service = try MonitorService.open(settings: MonitorSettings(), stateDirectory: "/var/lib/sentinel")
/// var router = Router()
/// service.register(on: &router)
/// let view = service.snapshot(MonitorSnapshotRequest())
/// ```
public final class MonitorService: Sendable {
    /// The Prometheus series.
    public let metrics: MonitorMetrics
    /// Where the JSON log lines go.
    public let logger: JSONLog
    /// The durable store; `nil` for an in-memory monitor (tests, `--state-dir` not given).
    public let store: StateStore?
    let clock: @Sendable () -> Int64
    let state: Lock<MonitorState>
    private let lastSnapshot: Lock<Int64>

    /// The wall clock in microseconds since the epoch.
    public static let systemClock: @Sendable () -> Int64 = {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1_000_000 + Int64(now.tv_nsec) / 1_000
    }

    private init(
        state: MonitorState, store: StateStore?, logger: JSONLog, metrics: MonitorMetrics,
        clock: @escaping @Sendable () -> Int64
    ) {
        self.state = Lock(state)
        self.store = store
        self.logger = logger
        self.metrics = metrics
        self.clock = clock
        self.lastSnapshot = Lock(clock())
        metrics.events.increment(by: Double(state.eventsTotal))
        metrics.registry.addCollector { [weak self] in self?.collectMetrics() }
    }

    /// Opens the monitor: restores its state from `stateDirectory` (snapshot + log replay), or starts empty.
    ///
    /// Runs on the caller's thread (start-up).
    /// - Parameters:
    ///   - settings: Statistical settings and bounds (for versions registered from now on; restored versions keep
    ///     the others they were registered with but take these drift thresholds).
    ///   - stateDirectory: The state directory, or `nil` for a monitor that keeps nothing across restarts.
    ///   - storeOptions: Log segment size, snapshot suggestion, syncing.
    ///   - logger: Where JSON log lines go.
    ///   - metrics: The Prometheus series.
    ///   - clock: Now, microseconds since the epoch (injected by tests).
    /// - Returns: The service, ready to serve.
    /// - Throws: ``MonitorError`` `.invalidConfiguration` for bad settings; ``PersistenceError`` when the state
    ///   directory cannot be opened (locked by another process, unreadable).
    public static func open(
        settings: MonitorSettings, stateDirectory: String? = nil, storeOptions: StateStoreOptions = StateStoreOptions(),
        logger: JSONLog = .standardOutput, metrics: MonitorMetrics = MonitorMetrics(),
        clock: @escaping @Sendable () -> Int64 = MonitorService.systemClock
    ) throws -> MonitorService {
        try settings.validate()
        guard let stateDirectory else {
            return MonitorService(
                state: MonitorState(settings: settings, startedAt: clock()), store: nil, logger: logger,
                metrics: metrics, clock: clock)
        }
        var restored: MonitorState?
        var replayErrors = 0
        let store = try StateStore.open(directory: stateDirectory, options: storeOptions) { snapshot in
            // Decode into a local first: a snapshot that fails to decode must leave `restored` untouched.
            let decoded = try MonitorState(snapshotBytes: snapshot.bytes)
            restored = decoded
        } replay: { record, position in
            do {
                try Self.replay(
                    try MonitorRecord(type: record.type, payload: record.payload), into: &restored, settings)
            } catch {
                // A record that no longer applies is reported, not fatal: the rest of the log still counts.
                replayErrors += 1
                logger.log(
                    .error, "log record skipped", ["position": .string("\(position)"), "error": .string("\(error)")])
            }
        }
        let report = store.recovery
        metrics.lostRecords.set(Double(report.acknowledgedRecordsLost))
        for issue in report.issues {
            logger.log(
                issue.dataLoss ? .error : .warning, "state recovery issue",
                ["kind": .string(issue.kind.rawValue), "file": .string(issue.file), "detail": .string(issue.message)])
        }
        var state: MonitorState
        if let restored {
            state = restored
        } else {
            state = MonitorState(settings: settings, startedAt: clock())
            let genesis = MonitorRecord.payload(time: state.startedAtMicroseconds, bytes: [])
            _ = try store.enqueue([LogRecord(type: MonitorRecord.Tag.genesis.rawValue, payload: genesis)])
        }
        state.settings = settings
        state.applyThresholdSettings()
        _ = state.advance(to: clock())
        logger.log(
            .info, "state restored",
            [
                "directory": .string(stateDirectory), "snapshot": .string(report.snapshotFile ?? "none"),
                "records_replayed": .int(Int64(report.recordsReplayed)),
                "records_skipped": .int(Int64(replayErrors)), "events_total": .int(Int64(state.eventsTotal)),
                "models": .int(Int64(state.models.count)), "producers": .int(Int64(state.producers.count)),
            ])
        for alert in state.alerts.values.sorted(by: { $0.sinceMicroseconds < $1.sinceMicroseconds }) {
            logger.log(
                .warning, "alert active after restart",
                [
                    "model_version": .string(alert.modelVersion), "subject": .string(alert.subject.description),
                    "level": .string(alert.level.description), "reason": .string(alert.reason),
                ])
        }
        return MonitorService(state: state, store: store, logger: logger, metrics: metrics, clock: clock)
    }

    /// Applies one replayed record (recorded time, same code path as live requests).
    static func replay(_ record: MonitorRecord, into state: inout MonitorState?, _ settings: MonitorSettings) throws {
        switch record {
        case .genesis(let time):
            if state == nil { state = MonitorState(settings: settings, startedAt: time) }
        case .batch(let time, let batch):
            var current = state ?? MonitorState(settings: settings, startedAt: time)
            defer { state = current }
            _ = try current.ingest(batch, at: time)
        case .register(let time, let request):
            var current = state ?? MonitorState(settings: settings, startedAt: time)
            defer { state = current }
            _ = try current.register(request, at: time)
        case .labels(let time, let request):
            var current = state ?? MonitorState(settings: settings, startedAt: time)
            defer { state = current }
            _ = try current.reportLabels(request, at: time)
        }
    }

    // MARK: Requests

    /// Applies an event batch and returns its acknowledgement once the batch is durable.
    /// - Parameters:
    ///   - batch: The batch.
    ///   - encoded: Its protobuf bytes when already at hand (the RPC payload), else they are encoded here.
    /// - Returns: The acknowledgement.
    /// - Throws: ``MonitorError``: as ``MonitorState/ingest(_:at:)-(EventBatch,_)`` (nothing applied), or `.storage`
    ///   when the log failed (nothing acknowledged; the producer resends).
    public func ingest(_ batch: EventBatch, encoded: [UInt8]? = nil) async throws -> IngestAck {
        let time = clock()
        let result = try apply(
            time: time, encoded: { encoded ?? batch.serializedBytes() },
            body: { (state: inout MonitorState) throws(MonitorError) in try state.ingest(batch, at: time) })
        return try await finish(result)
    }

    /// Decodes an encoded event batch, applies it read in place (no `[ScoringEvent]` is built), logs the bytes as
    /// received, and returns the acknowledgement once the batch is durable — the RPC path.
    /// - Parameter encoded: The EventBatch's protobuf bytes.
    /// - Returns: The acknowledgement.
    /// - Throws: ``SchemaError`` when the bytes do not decode (nothing applied, not counted as rejected);
    ///   otherwise as ``ingest(_:encoded:)``.
    public func ingest(encoded: [UInt8]) async throws -> IngestAck {
        let result = try EventBatch.withView(serializedBytes: encoded) { batch in
            let time = clock()
            return try apply(
                time: time, encoded: { encoded },
                body: { (state: inout MonitorState) throws(MonitorError) in try state.ingest(batch, at: time) })
        }
        return try await finish(result)
    }

    /// Applies a batch under the lock and enqueues its log record (built only when there is a log).
    private func apply(
        time: Int64, encoded: () -> [UInt8],
        body: (inout MonitorState) throws(MonitorError) -> MonitorState.IngestResult
    ) throws(MonitorError) -> (MonitorState.IngestResult, LogPosition?) {
        let record =
            store == nil
            ? nil
            : LogRecord(
                type: MonitorRecord.Tag.batch.rawValue, payload: MonitorRecord.payload(time: time, bytes: encoded()))
        do {
            return try state.withLock { state throws(MonitorError) in
                let result = try body(&state)
                let position: LogPosition? = if let record { try enqueue(record) } else { nil }
                return (result, position)
            }
        } catch {
            metrics.rejected.increment()
            throw error
        }
    }

    /// Logs the transitions, counts the batch, and waits for its durability.
    private func finish(_ applied: (MonitorState.IngestResult, LogPosition?)) async throws -> IngestAck {
        let (result, position) = applied
        logTransitions(result.transitions)
        metrics.events.increment(by: Double(result.ack.accepted))
        metrics.duplicates.increment(by: Double(result.ack.duplicates))
        metrics.batches.increment()
        metrics.countScored(result.counts)
        try await waitUntilDurable(position)
        return result.ack
    }

    /// Registers a model version's reference, durably.
    /// - Parameters:
    ///   - request: The registration.
    ///   - encoded: Its protobuf bytes when already at hand.
    /// - Returns: Whether it was new.
    /// - Throws: ``MonitorError`` as ``MonitorState/register(_:at:)``, or `.storage`.
    public func register(_ request: RegisterModelRequest, encoded: [UInt8]? = nil) async throws
        -> RegisterModelResponse
    {
        let time = clock()
        let record = LogRecord(
            type: MonitorRecord.Tag.register.rawValue,
            payload: MonitorRecord.payload(time: time, bytes: encoded ?? request.serializedBytes()))
        let (response, position) = try state.withLock { state throws(MonitorError) in
            let response = try state.register(request, at: time)
            // An identical re-registration changes nothing: no record, but still wait for what is pending.
            return (response, response.newlyRegistered ? try enqueue(record) : store?.enqueuedPosition)
        }
        if response.newlyRegistered {
            logger.log(
                .info, "model registered",
                [
                    "model_version": .string(request.modelVersion), "producer_id": .string(request.producerId),
                    "features": .int(Int64(request.reference.features.count)),
                ])
        }
        try await waitUntilDurable(position)
        return response
    }

    /// Records delayed labels, durably.
    /// - Parameters:
    ///   - request: The labels.
    ///   - encoded: Its protobuf bytes when already at hand.
    /// - Returns: Accepted, unknown and relabelled counts.
    /// - Throws: ``MonitorError`` as ``MonitorState/reportLabels(_:at:)``, or `.storage`.
    public func reportLabels(_ request: ReportLabelsRequest, encoded: [UInt8]? = nil) async throws
        -> ReportLabelsResponse
    {
        let time = clock()
        let record = LogRecord(
            type: MonitorRecord.Tag.labels.rawValue,
            payload: MonitorRecord.payload(time: time, bytes: encoded ?? request.serializedBytes()))
        let (response, position) = try state.withLock { state throws(MonitorError) in
            let response = try state.reportLabels(request, at: time)
            return (response, try enqueue(record))
        }
        metrics.labels.increment(by: Double(request.labels.count))
        try await waitUntilDurable(position)
        return response
    }

    /// The monitor's current view (windows advanced to now first).
    /// - Parameter request: Model filter, history length, exact KS.
    /// - Returns: The snapshot.
    public func snapshot(_ request: MonitorSnapshotRequest = MonitorSnapshotRequest()) -> MonitorSnapshotResponse {
        let time = clock()
        // Only the cheap part runs under the lock; copying the whole state instead would make the next batch pay a
        // copy-on-write of the label book and the history ring.
        var (response, parts, transitions) = state.withLock { state in
            let transitions = state.advance(to: time)
            let (response, parts) = state.snapshotParts(request, at: time)
            return (response, parts, transitions)
        }
        logTransitions(transitions)
        MonitorState.complete(&response, with: parts)
        return response
    }

    /// A copy of the whole state (for tests and tools).
    public var currentState: MonitorState { state.withLock { $0 } }

    // MARK: Clock and snapshots

    /// Advances every window to now and logs the transitions.
    public func tick() {
        let time = clock()
        let transitions = state.withLock { $0.advance(to: time) }
        logTransitions(transitions)
    }

    /// Writes a snapshot of the state covering every record logged so far.
    /// - Throws: ``PersistenceError`` when the snapshot cannot be written (the log stays intact).
    public func writeSnapshot() async throws {
        guard let store else { return }
        let (copy, position) = state.withLock { state in (state, store.enqueuedPosition) }
        let bytes = try copy.snapshotBytes()
        try await store.writeSnapshot(bytes, covering: position)
        lastSnapshot.withLock { $0 = clock() }
        logger.log(
            .info, "snapshot written", ["position": .string("\(position)"), "bytes": .int(Int64(bytes.count))])
    }

    /// Whether a snapshot is due: the store suggests one, or `interval` has passed since the last.
    /// - Parameter interval: The longest time between snapshots.
    func snapshotDue(every interval: Duration) -> Bool {
        guard let store else { return false }
        let microseconds = interval.components.seconds * 1_000_000 + interval.components.attoseconds / 1_000_000_000_000
        return store.shouldSnapshot || clock() - lastSnapshot.withLock { $0 } >= microseconds
    }

    /// Why the state store stopped accepting writes, or `nil` while it accepts them (or there is none).
    public var storeFailure: PersistenceError? { store?.failure }

    /// Writes a last snapshot (unless the store has failed) and closes the store (idempotent).
    public func close() async {
        guard let store else { return }
        if store.failure == nil {
            do {
                try await writeSnapshot()
            } catch {
                logger.log(.error, "final snapshot failed", ["error": .string("\(error)")])
            }
        }
        await store.close()
    }

    // MARK: Helpers

    private func enqueue(_ record: LogRecord) throws(MonitorError) -> LogPosition? {
        guard let store else { return nil }
        do {
            return try store.enqueue([record])
        } catch {
            throw MonitorError(.storage, "cannot log the request: \(error)")
        }
    }

    private func waitUntilDurable(_ position: LogPosition?) async throws {
        guard let store, let position else { return }
        do {
            try await store.waitUntilDurable(position)
        } catch {
            throw MonitorError(.storage, "the log did not become durable: \(error)")
        }
    }

    private func logTransitions(_ transitions: [MonitorTransition]) {
        for change in transitions {
            let transition = change.transition
            logger.log(
                transition.to > transition.from ? .warning : .info, "alert transition",
                [
                    "model_version": .string(change.modelVersion), "kind": .string(transition.subject.kind),
                    "subject": .string(transition.subject.featureName ?? transition.subject.kind),
                    "from": .string(transition.from.description), "to": .string(transition.to.description),
                    "value": .double(transition.value), "threshold": .double(change.threshold),
                    "window_start_unix_ms": .int(transition.windowStart), "reason": .string(transition.reason),
                ])
        }
    }
}
