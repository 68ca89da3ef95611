import SentinelSchema
import Synchronization

/// The hot path's hand-off: a bounded byte buffer behind a `Mutex`, into which `record` encodes each event once
/// (as an `EventBatch.events` entry, ``EventEncoding``), emptied in one swap by the drain task.
///
/// `append` is a lock, a sequence increment, the event's encoding appended into reserved capacity (a few `memcpy`s:
/// strings and the feature array) and an unlock: no allocation in the steady state, no syscall, and no reference to
/// the event kept, so its strings and features are released by the scoring thread that made them. The drain task
/// swaps the whole buffer for an empty one whose capacity it kept from the previous swap, so the critical section
/// never copies events and the buffers' pages stay mapped.
///
/// The events of one buffer have consecutive sequence numbers: after the first drop (queue full) every later
/// `append` drops too until the next swap, so a buffer is described by its first sequence number and the end
/// offset of each event.
final class EventQueue: Sendable {
    /// A taken buffer: consecutive events from ``firstSequence``, entry `i` ending at `ends[i]` in `bytes`.
    struct Buffer: Sendable {
        var bytes: [UInt8] = []
        var ends: [Int] = []
        var firstSequence: UInt64 = 0
        /// Set at the first drop: nothing more is appended until the swap (keeps the sequences consecutive).
        var full = false

        var count: Int { ends.count }

        /// The sequence number of the last event.
        var lastSequence: UInt64 { firstSequence + UInt64(ends.count) - 1 }

        mutating func removeAll() {
            bytes.removeAll(keepingCapacity: true)
            ends.removeAll(keepingCapacity: true)
            firstSequence = 0
            full = false
        }
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
    private let state: Mutex<State>

    /// Creates a queue whose first sequence number will be `lastSequence + 1`.
    init(capacity: Int, capacityBytes: Int, lastSequence: UInt64) {
        self.capacity = capacity
        self.capacityBytes = capacityBytes
        var buffer = Buffer()
        buffer.ends.reserveCapacity(min(capacity, 1 << 16))
        buffer.bytes.reserveCapacity(min(capacityBytes, 1 << 22))
        state = Mutex(State(buffer: buffer, lastSequence: lastSequence))
    }

    /// Assigns the next sequence number and appends the event's encoding; when full or closed, counts the event as
    /// dropped (its sequence number is used, so the monitor sees a gap that `dropped_total` explains).
    @inline(__always)
    func append(_ event: ScoringEvent) {
        // The size with the largest sequence varint the lock could hand out is not known yet; the sequence's
        // share is added inside.
        let baseSize = EventEncoding.eventSize(event, sequence: 0)
        state.withLock { state in
            state.lastSequence &+= 1
            let sequence = state.lastSequence
            guard !state.closed else {
                state.afterClose += 1
                return
            }
            let size = baseSize + 1 + EventEncoding.varintSize(sequence)
            let entry = EventEncoding.entrySize(eventSize: size)
            if state.buffer.full || state.buffer.count >= capacity
                || (state.buffer.count > 0 && state.buffer.bytes.count + entry > capacityBytes)
            {
                state.buffer.full = true
                state.overflowed += 1
                return
            }
            if state.buffer.count == 0 { state.buffer.firstSequence = sequence }
            EventEncoding.appendEntry(event, sequence: sequence, size: size, to: &state.buffer.bytes)
            state.buffer.ends.append(state.buffer.bytes.count)
        }
    }

    /// Swaps the buffered events into `spare` (which must be empty); with `close`, later appends are dropped.
    func take(into spare: inout Buffer, close: Bool = false) {
        state.withLock { state in
            swap(&state.buffer, &spare)
            if close { state.closed = true }
        }
    }

    /// Events buffered now.
    var count: Int { state.withLock { $0.buffer.count } }

    /// The last sequence number assigned, and the events dropped because the queue was full or closed.
    var counters: (lastSequence: UInt64, overflowed: UInt64, afterClose: UInt64) {
        state.withLock { ($0.lastSequence, $0.overflowed, $0.afterClose) }
    }
}
