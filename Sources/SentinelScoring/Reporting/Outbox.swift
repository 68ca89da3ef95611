/// The batches between the drain task and the send task: formed batches in memory, then the spool.
///
/// Invariant: every batch in the spool is older (lower sequence numbers) than every batch in memory, so sending
/// "spool first, then memory" delivers in sequence order. Hence new batches go to the spool whenever it is not
/// empty, and spilling moves all of memory (oldest first) behind what the spool holds.
struct Outbox {
    /// A batch ready to send.
    struct Outgoing: Sendable {
        var payload: [UInt8]
        var firstSequence: UInt64
        var lastSequence: UInt64
        var eventCount: Int
        var fromSpool: Bool
        var spoolEvents: Int
    }

    /// What a spill did.
    struct SpillResult {
        var spooled = 0
        var dropped = 0
        var error: ReportingError?
    }

    let spool: EventSpool
    let pendingCapacity: Int
    private(set) var pending: [SpoolRecord] = []
    private(set) var pendingEvents = 0
    private var acknowledgedThrough: UInt64 = 0

    init(spool: EventSpool, pendingCapacity: Int) {
        self.spool = spool
        self.pendingCapacity = pendingCapacity
    }

    /// Adds new batches: to memory while the spool is empty, the monitor reachable and memory has room; else
    /// to the spool (behind everything in memory).
    mutating func enqueue(_ records: [SpoolRecord], toSpool: Bool) -> SpillResult {
        let incoming = records.reduce(0) { $0 + $1.eventCount }
        if !toSpool && spool.isEmpty && pendingEvents + incoming <= pendingCapacity {
            pending.append(contentsOf: records)
            pendingEvents += incoming
            return SpillResult()
        }
        pending.append(contentsOf: records)
        pendingEvents += incoming
        return spillPending()
    }

    /// Moves every batch in memory to the spool and syncs it; a batch that does not fit is dropped.
    mutating func spillPending() -> SpillResult {
        var result = SpillResult()
        guard !pending.isEmpty else { return result }
        var written = 0
        for record in pending {
            do {
                if try spool.append(record) {
                    written += record.eventCount
                } else {
                    result.dropped += record.eventCount
                }
            } catch {
                result.dropped += record.eventCount
                result.error = error
            }
        }
        pending.removeAll()
        pendingEvents = 0
        do {
            try spool.sync()
        } catch {
            result.error = error
        }
        result.spooled = written
        return result
    }

    /// The oldest unacknowledged batches, from the spool if it holds any, else from memory, coalesced into one
    /// request of at most `maximumBytes` (at least one batch).
    ///
    /// Coalescing concatenates the batches' encodings: in protobuf, a concatenation of messages is their merge,
    /// so the repeated `events` append in order and the scalars (same producer, later `sent_at`, larger
    /// `dropped_total`) take the last batch's value. One call then carries several batches, so a replay or a
    /// backlog costs one round trip (and one durable write at the monitor) per `maximumBytes`, not per batch.
    mutating func next(maximumBytes: Int) throws(ReportingError) -> Outgoing? {
        if !spool.isEmpty {
            let records = try spool.peek(maximumBytes: maximumBytes)
            if !records.isEmpty { return Self.coalesce(records, fromSpool: true, spoolEvents: spool.eventCount) }
        }
        guard !pending.isEmpty else { return nil }
        var count = 1
        var total = pending[0].payload.count
        while count < pending.count, total + pending[count].payload.count <= maximumBytes {
            total += pending[count].payload.count
            count += 1
        }
        return Self.coalesce(Array(pending[0..<count]), fromSpool: false, spoolEvents: 0)
    }

    private static func coalesce(_ records: [SpoolRecord], fromSpool: Bool, spoolEvents: Int) -> Outgoing {
        var payload: [UInt8] = []
        payload.reserveCapacity(records.reduce(0) { $0 + $1.payload.count })
        for record in records { payload.append(contentsOf: record.payload) }
        return Outgoing(
            payload: payload, firstSequence: records[0].firstSequence,
            lastSequence: records[records.count - 1].lastSequence,
            eventCount: records.reduce(0) { $0 + $1.eventCount }, fromSpool: fromSpool, spoolEvents: spoolEvents)
    }

    /// Forgets every batch whose events are all at or below `sequence`.
    /// - Returns: Events forgotten from memory and from the spool.
    mutating func acknowledge(through sequence: UInt64) -> (memory: Int, spool: Int) {
        acknowledgedThrough = max(acknowledgedThrough, sequence)
        let fromSpool = spool.consume(through: acknowledgedThrough)
        var fromMemory = 0
        var count = 0
        while count < pending.count, pending[count].lastSequence <= acknowledgedThrough {
            fromMemory += pending[count].eventCount
            count += 1
        }
        pending.removeFirst(count)
        pendingEvents -= fromMemory
        return (fromMemory, fromSpool)
    }
}
