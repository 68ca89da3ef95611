import SentinelLock
import SentinelPosix
import SentinelSchema
import Synchronization

/// The hot path's hand-off: a bounded byte buffer behind a `Lock`, into which `record` encodes each event once
/// (as an `EventBatch.events` entry, ``EventEncoding``), emptied in one swap by the drain task.
///
/// `append` computes the event's size, then takes the lock, assigns the sequence number, writes the encoding with
/// plain stores (a few `memcpy`s: strings and the feature array) into preallocated memory and unlocks: no
/// allocation, no syscall, and no reference to the event kept, so its strings and features are released by the
/// scoring thread that made them. The drain task swaps the whole buffer for the empty one it used last time, so the
/// critical section never copies events and the two buffers' pages stay mapped (they are touched only as far as
/// they are used).
///
/// The events of one buffer have consecutive sequence numbers: after the first drop (queue full) every later
/// `append` drops too until the next swap, so a buffer is described by its first sequence number and the end
/// offset of each event. One call's events are queued or dropped together, so a request's events are never split
/// between the monitor and the drop count.
final class EventQueue: Sendable {
    /// A taken buffer: consecutive events from ``firstSequence``, entry `i` ending at `ends[i]` in ``bytes``.
    struct Buffer: Sendable {
        let bytes: Storage
        var ends: [Int] = []
        var firstSequence: UInt64 = 0
        /// Set at the first drop: nothing more is appended until the swap (keeps the sequences consecutive).
        var full = false

        /// A buffer of `capacity` bytes.
        init(capacity: Int) {
            bytes = Storage(capacity: capacity)
        }

        /// Events held.
        var count: Int { ends.count }

        /// Forgets the events, keeping the memory.
        mutating func removeAll() {
            bytes.count = 0
            ends.removeAll(keepingCapacity: true)
            firstSequence = 0
            full = false
        }

        /// The encoded entries of events `range` (indices), as a raw buffer valid while this buffer is not changed.
        func entries(_ range: Range<Int>) -> UnsafeRawBufferPointer {
            let from = range.lowerBound == 0 ? 0 : ends[range.lowerBound - 1]
            let to = ends[range.upperBound - 1]
            return UnsafeRawBufferPointer(start: bytes.base + from, count: to - from)
        }
    }

    /// Fixed-size raw memory for encoded events. Used by one side at a time: by `append` under the queue's lock
    /// while it is the queue's buffer, by the drain task alone after a swap; hence `@unchecked Sendable`.
    final class Storage: @unchecked Sendable {
        let base: UnsafeMutableRawPointer
        let capacity: Int
        var count = 0

        init(capacity: Int) {
            self.capacity = capacity
            base = UnsafeMutableRawPointer.allocate(byteCount: max(capacity, 1), alignment: 16)
        }

        deinit { base.deallocate() }
    }

    private struct State {
        var buffer: Buffer
        var lastSequence: UInt64
        var overflowed: UInt64 = 0
        var afterClose: UInt64 = 0
        var closed = false
    }

    /// The most events in the buffer.
    let capacity: Int
    /// The most bytes of encoded events in the buffer.
    let capacityBytes: Int
    private let state: Lock<State>
    /// Where every assignment is recorded, so a restart after a crash resumes after the last number used.
    private let mark: PersistentMark?

    /// Creates a queue whose first sequence number will be `lastSequence + 1`.
    /// - Parameters:
    ///   - capacity: The most events in the buffer.
    ///   - capacityBytes: The most bytes of encoded events in the buffer.
    ///   - lastSequence: The last sequence number used before.
    ///   - mark: Records the last sequence assigned (set to `lastSequence` now); `nil` for none.
    init(capacity: Int, capacityBytes: Int, lastSequence: UInt64, mark: PersistentMark? = nil) {
        self.capacity = capacity
        self.capacityBytes = capacityBytes
        self.mark = mark
        var buffer = Buffer(capacity: capacityBytes)
        buffer.ends.reserveCapacity(min(capacity, 1 << 16))
        state = Lock(State(buffer: buffer, lastSequence: lastSequence))
        mark?.store(lastSequence)
    }

    /// A spare buffer for ``take(into:close:)``, of the queue's size.
    func makeSpare() -> Buffer {
        var buffer = Buffer(capacity: capacityBytes)
        buffer.ends.reserveCapacity(min(capacity, 1 << 16))
        return buffer
    }

    /// Assigns the next sequence number and appends the event's encoding; when full or closed, counts the event as
    /// dropped (its sequence number is used, so the monitor sees a gap that `dropped_total` explains). An event
    /// larger than the whole buffer is dropped too.
    /// - Returns: The sequence number assigned, and whether the event was queued.
    @discardableResult
    func append(_ event: ScoringEvent) -> EventReceipt {
        // One encoder for owned events and views: view the owned one's storage for the call.
        var id = event.transactionId
        var card = event.cardId
        var terminal = event.terminalId
        var version = event.modelVersion
        return id.withUTF8 { id in
            card.withUTF8 { card in
                terminal.withUTF8 { terminal in
                    version.withUTF8 { version in
                        event.features.withUnsafeBufferPointer { features in
                            let view = ScoredTransactionView(
                                transactionId: UnsafeRawBufferPointer(id),
                                eventTimeMicroseconds: event.eventTimeMicroseconds,
                                scoredAtMicroseconds: event.scoredAtMicroseconds, cardId: UnsafeRawBufferPointer(card),
                                terminalId: UnsafeRawBufferPointer(terminal), amount: event.amount, features: features,
                                fraudProbability: event.fraudProbability, decision: event.decision,
                                serverLatencyNanoseconds: event.serverLatencyNanoseconds)
                            return withUnsafePointer(to: view) {
                                append(
                                    batch: UnsafeBufferPointer(start: $0, count: 1),
                                    modelVersion: UnsafeRawBufferPointer(version))
                            }
                        }
                    }
                }
            }
        }
    }

    /// Appends the events of one batch, in order, under one lock acquisition: each gets the next sequence number.
    /// They are queued together, or dropped together when they do not all fit or the queue is closed (counted as
    /// ``append(_:)`` counts a drop).
    /// - Parameters:
    ///   - events: The events, valid only for the call.
    ///   - modelVersion: The version of the model that scored them.
    /// - Returns: The sequence numbers assigned, and whether the events were queued.
    @discardableResult
    func append(batch events: UnsafeBufferPointer<ScoredTransactionView>, modelVersion: String) -> EventReceipt {
        var version = modelVersion
        return version.withUTF8 { append(batch: events, modelVersion: UnsafeRawBufferPointer($0)) }
    }

    private func append(
        batch events: UnsafeBufferPointer<ScoredTransactionView>, modelVersion version: UnsafeRawBufferPointer
    ) -> EventReceipt {
        guard !events.isEmpty else { return .none }
        // The sizes are computed before taking the lock; the sequence's share is added under it.
        return withScratch(of: Int.self, capacity: events.count) { sizes in
            var total = 0
            for index in events.indices {
                sizes[index] = EventEncoding.eventSize(events[index], modelVersionCount: version.count)
                // The sequence's varint takes at most 10 bytes: enough room for the whole call is checked once.
                total += EventEncoding.entrySize(eventSize: sizes[index] + 11)
            }
            return state.withLock { state in
                let first = state.lastSequence &+ 1
                state.lastSequence &+= UInt64(events.count)
                let sequences = first...state.lastSequence
                mark?.store(state.lastSequence)
                guard !state.closed else {
                    state.afterClose += UInt64(events.count)
                    return EventReceipt(sequences: sequences, queued: false)
                }
                let storage = state.buffer.bytes
                if state.buffer.full || state.buffer.count + events.count > capacity
                    || storage.count + total > storage.capacity
                {
                    state.buffer.full = true
                    state.overflowed += UInt64(events.count)
                    return EventReceipt(sequences: sequences, queued: false)
                }
                if state.buffer.count == 0 { state.buffer.firstSequence = first }
                for index in events.indices {
                    let sequence = first + UInt64(index)
                    let size = sizes[index] + 1 + EventEncoding.varintSize(sequence)
                    storage.count += EventEncoding.writeEntry(
                        events[index], modelVersion: version, sequence: sequence, size: size,
                        to: storage.base + storage.count)
                    state.buffer.ends.append(storage.count)
                }
                return EventReceipt(sequences: sequences, queued: true)
            }
        }
    }

    /// Swaps the buffered events into `spare` (which must be empty); with `close`, later appends are dropped.
    /// - Returns: The last sequence number assigned at the swap: every number up to it is now either in `spare`,
    ///   in an earlier take, or dropped.
    @discardableResult
    func take(into spare: inout Buffer, close: Bool = false) -> UInt64 {
        state.withLock { state in
            swap(&state.buffer, &spare)
            if close { state.closed = true }
            return state.lastSequence
        }
    }

    /// Events buffered now.
    var count: Int { state.withLock { $0.buffer.count } }

    /// The last sequence number assigned, and the events dropped because the queue was full or closed.
    var counters: (lastSequence: UInt64, overflowed: UInt64, afterClose: UInt64) {
        state.withLock { ($0.lastSequence, $0.overflowed, $0.afterClose) }
    }
}

extension EventQueue.Buffer {
    /// One `EventBatch` encoding: `prefix` (the producer id field), the entries of events `range` copied in one
    /// piece, and the trailing scalars.
    func batchPayload(
        _ range: Range<Int>, prefix: [UInt8], sentAtMicroseconds: Int64, droppedTotal: UInt64
    ) -> [UInt8] {
        let entries = entries(range)
        var payload: [UInt8] = []
        payload.reserveCapacity(prefix.count + entries.count + 24)
        payload.append(contentsOf: prefix)
        payload.append(contentsOf: entries)
        EventEncoding.appendBatchTrailer(
            sentAtMicroseconds: sentAtMicroseconds, droppedTotal: droppedTotal, to: &payload)
        return payload
    }
}
