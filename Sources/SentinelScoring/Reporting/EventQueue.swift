import SentinelSchema
import Synchronization

/// The hot path's hand-off: a bounded buffer behind a `Mutex`, filled by `record` on the scoring threads and
/// emptied in one swap by the drain task.
///
/// `append` is a lock, a sequence increment, an array append into reserved capacity and an unlock: O(1), no
/// allocation, no syscall (an uncontended `Mutex` is a compare-and-swap; under contention it spins briefly
/// before parking). The drain task swaps the whole buffer for an empty one of the same capacity, so the critical
/// section never copies events.
final class EventQueue: Sendable {
    private struct State {
        var events: [ScoringEvent]
        var lastSequence: UInt64
        var overflowed: UInt64 = 0
        var afterClose: UInt64 = 0
        var closed = false
    }

    let capacity: Int
    private let state: Mutex<State>

    /// Creates a queue whose first sequence number will be `lastSequence + 1`.
    init(capacity: Int, lastSequence: UInt64) {
        self.capacity = capacity
        var events: [ScoringEvent] = []
        events.reserveCapacity(capacity)
        state = Mutex(State(events: events, lastSequence: lastSequence))
    }

    /// Assigns the next sequence number and appends; when full or closed, counts the event as dropped (its
    /// sequence number is used, so the monitor sees a gap that `dropped_total` explains).
    @inline(__always)
    func append(_ event: consuming ScoringEvent) {
        var event = event
        state.withLock { state in
            state.lastSequence &+= 1
            if state.events.count < capacity && !state.closed {
                event.sequence = state.lastSequence
                state.events.append(event)
            } else if state.closed {
                state.afterClose += 1
            } else {
                state.overflowed += 1
            }
        }
    }

    /// Swaps the buffered events into `spare` (which must be empty); with `close`, later appends are dropped.
    func take(into spare: inout [ScoringEvent], close: Bool = false) {
        state.withLock { state in
            swap(&state.events, &spare)
            if close { state.closed = true }
        }
    }

    /// Events buffered now.
    var count: Int { state.withLock { $0.events.count } }

    /// The last sequence number assigned, and the events dropped because the queue was full or closed.
    var counters: (lastSequence: UInt64, overflowed: UInt64, afterClose: UInt64) {
        state.withLock { ($0.lastSequence, $0.overflowed, $0.afterClose) }
    }
}
