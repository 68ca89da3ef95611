import Glibc
public import SentinelLifecycle
import SentinelLock
public import SentinelLog
public import SentinelModel
import SentinelPosix
import SentinelRPC
public import SentinelSchema
import SentinelWire
import Synchronization

/// Delivers scoring events to the monitor asynchronously, in batches, at least once, without ever slowing a
/// score.
///
/// The scoring handlers call ``record(_:)`` (O(1), no syscall, never blocks or throws). It is a ``Service``:
/// `sentinel-api`'s service group starts it before the RPC server and stops it after the server has drained, so
/// every event of every answered request is recorded before the flush. Every event gets the next sequence number
/// of this producer; (``producerId``, sequence) identifies it, and the monitor counts it once.
///
/// Path of an event: encoded once into a bounded in-memory hand-off queue → batches of
/// ``Configuration/batchSize`` (or whatever arrived within ``Configuration/maximumBatchDelay``), kept in memory
/// (up to ``Configuration/pendingCapacityBytes``) → IngestEvents to the monitor, up to
/// ``Configuration/maximumInFlight`` requests outstanding (consecutive batches coalesced up to
/// ``Configuration/maximumRequestBytes``), each batch kept until the ack of the request that carried it (acks may
/// arrive in any order). In the steady state, with a monitor that keeps up, nothing touches the disk. While the
/// monitor is unreachable, or too slow for the batches waiting in memory, batches go to a bounded spool on disk;
/// when the monitor answers again the spool is replayed oldest first, and new batches queue behind it until it is
/// empty, so the monitor receives every producer's events in sequence order (up to the reordering of the requests
/// in flight, which its (producer, sequence) tracking absorbs). After a failed call every unacknowledged batch is
/// sent again, oldest first. A batch the spool cannot take (full, or a full disk) stays in memory while memory has
/// room; only what neither can hold is dropped (counted, logged, and reported in `EventBatch.dropped_total`).
///
/// Durability (``Configuration/durability``): by default spooled batches survive a crash, and events still in
/// memory are lost on a hard crash of the process (their sequence numbers show as a gap), never on a clean
/// shutdown. In ``EventDurability/sync`` mode every batch goes through the spool, and the scoring handler answers
/// only after ``waitUntilDurable(_:)``: the drain thread takes whatever was recorded, writes it and syncs once for
/// all of it (a group commit), then releases the requests it covered.
///
/// Model versions: call ``registerModel(version:artifact:)`` at startup and after each reload, before scoring
/// with the version; the reporter registers every known version (up to 16) with the monitor on each (re)connect
/// and before the first batch that follows a registration.
///
/// ```swift
/// let reporter = try EventReporter(
///     configuration: .init(monitor: monitorAddress, spoolDirectory: "/var/spool/sentinel"))
/// reporter.registerModel(version: model.modelVersion, artifact: model.artifact)
/// // Started first, stopped last: the flush sends to the monitor within the shutdown timeout, else to the spool.
/// try await ServiceGroup(services: [reporter, server]).run()
/// ```
public final class EventReporter: Service {
    /// The producer id every batch carries.
    public let producerId: String
    /// The configuration in force.
    public let configuration: Configuration

    let log: JSONLog
    private let queue: EventQueue
    /// The `producer_id` field every batch starts with.
    private let batchPrefix: [UInt8]
    private let outbox: Lock<Outbox>
    private let models = Lock(ModelRegistry())
    private let control = Lock(Control())
    private let counters = Counters()
    /// Whether answers wait for durability (``EventDurability/sync``).
    private let isSync: Bool
    /// Where sync-mode requests wait for their group commit.
    private let commits: CommitGate
    /// Wakes the drain thread early: at shutdown, and in sync mode on every record.
    private let wakeup = Wakeup()
    /// Rate-limits the spool's error lines (in sync mode a full disk fails every commit).
    private let logThrottle = LogThrottle(interval: .seconds(1))
    private let transport: any MonitorTransport
    /// The transport's event loop, run by ``run()``: IngestEvents calls are started on it in order (so their frames
    /// leave in sequence order), and the TCP client's completions run on it.
    private let loop: PosixEventLoop
    /// The spool directory's `flock`ed file; released (set to -1) when `run()` ends or at deinit.
    private let lockFD: Atomic<Int32>

    /// Opens (or creates) the spool directory, locks it, reads the producer id and sequence state, scans the spool
    /// (skipping torn or corrupt records, with a log line each) and reserves a first lease of sequence numbers.
    /// - Parameters:
    ///   - configuration: Monitor address, spool directory, sizes and timeouts.
    ///   - log: The service log; the reporter's lines carry `"component":"event-reporter"`.
    /// - Throws: ``ReportingError`` when the configuration is invalid, the spool directory is unusable or locked by
    ///   another reporter, or its state file is corrupt; ``SystemError`` when the reporter's event loop cannot be
    ///   created.
    public convenience init(configuration: Configuration, log: JSONLog = .standardOutput) throws {
        try self.init(configuration: configuration, log: log) { loop in
            var clientConfiguration = TCPClient.Configuration()
            clientConfiguration.token = configuration.token
            clientConfiguration.initialBackoff = configuration.retryDelay
            clientConfiguration.maximumBackoff = configuration.maximumRetryDelay
            return TCPClient(address: configuration.monitor, configuration: clientConfiguration, loop: loop)
        }
    }

    /// Creates a reporter that reaches the monitor through the transport `makeTransport` returns; as
    /// ``init(configuration:log:)`` otherwise (`configuration.monitor` and `token` only appear in the log).
    /// - Parameters:
    ///   - configuration: Spool directory, sizes and timeouts.
    ///   - log: The service log.
    ///   - makeTransport: Creates the transport, given the event loop the reporter runs and starts its calls on.
    init(
        configuration: Configuration, log: JSONLog,
        transport makeTransport: (PosixEventLoop) -> any MonitorTransport
    ) throws {
        try configuration.validate()
        self.configuration = configuration
        isSync = configuration.durability == .sync
        let log = log.component("event-reporter")
        self.log = log
        let directory = configuration.spoolDirectory
        try Self.makeDirectory(directory)
        let lockFD = try Self.lock(directory)
        self.lockFD = Atomic(lockFD)
        do {
            let stored = try ReporterState.read(in: directory)
            let spool = try EventSpool(
                directory: directory, capacityBytes: configuration.spoolCapacityBytes,
                segmentBytes: configuration.segmentBytes, log: log)
            let producer = configuration.producerId ?? stored?.producerId ?? ReporterState.makeProducerId()
            let mark: PersistentMark?
            do {
                mark = try PersistentMark(path: directory + "/" + Self.markFileName)
            } catch {
                log.log(
                    .warning, "sequence mark unavailable; a crash will skip to the lease end",
                    [("file", .string(directory + "/" + Self.markFileName)), ("error", .string(error.description))])
                mark = nil
            }
            let lastSequence = Self.resumeSequence(
                stored: stored?.sequence, mark: mark?.recovered, spooled: spool.highestSequence, log: log)
            let lease = ReporterState(producerId: producer, sequence: lastSequence + configuration.sequenceLease)
            try lease.write(in: directory)
            producerId = producer
            queue = EventQueue(
                capacity: configuration.queueCapacity, capacityBytes: configuration.queueCapacityBytes,
                lastSequence: lastSequence, mark: mark)
            batchPrefix = EventEncoding.batchPrefix(producerId: producer)
            commits = CommitGate(committedThrough: lastSequence)
            counters.leasedThrough.store(lease.sequence, ordering: .relaxed)
            counters.firstSequence.store(lastSequence, ordering: .relaxed)
            counters.corruptRecords.store(UInt64(spool.corruptRecords), ordering: .relaxed)
            let loop = try PosixEventLoop()
            self.loop = loop
            transport = makeTransport(loop)
            log.log(
                .info, "reporter started",
                [
                    ("producer_id", .string(producer)), ("monitor", .string(configuration.monitor.description)),
                    ("spool_dir", .string(directory)), ("next_sequence", .uint(lastSequence + 1)),
                    ("durability", .string(configuration.durability.rawValue)),
                    ("spooled_events", .int(Int64(spool.eventCount))), ("spool_bytes", .int(Int64(spool.totalBytes))),
                    ("corrupt_records_skipped", .int(Int64(spool.corruptRecords))),
                ])
            var retention = Retention(
                capacityBytes: configuration.retentionBytes, duration: configuration.retentionDuration,
                floor: lastSequence + 1)
            Self.restoreRetention(&retention, from: directory, batchPrefix: batchPrefix, log: log)
            outbox = Lock(
                Outbox(spool: spool, capacityBytes: configuration.pendingCapacityBytes, retention: retention))
        } catch {
            close(lockFD)
            throw error
        }
    }

    deinit {
        releaseLock()
    }

    private func releaseLock() {
        let fd = lockFD.exchange(-1, ordering: .relaxed)
        if fd >= 0 { close(fd) }
    }

    // MARK: Hot path

    /// Queues one scoring event for delivery; called on the scoring path for every scored transaction.
    ///
    /// O(1): a short `Lock` section that assigns the sequence number (the event's own `sequence` is ignored) and
    /// encodes the event into a buffer with reserved capacity. No syscall, no allocation in the steady state, no
    /// reference to the event kept, never blocks on I/O, never throws. When the hand-off queue is full (the drain
    /// task is more than ``Configuration/queueCapacity`` events or ``Configuration/queueCapacityBytes`` behind) or
    /// after ``beginGracefulShutdown()``, the event is dropped and counted (and logged by the drain task). In sync
    /// mode it also wakes the drain thread (one futex wake when it sleeps).
    /// - Parameter event: The event; everything but `sequence` as the scoring handler filled it in.
    /// - Returns: The sequence number assigned and whether the event was queued, for ``waitUntilDurable(_:)``.
    @inline(__always)
    @discardableResult
    public func record(_ event: ScoringEvent) -> EventReceipt {
        let receipt = queue.append(event)
        if isSync { wakeup.signal() }
        return receipt
    }

    /// Queues the events of one ScoreBatch with one hand-off: as ``record(_:)`` for each event in order, but under
    /// one lock acquisition for the batch, each event encoded straight from the request's memory. The events are
    /// queued together or dropped together.
    /// - Parameters:
    ///   - events: The batch's scored transactions, valid only for the call.
    ///   - modelVersion: The version of the model that scored them.
    /// - Returns: The sequence numbers assigned and whether the events were queued.
    @discardableResult
    public func record(batch events: UnsafeBufferPointer<ScoredTransactionView>, modelVersion: String)
        -> EventReceipt
    {
        let receipt = queue.append(batch: events, modelVersion: modelVersion)
        if isSync { wakeup.signal() }
        return receipt
    }

    /// In ``EventDurability/sync`` mode, returns once the receipt's events are in the spool and synced to disk;
    /// in async mode, at once. The wait ignores cancellation (the events are recorded either way, and will reach
    /// the monitor), and lasts one group commit: a write and an `fdatasync` of everything recorded meanwhile.
    /// - Parameter receipt: What ``record(_:)`` or ``record(batch:modelVersion:)`` returned.
    /// - Throws: ``ReportingError`` `spoolUnavailable` when the events cannot be made durable: the hand-off queue
    ///   was full or closed, the spool is full, or its write or sync failed (the message says which). Events of a
    ///   failed write may still reach the monitor; events of a full queue or spool never do.
    public func waitUntilDurable(_ receipt: EventReceipt) async throws(ReportingError) {
        guard isSync else { return }
        try await commits.wait(for: receipt)
    }

    // MARK: Models

    /// Makes a model version known, to be registered with the monitor (its reference profile) before any batch
    /// that follows this call, and again on every reconnect. Call at startup and after each reload, before
    /// scoring with the version. The 16 most recent versions are kept.
    /// - Parameters:
    ///   - version: The model version the events carry.
    ///   - artifact: The model; its reference profile, threshold and learner are sent.
    public func registerModel(version: String, artifact: ModelArtifact) {
        let request = RegisterModelRequest(modelVersion: version, artifact: artifact, producerId: producerId)
        models.withLock { $0.add(request) }
    }

    /// The model versions the monitor has acknowledged on the current connection, oldest first.
    public var registeredModelVersions: [String] {
        models.withLock { registry in registry.order.filter { registry.registered.contains($0) } }
    }

    // MARK: Lifecycle

    /// Runs the reporter until ``beginGracefulShutdown()`` or cancellation of the calling task, then flushes: events in memory
    /// are sent to the monitor within ``Configuration/shutdownTimeout``, and whatever is not acknowledged by then is
    /// written to the spool; the exact last sequence number is saved. Call once.
    public func run() async {
        let first = control.withLock { control -> Bool in
            defer { control.started = true }
            return !control.started
        }
        precondition(first, "EventReporter.run() called twice")
        // The delivery work runs in its own task so that cancelling run() starts the bounded flush instead of
        // cancelling the flush's calls to the monitor.
        let work = Task { await self.deliver() }
        await withTaskCancellationHandler {
            await work.value
        } onCancel: {
            self.beginGracefulShutdown()
        }
    }

    /// Starts the shutdown: the queue closes (later events are dropped and counted) and ``run()`` flushes and
    /// returns within about ``Configuration/shutdownTimeout`` plus one spool sync. Callable from any thread, any
    /// number of times.
    public func beginGracefulShutdown() {
        control.withLock { control in
            if control.deadline == nil { control.deadline = .now + configuration.shutdownTimeout }
        }
        wakeup.signal()
    }

    /// A snapshot of the counters (for the Stats RPC).
    public var statistics: ReporterStatistics {
        var stats = ReporterStatistics()
        let queueCounters = queue.counters
        let outboxState = outbox.withLock {
            (
                pending: $0.pendingEvents, spoolBytes: $0.spool.totalBytes, spoolEvents: $0.spool.eventCount,
                retainedBytes: $0.retention.bytes
            )
        }
        stats.lastSequence = queueCounters.lastSequence
        stats.recorded = queueCounters.lastSequence - counters.firstSequence.load(ordering: .relaxed)
        stats.queued = UInt64(queue.count + outboxState.pending)
        stats.sent = counters.sent.load(ordering: .relaxed)
        stats.acknowledged = counters.acknowledged.load(ordering: .relaxed)
        stats.spooled = counters.spooled.load(ordering: .relaxed)
        stats.replayed = counters.replayed.load(ordering: .relaxed)
        stats.resent = counters.resent.load(ordering: .relaxed)
        stats.unrecoverable = counters.unrecoverable.load(ordering: .relaxed)
        stats.retainedBytes = UInt64(outboxState.retainedBytes)
        stats.dropped =
            queueCounters.overflowed + queueCounters.afterClose + counters.droppedSpoolFull.load(ordering: .relaxed)
            + counters.droppedRejected.load(ordering: .relaxed)
        stats.spoolBytes = UInt64(outboxState.spoolBytes)
        stats.spoolEvents = UInt64(outboxState.spoolEvents)
        stats.corruptRecords = counters.corruptRecords.load(ordering: .relaxed)
        stats.monitorReachable = counters.reachable.load(ordering: .relaxed)
        stats.lastError = control.withLock { $0.lastError }
        return stats
    }

    // MARK: Delivery

    private func deliver() async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.loop.run() }
            await withTaskGroup(of: Void.self) { loops in
                loops.addTask { await self.drainLoop() }
                loops.addTask { await self.sendLoop() }
            }
            finish()
            transport.close()
            loop.stop()
        }
    }

    /// Runs the drain on a thread of its own: it writes and syncs the spool, which must not block the cooperative
    /// pool.
    private func drainLoop() async {
        _ = await onOwnThread(named: "event-drain") { self.drain() }
        control.withLock { $0.drainFinished = true }
    }

    /// Moves events from the queue into batches, and batches into memory or the spool; keeps the sequence lease
    /// ahead; logs drops. Async mode takes the queue when a batch is full or the oldest event has waited
    /// ``Configuration/maximumBatchDelay``; sync mode takes it as soon as anything is recorded, and reports each
    /// take's outcome to the waiting requests.
    private func drain() {
        let poll = max(configuration.maximumBatchDelay / 5, .milliseconds(1))
        var lastTake = ContinuousClock.now
        var spare = queue.makeSpare()
        var dropLog = DropLog()
        while true {
            let stopping = control.withLock { $0.deadline != nil }
            // Wakes early when a shutdown starts (so a long batch delay never delays the flush) or, in sync mode,
            // when an event is recorded.
            if !stopping { wakeup.wait(upTo: poll) }
            let now = ContinuousClock.now
            if stopping || isSync || queue.count >= configuration.batchSize
                || now - lastTake >= configuration.maximumBatchDelay
            {
                let through = queue.take(into: &spare, close: stopping)
                lastTake = now
                let result = spare.count > 0 ? enqueue(spare) : Outbox.SpillResult()
                if spare.count > 0 { counters.newBatches.store(true, ordering: .relaxed) }
                spare.removeAll()
                if isSync {
                    commits.commit(through: through, failed: result.failed, reason: result.failureReason)
                }
            }
            extendLease()
            outbox.withLock { $0.pruneRetention(at: now) }
            dropLog.report(self, force: stopping)
            if stopping { break }
        }
        // The queue is closed: later records are refused at once, and nothing is left to commit.
        commits.close(reason: "the event reporter has stopped")
    }

    /// Cuts the taken buffer into batches (one copy of each run of encoded events) and hands them to the outbox.
    /// - Returns: What went to the spool, and what was dropped.
    @discardableResult
    private func enqueue(_ buffer: EventQueue.Buffer) -> Outbox.SpillResult {
        let sentAt = Self.nowMicroseconds()
        let droppedTotal = statistics.dropped
        var records: [SpoolRecord] = []
        var start = 0
        while start < buffer.count {
            let end = min(start + configuration.batchSize, buffer.count)
            let payload = buffer.batchPayload(
                start..<end, prefix: batchPrefix, sentAtMicroseconds: sentAt, droppedTotal: droppedTotal)
            let first = buffer.firstSequence + UInt64(start)
            records.append(
                SpoolRecord(
                    firstSequence: first, lastSequence: first + UInt64(end - start) - 1, eventCount: end - start,
                    payload: payload))
            start = end
        }
        let unreachable = counters.unreachable.load(ordering: .relaxed)
        let result = outbox.withLock { outbox in
            outbox.enqueue(records, toSpool: unreachable, durable: isSync)
        }
        account(result)
        return result
    }

    /// Updates counters and logs after batches went to the spool.
    private func account(_ result: Outbox.SpillResult) {
        if result.spooled > 0 { counters.spooled.add(UInt64(result.spooled), ordering: .relaxed) }
        if result.dropped > 0 { counters.droppedSpoolFull.add(UInt64(result.dropped), ordering: .relaxed) }
        if result.kept > 0, let suppressed = logThrottle.admit("kept in memory") {
            log.log(
                .warning, "the spool cannot take events; keeping them in memory",
                [
                    ("events", .int(Int64(result.kept))),
                    ("reason", .string(result.error?.description ?? "the spool is full")),
                    ("suppressed", .uint(suppressed)),
                ])
        }
        if let error = result.error {
            noteError(error.description)
            if let suppressed = logThrottle.admit("spool write failed") {
                log.log(
                    .error, "spool write failed",
                    [("error", .string(error.description)), ("suppressed", .uint(suppressed))])
            }
        }
    }

    private func extendLease() {
        let last = queue.counters.lastSequence
        let leased = counters.leasedThrough.load(ordering: .relaxed)
        guard last + configuration.sequenceLease / 2 > leased else { return }
        let state = ReporterState(producerId: producerId, sequence: last + configuration.sequenceLease)
        do {
            try state.write(in: configuration.spoolDirectory)
            counters.leasedThrough.store(state.sequence, ordering: .relaxed)
        } catch {
            noteError(error.description)
            log.log(.error, "state write failed", [("error", .string(error.description))])
        }
    }

    /// What became of one IngestEvents call.
    private enum CallOutcome: Sendable {
        case acknowledged(Outbox.Outgoing, gaps: [ClosedRange<UInt64>])
        case rejected(Outbox.Outgoing, String)
        case failed(String)
        /// Not a call: a timer, so that batches formed while calls are in flight are sent without waiting for one.
        case tick
    }

    /// Sends batches, oldest first, with up to ``Configuration/maximumInFlight`` calls outstanding, until the
    /// shutdown deadline or until everything is delivered after the drain loop finished. The decisions are a
    /// ``DeliveryStateMachine``'s; this loop performs its actions and reports back: after a failed call no new call
    /// starts; once the others have returned, every unacknowledged batch is made eligible again (and spilled to the
    /// spool), and delivery resumes after a backoff.
    private func sendLoop() async {
        var machine = DeliveryStateMachine(configuration: configuration)
        let (outcomes, sink) = AsyncStream<CallOutcome>.makeStream()
        var completions = outcomes.makeAsyncIterator()
        delivery: while true {
            let (deadline, drained) = control.withLock { ($0.deadline, $0.drainFinished) }
            if let deadline { machine.shutdownBegan(deadline: deadline) }
            if drained { machine.drainFinished() }
            var action = machine.resume(at: .now)
            while true {
                switch action {
                case .issue(let timeout):
                    action = await issue(timeout: timeout, machine: &machine, reportingTo: sink)
                case .logReplayStarted(let spooledEvents, let next):
                    log.log(.info, "spool replay started", [("spooled_events", .int(Int64(spooledEvents)))])
                    action = next
                case .logReplayFinished(let next):
                    log.log(.info, "spool replay finished", [])
                    action = next
                case .wait(let scheduleTick):
                    if scheduleTick { self.scheduleTick(after: machine.pollInterval, reportingTo: sink) }
                    guard let outcome = await completions.next() else { break delivery }
                    complete(outcome, machine: &machine)
                    continue delivery
                case .backOff(let reason, let delay):
                    rewind(after: reason)
                    account(outbox.withLock { $0.spill() })
                    await pause(delay)
                    continue delivery
                case .rewindAndStop(let reason):
                    rewind(after: reason)
                    break delivery
                case .pauseAfterReadFailure(let duration):
                    await pause(duration)
                    continue delivery
                case .poll(let duration):
                    await pause(duration, untilNewBatches: true)
                    continue delivery
                case .stop:
                    break delivery
                }
            }
        }
        sink.finish()
    }

    /// Performs ``DeliveryStateMachine/Action/issue(timeout:)``: registers the model versions the monitor has not
    /// acknowledged on this connection, takes the next request from the outbox and starts its call.
    /// - Returns: The machine's next action.
    private func issue(
        timeout: Duration, machine: inout DeliveryStateMachine, reportingTo sink: AsyncStream<CallOutcome>.Continuation
    ) async -> DeliveryStateMachine.Action {
        do {
            try await registerModels(timeout: timeout)
        } catch {
            return machine.registrationFailed("\(error)")
        }
        let taken: (next: Outbox.Outgoing?, spoolEmpty: Bool)
        do {
            taken = try outbox.withLock { outbox in
                let next = try outbox.next(maximumBytes: configuration.maximumRequestBytes)
                return (next, outbox.spool.isEmpty)
            }
        } catch {
            noteError("\(error)")
            log.log(.error, "spool read failed", [("error", .string("\(error)"))])
            return machine.readFailed()
        }
        guard let next = taken.next else { return machine.outboxEmpty(spoolEmpty: taken.spoolEmpty) }
        counters.sent.add(UInt64(next.eventCount), ordering: .relaxed)
        start(next, timeout: timeout, reportingTo: sink)
        // In sync mode the spool is the way every batch goes, not a replay.
        return machine.issued(fromSpool: next.fromSpool && !isSync, spooledEvents: next.spoolEvents, at: .now)
    }

    /// Applies one completion to the outbox and the counters, and reports it to the machine.
    private func complete(_ outcome: CallOutcome, machine: inout DeliveryStateMachine) {
        switch outcome {
        case .tick:
            machine.ticked()
        case .acknowledged(let outgoing, let gaps):
            let done = outbox.withLock { $0.acknowledge(outgoing, gaps: gaps, at: .now) }
            counters.acknowledged.add(UInt64(done.memory + done.spool), ordering: .relaxed)
            if !isSync { counters.replayed.add(UInt64(done.spool), ordering: .relaxed) }
            counters.resent.add(UInt64(done.resent), ordering: .relaxed)
            noteResends(done)
            markReachable()
            machine.acknowledged()
        case .rejected(let outgoing, let reason):
            // The monitor will never accept this batch: resending forever would block every later event.
            let done = outbox.withLock { $0.acknowledge(outgoing) }
            counters.droppedRejected.add(UInt64(done.memory + done.spool), ordering: .relaxed)
            noteError(reason)
            log.log(
                .error, "batch rejected",
                [
                    ("first_sequence", .uint(outgoing.firstSequence)),
                    ("last_sequence", .uint(outgoing.lastSequence)), ("events", .int(Int64(outgoing.eventCount))),
                    ("error", .string(reason)),
                ])
            machine.rejected()
        case .failed(let reason):
            machine.callFailed(reason)
        }
    }

    /// Logs and counts what an acknowledgement's gaps called for: retained batches queued for a resend (the monitor
    /// lacks events it had acknowledged), and numbers it lacks that are beyond the retention (a loss, stated
    /// exactly).
    private func noteResends(_ done: Outbox.Acknowledged) {
        if let first = done.resendQueued.first, let last = done.resendQueued.last {
            log.log(
                .warning, "monitor lacks acknowledged events; resending them from the retention",
                [
                    ("first_sequence", .uint(first.firstSequence)), ("last_sequence", .uint(last.lastSequence)),
                    ("events", .int(Int64(done.resendQueued.reduce(0) { $0 + $1.eventCount }))),
                    ("batches", .int(Int64(done.resendQueued.count))),
                ])
        }
        for range in done.unrecoverable {
            let count = range.upperBound - range.lowerBound + 1
            counters.unrecoverable.add(count, ordering: .relaxed)
            log.log(
                .error, "events missing at the monitor cannot be resent",
                [
                    ("first_sequence", .uint(range.lowerBound)), ("last_sequence", .uint(range.upperBound)),
                    ("events", .uint(count)),
                    (
                        "reason",
                        .string("not retained: acknowledged longer ago than the retention, or lost before this start")
                    ),
                ])
        }
    }

    /// After a failed call, with nothing in flight: marks the monitor unreachable, forgets which model versions it
    /// registered, and makes every unacknowledged batch eligible again, oldest first.
    private func rewind(after reason: String) {
        markUnreachable(reason)
        models.withLock { $0.registered.removeAll() }
        outbox.withLock { $0.rewind() }
    }

    /// Schedules a tick on the transport's loop, so that batches formed while calls are in flight are sent without
    /// waiting for one of them to finish.
    private func scheduleTick(after delay: Duration, reportingTo sink: AsyncStream<CallOutcome>.Continuation) {
        let loop = self.loop
        let due = ContinuousClock.now + delay
        loop.execute { _ = loop.scheduleTimer(at: due) { sink.yield(.tick) } }
    }

    /// Starts one IngestEvents call on the transport's loop; its outcome goes to `sink`. Calls started one after
    /// another leave in that order (the loop runs its work in order), so the monitor receives batches in sequence
    /// order even with several in flight.
    private func start(
        _ outgoing: Outbox.Outgoing, timeout: Duration, reportingTo sink: AsyncStream<CallOutcome>.Continuation
    ) {
        let transport = self.transport
        loop.execute {
            transport.startCall(.monitorIngestEvents, payload: outgoing.payload, timeout: timeout) { result in
                sink.yield(Self.outcome(of: result, for: outgoing))
            }
        }
    }

    private static func outcome(of result: Result<[UInt8], RPCError>, for outgoing: Outbox.Outgoing) -> CallOutcome {
        do {
            let ack = try IngestAck(serializedBytes: result.get())
            guard ack.acknowledgedThrough >= outgoing.lastSequence else {
                return .failed(
                    "the monitor acknowledged through \(ack.acknowledgedThrough), short of the batch's last sequence "
                        + "\(outgoing.lastSequence)")
            }
            let gaps = ack.gaps.compactMap { $0.first <= $0.last && $0.first > 0 ? $0.first...$0.last : nil }
            return .acknowledged(outgoing, gaps: gaps)
        } catch let error as RPCError where error.code == .invalidArgument {
            return .rejected(outgoing, error.description)
        } catch {
            return .failed("\(error)")
        }
    }

    /// Registers every known model version the monitor has not acknowledged on this connection.
    private func registerModels(timeout: Duration) async throws {
        while let request = models.withLock({ $0.nextUnregistered() }) {
            do {
                let reply = try await transport.call(
                    .monitorRegisterModel, payload: request.serializedBytes(), timeout: timeout)
                let response = try RegisterModelResponse(serializedBytes: reply)
                log.log(
                    .info, "model registered",
                    [
                        ("model_version", .string(request.modelVersion)), ("new", .bool(response.newlyRegistered)),
                        ("message", .string(response.message)),
                    ])
            } catch let error as RPCError
                where [.invalidArgument, .unimplemented, .alreadyExists, .failedPrecondition].contains(error.code)
            {
                // Not a delivery problem: events are still sent; the monitor will report the version unknown.
                log.log(
                    .error, "model registration refused",
                    [("model_version", .string(request.modelVersion)), ("error", .string(error.description))])
            }
            models.withLock { $0.markRegistered(request) }
        }
    }

    /// The mark holding the last sequence assigned, in the spool directory (see `PersistentMark`).
    static let markFileName = "reporter-mark"

    /// The last sequence used before this start. After a clean stop the state file holds it exactly. After a crash
    /// of the process it holds the end of the lease, and the mark (same boot) the exact number, so the monitor's gap
    /// is only the events really lost; without a trusted mark (after a machine crash), the lease end, above every
    /// number used.
    /// - Parameters:
    ///   - stored: The state file's sequence (exact, or the lease end), `nil` on a first start.
    ///   - mark: The mark's sequence from this boot, if any.
    ///   - spooled: The highest sequence in the spool.
    ///   - log: Where a resumption before the lease end is logged.
    /// - Returns: The last sequence number to treat as used.
    static func resumeSequence(stored: UInt64?, mark: UInt64?, spooled: UInt64, log: JSONLog) -> UInt64 {
        guard let stored else { return spooled }
        guard let mark, mark <= stored, mark >= spooled else { return max(stored, spooled) }
        if mark < stored {
            log.log(
                .info, "resuming after the last sequence used, not the lease end",
                [("sequence", .uint(mark)), ("lease_end", .uint(stored))])
        }
        return mark
    }

    /// Loads the batches the previous process retained (``RetentionFile``) into `retention`. The retention is
    /// best effort: a file that cannot be read, or is damaged, costs only what it held, with a log line.
    private static func restoreRetention(
        _ retention: inout Retention, from directory: String, batchPrefix: [UInt8], log: JSONLog
    ) {
        guard retention.capacityBytes > 0 else { return }
        do {
            let (entries, damage) = try RetentionFile.read(in: directory)
            if let damage {
                log.log(
                    .warning, "retained batches file damaged; keeping the batches before the damage",
                    [("file", .string(directory + "/" + RetentionFile.name)), ("reason", .string(damage))])
            }
            let now = ContinuousClock.now
            let wallNow = nowMicroseconds()
            // Batches of another producer id (the id was changed in the configuration) are not this producer's.
            let batches = entries.filter { $0.record.payload.starts(with: batchPrefix) }.map {
                (record: $0.record, age: Duration.microseconds(max(0, wallNow - $0.acknowledgedAtMicroseconds)))
            }
            retention.restore(batches, at: now)
            if retention.count > 0 {
                log.log(
                    .info, "retained batches restored",
                    [("batches", .int(Int64(retention.count))), ("bytes", .int(Int64(retention.bytes)))])
            }
        } catch {
            log.log(.warning, "retained batches not restored", [("error", .string(error.description))])
        }
    }

    /// Saves the retained batches for the next start (``RetentionFile``); a failure is logged, not fatal.
    private func saveRetention() {
        let now = ContinuousClock.now
        let wallNow = Self.nowMicroseconds()
        let retained = outbox.withLock { $0.retention.retained(at: now) }
        let entries = retained.map {
            RetentionFile.Entry(
                record: $0.record,
                acknowledgedAtMicroseconds: wallNow - $0.age.components.seconds * 1_000_000
                    - $0.age.components.attoseconds / 1_000_000_000_000)
        }
        do {
            try RetentionFile.write(entries, in: configuration.spoolDirectory)
        } catch {
            log.log(.error, "retained batches not saved", [("error", .string(error.description))])
        }
    }

    /// After both loops: everything still in memory goes to the spool; the retained batches and the exact last
    /// sequence are saved.
    private func finish() {
        let result = outbox.withLock { $0.spillAll() }
        account(result)
        saveRetention()
        let last = queue.counters.lastSequence
        do {
            try ReporterState(producerId: producerId, sequence: last).write(in: configuration.spoolDirectory)
        } catch {
            log.log(.error, "state write failed", [("error", .string(error.description))])
        }
        outbox.withLock { $0.spool.close() }
        releaseLock()
        let stats = statistics
        log.log(
            .info, "reporter stopped",
            [
                ("last_sequence", .uint(last)), ("sent", .uint(stats.sent)),
                ("acknowledged", .uint(stats.acknowledged)),
                ("spooled", .uint(stats.spooled)), ("replayed", .uint(stats.replayed)),
                ("dropped", .uint(stats.dropped)),
                ("spool_events", .uint(stats.spoolEvents)), ("spool_bytes", .uint(stats.spoolBytes)),
            ])
    }

    // MARK: Helpers

    private func markReachable() {
        counters.unreachable.store(false, ordering: .relaxed)
        if !counters.reachable.exchange(true, ordering: .relaxed) {
            log.log(.info, "monitor reachable", [("monitor", .string(configuration.monitor.description))])
        }
    }

    private func markUnreachable(_ reason: String) {
        noteError(reason)
        counters.unreachable.store(true, ordering: .relaxed)
        let was = counters.reachable.exchange(false, ordering: .relaxed)
        let first = control.withLock { control -> Bool in
            defer { control.reportedUnreachable = true }
            return !control.reportedUnreachable
        }
        if was || first {
            log.log(
                .warning, "monitor unreachable",
                [
                    ("monitor", .string(configuration.monitor.description)), ("error", .string(reason)),
                    ("action", .string("spooling; retrying")),
                ])
        }
    }

    private func noteError(_ text: String) {
        control.withLock { $0.lastError = text }
    }

    /// Sleeps up to `duration`, waking early when a shutdown begins, and with `untilNewBatches` when the drain
    /// thread has added batches since the last such pause (within 20 ms).
    private func pause(_ duration: Duration, untilNewBatches: Bool = false) async {
        let end = ContinuousClock.now + duration
        while ContinuousClock.now < end {
            if control.withLock({ $0.deadline != nil }) { return }
            if untilNewBatches && counters.newBatches.exchange(false, ordering: .relaxed) { return }
            try? await Task.sleep(for: min(.milliseconds(20), ContinuousClock.now.duration(to: end)))
        }
    }

    fileprivate var dropCounts: [(reason: String, count: UInt64)] {
        let queueCounters = queue.counters
        return [
            ("queue full", queueCounters.overflowed),
            ("spool full", counters.droppedSpoolFull.load(ordering: .relaxed)),
            ("recorded after shutdown", queueCounters.afterClose),
            ("rejected by the monitor", counters.droppedRejected.load(ordering: .relaxed)),
        ]
    }

    static func nowMicroseconds() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return Int64(time.tv_sec) * 1_000_000 + Int64(time.tv_nsec) / 1_000
    }

    private static func makeDirectory(_ path: String) throws(ReportingError) {
        var prefix = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            prefix += "/" + component
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
                throw ReportingError(
                    .spoolUnavailable, "cannot create spool directory \(path): \(String(cString: strerror(errno)))")
            }
        }
        var status = stat()
        guard stat(path, &status) == 0, (status.st_mode & S_IFMT) == S_IFDIR else {
            throw ReportingError(.spoolUnavailable, "spool directory \(path) is not a directory")
        }
    }

    private static func lock(_ directory: String) throws(ReportingError) -> Int32 {
        let path = directory + "/lock"
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw ReportingError(.spoolUnavailable, "cannot open \(path): \(String(cString: strerror(errno)))")
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let busy = errno == EWOULDBLOCK
            let reason = String(cString: strerror(errno))
            close(fd)
            throw busy
                ? ReportingError(.spoolInUse, "spool directory \(directory) is in use by another reporter")
                : ReportingError(.spoolUnavailable, "cannot lock \(path): \(reason)")
        }
        return fd
    }
}

extension EventReporter {
    /// Shutdown and error state shared by the tasks.
    fileprivate struct Control {
        var started = false
        /// Set by `beginGracefulShutdown()`: the time by which `run()` stops sending and spools the rest.
        var deadline: ContinuousClock.Instant?
        var drainFinished = false
        var reportedUnreachable = false
        var lastError: String?
    }

    /// Counters updated off the hot path.
    fileprivate final class Counters: Sendable {
        let sent = Atomic<UInt64>(0)
        let acknowledged = Atomic<UInt64>(0)
        let spooled = Atomic<UInt64>(0)
        let replayed = Atomic<UInt64>(0)
        let resent = Atomic<UInt64>(0)
        let unrecoverable = Atomic<UInt64>(0)
        let droppedSpoolFull = Atomic<UInt64>(0)
        let droppedRejected = Atomic<UInt64>(0)
        let corruptRecords = Atomic<UInt64>(0)
        let leasedThrough = Atomic<UInt64>(0)
        let firstSequence = Atomic<UInt64>(0)
        /// Whether the last delivery attempt succeeded (false before the first).
        let reachable = Atomic<Bool>(false)
        /// Whether the last delivery attempt failed: new batches then go straight to the spool.
        let unreachable = Atomic<Bool>(false)
        /// Set by the drain thread when it adds batches, so that an idle send loop looks at once.
        let newBatches = Atomic<Bool>(false)
    }

    /// The model versions to register, most recent last; `registered` is reset when a call fails.
    fileprivate struct ModelRegistry {
        static let limit = 16
        var order: [String] = []
        var requests: [String: RegisterModelRequest] = [:]
        var registered: Set<String> = []

        mutating func add(_ request: RegisterModelRequest) {
            order.removeAll { $0 == request.modelVersion }
            order.append(request.modelVersion)
            requests[request.modelVersion] = request
            registered.remove(request.modelVersion)
            while order.count > Self.limit {
                let oldest = order.removeFirst()
                requests[oldest] = nil
                registered.remove(oldest)
            }
        }

        func nextUnregistered() -> RegisterModelRequest? {
            order.first { !registered.contains($0) }.flatMap { requests[$0] }
        }

        mutating func markRegistered(_ request: RegisterModelRequest) {
            if requests[request.modelVersion] == request { registered.insert(request.modelVersion) }
        }
    }

    /// Logs drops at most once per second, with the counts since the previous line.
    fileprivate struct DropLog {
        var logged: [UInt64] = [0, 0, 0, 0]
        var lastLine = ContinuousClock.now - .seconds(2)

        mutating func report(_ reporter: EventReporter, force: Bool) {
            let counts = reporter.dropCounts
            guard counts.map(\.count) != logged else { return }
            guard force || ContinuousClock.now - lastLine >= .seconds(1) else { return }
            for (index, entry) in counts.enumerated() where entry.count > logged[index] {
                reporter.log.log(
                    .warning, "events dropped",
                    [
                        ("reason", .string(entry.reason)), ("count", .uint(entry.count - logged[index])),
                        ("total", .uint(entry.count)),
                    ])
            }
            logged = counts.map(\.count)
            lastLine = .now
        }
    }
}
