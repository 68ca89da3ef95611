/// The batches between the drain task and the send task: formed batches in memory, then the spool; and which of
/// them are in flight.
///
/// Order: every batch in the spool is older than every batch in memory. New batches go to memory only while the
/// spool is empty, so in the steady state (monitor keeping up) events go queue → memory → wire and the spool is
/// never touched. When memory is full or the monitor is unreachable, every unacknowledged batch in memory moves to
/// the spool (oldest first, behind what it holds; one still in flight is marked so, not sent twice) and new batches
/// follow it there until it is empty again; the spool is handed out oldest first, before memory. Up to the
/// reporter's in-flight limit, requests are outstanding at once; their acknowledgements may come back in any order:
/// each names the batches it carried, which are then forgotten (memory) or marked and deleted from the oldest end
/// (spool), and kept in the ``Retention`` for a bounded window. After a failed call, once nothing is in flight,
/// ``rewind()`` makes every unacknowledged batch eligible again, oldest first.
///
/// Resends: when an acknowledgement's gaps show that the monitor lacks retained batches (it was restored from an
/// older copy of its state), those batches join a resend queue that is handed out before everything else.
struct Outbox {
    /// One request's worth of batches, handed out to be sent.
    struct Outgoing: Sendable {
        var payload: [UInt8]
        var firstSequence: UInt64
        var lastSequence: UInt64
        var eventCount: Int
        var fromSpool: Bool
        var spoolEvents: Int
        /// The batches carried, in order.
        var records: [SpoolRecord]
        /// Whether these are retained batches sent again, not batches delivered for the first time.
        var isResend = false

        /// The first sequence number of each batch carried (identifies them for ``Outbox/acknowledge(_:)``).
        var batches: [UInt64] { records.map(\.firstSequence) }
    }

    /// What an acknowledgement did.
    struct Acknowledged {
        /// Events forgotten from memory and from the spool (delivered for the first time).
        var memory = 0
        var spool = 0
        /// Events of a resend acknowledged.
        var resent = 0
        /// Retained batches queued for a resend because the acknowledgement's gaps include them.
        var resendQueued: [SpoolRecord] = []
        /// Sequence numbers the monitor lacks that can no longer be resent (reported once each).
        var unrecoverable: [ClosedRange<UInt64>] = []
    }

    /// What a spill did.
    struct SpillResult {
        var spooled = 0
        var dropped = 0
        /// Events the spool could not take that stay in memory (to be spooled or sent later).
        var kept = 0
        var error: ReportingError?
        /// The sequence numbers that did not reach the synced spool: dropped batches, and every batch written when
        /// the sync failed.
        var failed: [ClosedRange<UInt64>] = []
        /// Set when the spool had no room for a batch.
        var spoolFull = false

        /// Why ``failed`` failed, for the requests that wait on it.
        var failureReason: String {
            if let error { return "the events could not be made durable: \(error)" }
            return spoolFull ? "the spool is full; the events were dropped" : "the events could not be made durable"
        }
    }

    /// A batch in memory.
    struct Batch {
        var record: SpoolRecord
        var sent = false
        var acknowledged = false
    }

    let spool: EventSpool
    /// The most bytes of batch payloads kept in memory.
    let capacityBytes: Int
    /// Acknowledged batches kept for resends.
    private(set) var retention: Retention
    /// Retained batches to send again, oldest first, handed out before everything else.
    private(set) var resends: [Batch] = []
    private(set) var pending: [Batch] = []
    /// Events in memory not yet acknowledged.
    private(set) var pendingEvents = 0
    /// Payload bytes of the batches in memory (acknowledged ones included until they leave the front).
    private(set) var pendingBytes = 0

    init(spool: EventSpool, capacityBytes: Int, retention: Retention) {
        self.spool = spool
        self.capacityBytes = capacityBytes
        self.retention = retention
    }

    /// The first sequence of the oldest batch not yet acknowledged, in the spool, in memory or among the resends
    /// (`UInt64.max` when none): numbers from here on may still be on their way to the monitor.
    var oldestOutstanding: UInt64 {
        let inMemory = pending.first { !$0.acknowledged }?.record.firstSequence ?? .max
        let resending = resends.map(\.record.firstSequence).min() ?? .max
        return min(spool.oldestUnacknowledged ?? .max, inMemory, resending)
    }

    /// Adds new batches: to memory while the spool is empty, the monitor reachable and memory has room; else
    /// to the spool (after every batch still in memory, keeping the order).
    /// With `durable`, every batch goes to the spool and what it cannot take is dropped, never kept in memory.
    mutating func enqueue(_ records: [SpoolRecord], toSpool: Bool, durable: Bool = false) -> SpillResult {
        let incomingBytes = records.reduce(0) { $0 + $1.payload.count }
        let fits = pendingBytes + incomingBytes <= capacityBytes
        for record in records {
            pending.append(Batch(record: record))
            pendingEvents += record.eventCount
            pendingBytes += record.payload.count
        }
        if !toSpool && !durable && spool.isEmpty && fits { return SpillResult() }
        return spill(keepInMemory: !durable)
    }

    /// Moves every unacknowledged batch in memory to the spool, oldest first, and syncs it. A batch whose request is
    /// still outstanding is appended as in flight (its ack will find it there; a rewind makes it eligible again).
    ///
    /// When the spool cannot take a batch (full, or its write fails: a full disk), that batch and every later one
    /// stay in memory, oldest first, as far as ``capacityBytes`` allows, so the spool stays older than memory; the
    /// next spill tries the spool again. Only what memory cannot hold either is dropped. With `keepInMemory` false
    /// (at shutdown, and in sync mode, where an answer waits for the disk) every such batch is dropped.
    mutating func spill(keepInMemory: Bool = true) -> SpillResult {
        var result = SpillResult()
        guard !pending.isEmpty else { return result }
        var wrote: [ClosedRange<UInt64>] = []
        var kept: [Batch] = []
        var keptBytes = 0
        var keptEvents = 0
        for batch in pending where !batch.acknowledged {
            let sequences = batch.record.firstSequence...batch.record.lastSequence
            if kept.isEmpty && (result.error == nil || !keepInMemory) {
                do {
                    if try spool.append(batch.record, inFlight: batch.sent) {
                        result.spooled += batch.record.eventCount
                        wrote.append(sequences)
                        continue
                    }
                    result.spoolFull = true
                } catch {
                    result.error = error
                }
            }
            // Not spooled: kept in memory while it has room, else dropped. Either way it is not durable.
            result.failed.append(sequences)
            if keepInMemory && keptBytes + batch.record.payload.count <= capacityBytes {
                kept.append(batch)
                keptBytes += batch.record.payload.count
                keptEvents += batch.record.eventCount
                result.kept += batch.record.eventCount
            } else {
                result.dropped += batch.record.eventCount
            }
        }
        pending = kept
        pendingEvents = keptEvents
        pendingBytes = keptBytes
        if !wrote.isEmpty {
            do {
                try spool.sync()
            } catch {
                result.error = error
                result.failed = (result.failed + wrote).sorted { $0.lowerBound < $1.lowerBound }
            }
        }
        return result
    }

    /// At shutdown, with nothing in flight: every unacknowledged batch in memory goes to the spool; what it cannot
    /// take is dropped.
    mutating func spillAll() -> SpillResult {
        rewind()
        return spill(keepInMemory: false)
    }

    /// Hands out the oldest batches not yet handed out, from the spool while it has any (they are older), else from
    /// memory, coalesced into one request of at most `maximumBytes` (at least one batch), and marks them in flight.
    ///
    /// Coalescing concatenates the batches' encodings: in protobuf, a concatenation of messages is their merge,
    /// so the repeated `events` append in order and the scalars (same producer, later `sent_at`, larger
    /// `dropped_total`) take the last batch's value. One call then carries several batches, so a replay or a
    /// backlog costs one round trip (and one durable write at the monitor) per `maximumBytes`, not per batch.
    mutating func next(maximumBytes: Int) throws(ReportingError) -> Outgoing? {
        if let start = resends.firstIndex(where: { !$0.sent }) {
            var records = [resends[start].record]
            resends[start].sent = true
            var total = records[0].payload.count
            var index = start + 1
            while index < resends.count, !resends[index].sent,
                total + resends[index].record.payload.count <= maximumBytes
            {
                records.append(resends[index].record)
                resends[index].sent = true
                total += resends[index].record.payload.count
                index += 1
            }
            var outgoing = Self.coalesce(records, fromSpool: false, spoolEvents: 0)
            outgoing.isResend = true
            return outgoing
        }
        if spool.nextUnsentSequence != nil {
            let records = try spool.takeUnsent(maximumBytes: maximumBytes)
            if !records.isEmpty { return Self.coalesce(records, fromSpool: true, spoolEvents: spool.eventCount) }
        }
        guard let start = pending.firstIndex(where: { !$0.sent && !$0.acknowledged }) else { return nil }
        var records = [pending[start].record]
        pending[start].sent = true
        var total = pending[start].record.payload.count
        var index = start + 1
        while index < pending.count, !pending[index].sent, !pending[index].acknowledged,
            total + pending[index].record.payload.count <= maximumBytes
        {
            records.append(pending[index].record)
            pending[index].sent = true
            total += pending[index].record.payload.count
            index += 1
        }
        return Self.coalesce(records, fromSpool: false, spoolEvents: 0)
    }

    private static func coalesce(_ records: [SpoolRecord], fromSpool: Bool, spoolEvents: Int) -> Outgoing {
        if records.count == 1 {
            let record = records[0]
            return Outgoing(
                payload: record.payload, firstSequence: record.firstSequence, lastSequence: record.lastSequence,
                eventCount: record.eventCount, fromSpool: fromSpool, spoolEvents: spoolEvents, records: records)
        }
        var payload: [UInt8] = []
        payload.reserveCapacity(records.reduce(0) { $0 + $1.payload.count })
        for record in records { payload.append(contentsOf: record.payload) }
        return Outgoing(
            payload: payload, firstSequence: records[0].firstSequence,
            lastSequence: records.map(\.lastSequence).max() ?? 0,
            eventCount: records.reduce(0) { $0 + $1.eventCount }, fromSpool: fromSpool, spoolEvents: spoolEvents,
            records: records)
    }

    /// Applies the monitor's acknowledgement of `outgoing`: its batches are forgotten (memory) or deleted
    /// (spool) and retained; a resend's batches leave the resend queue. Then the acknowledgement's gaps are
    /// matched against the retention: retained batches the monitor lacks join the resend queue, and what it lacks
    /// beyond the retention is reported.
    /// - Parameters:
    ///   - outgoing: The acknowledged request.
    ///   - gaps: The acknowledgement's missing ranges.
    ///   - now: The time, for the retention's window.
    /// - Returns: What was acknowledged, queued for a resend, and found unrecoverable.
    mutating func acknowledge(
        _ outgoing: Outgoing, gaps: [ClosedRange<UInt64>], at now: ContinuousClock.Instant
    ) -> Acknowledged {
        var result = Acknowledged()
        if outgoing.isResend {
            let carried = Set(outgoing.batches)
            resends.removeAll { $0.sent && carried.contains($0.record.firstSequence) }
            retention.resent(outgoing.batches, gaps: gaps)
            result.resent = outgoing.eventCount
        } else {
            (result.memory, result.spool) = acknowledge(outgoing)
            if result.memory + result.spool > 0 { retention.add(outgoing.records, at: now) }
        }
        retention.prune(at: now)
        let matches = retention.resendable(for: gaps, outstandingFrom: oldestOutstanding)
        resends.append(contentsOf: matches.resend.map { Batch(record: $0) })
        result.resendQueued = matches.resend
        result.unrecoverable = matches.unrecoverable
        return result
    }

    /// Drops retained batches past the retention's time bound (called by the drain task, so an idle producer
    /// frees them too).
    mutating func pruneRetention(at now: ContinuousClock.Instant) {
        retention.prune(at: now)
    }

    /// Forgets the batches `outgoing` carried (acknowledged by the monitor, or rejected for good), without
    /// retaining them.
    /// - Returns: Events forgotten from memory and from the spool.
    mutating func acknowledge(_ outgoing: Outgoing) -> (memory: Int, spool: Int) {
        if outgoing.isResend {
            let carried = Set(outgoing.batches)
            resends.removeAll { $0.sent && carried.contains($0.record.firstSequence) }
            return (0, 0)
        }
        if outgoing.fromSpool { return (0, spool.acknowledge(firstSequences: outgoing.batches)) }
        var fromMemory = 0
        var remaining = Set(outgoing.batches)
        for index in pending.indices where !remaining.isEmpty {
            guard !pending[index].acknowledged, remaining.remove(pending[index].record.firstSequence) != nil else {
                continue
            }
            pending[index].acknowledged = true
            fromMemory += pending[index].record.eventCount
        }
        // A batch spilled to the spool while its request was in flight is acknowledged there.
        let fromSpool = remaining.isEmpty ? 0 : spool.acknowledge(firstSequences: Array(remaining))
        pendingEvents -= fromMemory
        var count = 0
        while count < pending.count, pending[count].acknowledged {
            pendingBytes -= pending[count].record.payload.count
            count += 1
        }
        pending.removeFirst(count)
        return (fromMemory, fromSpool)
    }

    /// After a failed call, with nothing in flight: every unacknowledged batch can be handed out again.
    mutating func rewind() {
        for index in pending.indices { pending[index].sent = false }
        for index in resends.indices { resends[index].sent = false }
        spool.rewind()
    }
}
