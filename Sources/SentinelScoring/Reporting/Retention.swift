/// Acknowledged batches kept in memory for a bounded window, so that a monitor that lost them (restored from an
/// older copy of its state directory, or recovered without an acknowledged log record) can be sent them again.
///
/// Bounded by time and by bytes: a batch leaves, oldest acknowledgement first, once it was acknowledged longer than
/// ``duration`` ago or when the retained payloads exceed ``capacityBytes``. A batch's payload is the one the
/// outbox already holds (an array shared, not copied), so keeping it costs no copy, no syscall and no disk on the
/// delivery path — only memory, up to the bound.
///
/// The monitor tells the producer what it lacks: every `IngestAck` lists the producer's missing sequence ranges
/// (`gaps`). ``resendable(for:outstandingFrom:)`` matches them against what is retained: a retained batch that
/// overlaps a gap is handed out once for a resend (again only after an acknowledgement shows its gap closed); a part
/// of a gap below ``floor`` that is not retained — acknowledged and pruned since, or from before this process
/// started — can no longer be resent, and is reported once, exactly, as sequence ranges.
///
/// Not thread-safe: the outbox owns it, inside the reporter's `Lock`.
struct Retention {
    /// One retained batch.
    struct Entry {
        var record: SpoolRecord
        var acknowledgedAt: ContinuousClock.Instant
        /// Handed out for a resend and not yet seen delivered with its gap closed: not handed out again.
        var resending = false
    }

    /// What an acknowledgement's gaps call for.
    struct Matches {
        /// Retained batches to send again, oldest sequence first.
        var resend: [SpoolRecord] = []
        /// Sequence numbers the monitor lacks that this producer can no longer resend, not reported before.
        var unrecoverable: [ClosedRange<UInt64>] = []
    }

    /// The most bytes of payload retained; 0 retains nothing.
    let capacityBytes: Int
    /// How long after its acknowledgement a batch is retained.
    let duration: Duration
    private var entries: [Entry] = []
    /// Index of the oldest entry still retained (entries before it are pruned; compacted now and then).
    private var head = 0
    /// Bytes of the retained payloads.
    private(set) var bytes = 0
    /// Every sequence number below it that was acknowledged is no longer retained: pruned, or acknowledged before
    /// this process started. Numbers at or above it that were acknowledged are retained.
    private(set) var floor: UInt64
    /// Gaps up to here were already reported as unrecoverable.
    private var reportedThrough: UInt64 = 0

    /// Creates an empty retention.
    /// - Parameters:
    ///   - capacityBytes: The byte bound (0: nothing is retained).
    ///   - duration: The time bound.
    ///   - floor: The first sequence number this process may retain (the one after the last used before it
    ///     started).
    init(capacityBytes: Int, duration: Duration, floor: UInt64) {
        self.capacityBytes = capacityBytes
        self.duration = duration
        self.floor = floor
    }

    /// Batches retained now.
    var count: Int { entries.count - head }

    /// Bytes of payload the retention's storage holds, pruned slots included: never more than ``bytes``.
    var heldPayloadBytes: Int { entries.reduce(0) { $0 + $1.record.payload.count } }

    /// The retained batches, oldest acknowledgement first, with how long ago each was acknowledged (to be saved at a
    /// clean shutdown, ``RetentionFile``).
    func retained(at now: ContinuousClock.Instant) -> [(record: SpoolRecord, age: Duration)] {
        entries[head...].map { ($0.record, now - $0.acknowledgedAt) }
    }

    /// Retains batches acknowledged before this process started (saved by the previous one), `age` ago, oldest
    /// first, then prunes to the bounds. Call before any ``add(_:at:)``.
    /// - Parameters:
    ///   - batches: The saved batches and the time since their acknowledgement.
    ///   - now: The current time.
    mutating func restore(_ batches: [(record: SpoolRecord, age: Duration)], at now: ContinuousClock.Instant) {
        for (record, age) in batches {
            entries.append(Entry(record: record, acknowledgedAt: now - age))
            bytes += record.payload.count
        }
        prune(at: now)
    }

    /// Retains acknowledged batches, then prunes to the bounds.
    /// - Parameters:
    ///   - records: Batches the monitor has just acknowledged.
    ///   - now: The acknowledgement's time.
    mutating func add(_ records: [SpoolRecord], at now: ContinuousClock.Instant) {
        for record in records {
            entries.append(Entry(record: record, acknowledgedAt: now))
            bytes += record.payload.count
        }
        prune(at: now)
    }

    /// Drops batches acknowledged longer than ``duration`` ago, then the oldest until ``bytes`` fits
    /// ``capacityBytes``.
    mutating func prune(at now: ContinuousClock.Instant) {
        while head < entries.count,
            bytes > capacityBytes || now - entries[head].acknowledgedAt > duration
        {
            bytes -= entries[head].record.payload.count
            floor = max(floor, entries[head].record.lastSequence + 1)
            // Released now, not when the array is compacted: up to 1,024 pruned slots wait for that, and their
            // payloads (a batch is up to ~350 KB) would hold hundreds of MiB beyond the bound.
            entries[head].record.payload = []
            head += 1
        }
        if head > 1_024 && head * 2 > entries.count {
            entries.removeFirst(head)
            head = 0
        }
    }

    /// Matches an acknowledgement's gaps against what is retained.
    ///
    /// A retained batch overlapping a gap, not already being resent, is marked and returned for a resend. The part
    /// of a gap below both ``floor`` and `outstanding` (the oldest sequence this producer still has to deliver:
    /// numbers from it on may be in flight, so their absence is no loss) that no retained batch covers is returned
    /// as unrecoverable, once.
    /// - Parameters:
    ///   - gaps: The ack's missing ranges.
    ///   - outstanding: The first sequence of the oldest batch not yet acknowledged (`UInt64.max` when none).
    /// - Returns: The batches to resend and the unrecoverable ranges.
    mutating func resendable(for gaps: [ClosedRange<UInt64>], outstandingFrom outstanding: UInt64) -> Matches {
        var matches = Matches()
        guard !gaps.isEmpty else { return matches }
        let limit = min(floor, outstanding)
        // The span of the retained numbers, so that a gap outside it (a loss from before this process, a range the
        // monitor declared lost long ago) costs no walk of the entries.
        var lowest = UInt64.max
        var highest: UInt64 = 0
        for entry in entries[head...] {
            lowest = min(lowest, entry.record.firstSequence)
            highest = max(highest, entry.record.lastSequence)
        }
        for gap in gaps {
            let overlaps = gap.lowerBound <= highest && gap.upperBound >= lowest
            for index in head..<entries.count where overlaps && !entries[index].resending {
                let record = entries[index].record
                guard record.firstSequence <= gap.upperBound && record.lastSequence >= gap.lowerBound else { continue }
                entries[index].resending = true
                matches.resend.append(record)
            }
            // Below the limit, what no retained batch covers cannot be resent.
            let lower = max(gap.lowerBound, reportedThrough + 1)
            guard limit > 0, lower <= gap.upperBound, lower < limit else { continue }
            let upper = min(gap.upperBound, limit - 1)
            matches.unrecoverable.append(contentsOf: uncovered(lower...upper))
            reportedThrough = max(reportedThrough, upper)
        }
        matches.resend.sort { $0.firstSequence < $1.firstSequence }
        return matches
    }

    /// After the acknowledgement of a resend: batches whose numbers are no longer in any gap may be resent again
    /// later (a second restore); the others stay marked (a gap the monitor declared lost stays open, and resending
    /// into it would repeat forever).
    /// - Parameters:
    ///   - firstSequences: The resent batches.
    ///   - gaps: The acknowledgement's missing ranges.
    mutating func resent(_ firstSequences: [UInt64], gaps: [ClosedRange<UInt64>]) {
        let carried = Set(firstSequences)
        for index in head..<entries.count where entries[index].resending {
            let record = entries[index].record
            guard carried.contains(record.firstSequence) else { continue }
            let stillMissing = gaps.contains {
                record.firstSequence <= $0.upperBound && record.lastSequence >= $0.lowerBound
            }
            if !stillMissing { entries[index].resending = false }
        }
    }

    /// The parts of `range` that no retained batch covers.
    private func uncovered(_ range: ClosedRange<UInt64>) -> [ClosedRange<UInt64>] {
        let covering = entries[head...].map(\.record)
            .filter { $0.firstSequence <= range.upperBound && $0.lastSequence >= range.lowerBound }
            .sorted { $0.firstSequence < $1.firstSequence }
        var result: [ClosedRange<UInt64>] = []
        var next = range.lowerBound
        for record in covering {
            if record.firstSequence > next { result.append(next...(record.firstSequence - 1)) }
            if record.lastSequence == UInt64.max { return result }
            next = max(next, record.lastSequence + 1)
            if next > range.upperBound { return result }
        }
        if next <= range.upperBound { result.append(next...range.upperBound) }
        return result
    }
}
