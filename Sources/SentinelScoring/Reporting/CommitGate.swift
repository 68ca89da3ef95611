import SentinelLock
import Synchronization

/// Where requests in ``EventDurability/sync`` mode wait for their events to be durable: the drain thread reports
/// each group commit (every sequence number up to some point taken, written to the spool and synced, or failed),
/// and the gate resumes the waiters it covers.
///
/// A request's events are always taken in one piece (they are appended under the queue's lock, which the take
/// holds too), so a waiter is resumed by exactly one commit. A waiter may arrive after its commit: the gate keeps
/// the highest committed number and the recent failed ranges to answer it at once.
final class CommitGate: Sendable {
    private struct Waiter {
        var sequences: ClosedRange<UInt64>
        var continuation: CheckedContinuation<Result<Void, ReportingError>, Never>
    }

    private struct Failure {
        var sequences: ClosedRange<UInt64>
        var reason: String
    }

    private struct State {
        var committedThrough: UInt64
        var failures: [Failure] = []
        var waiters: [Waiter] = []
        /// Set when the reporter stopped: nothing more will be committed.
        var closedReason: String?
    }

    /// Failed ranges kept for waiters that arrive after their commit; contiguous failures merge into one.
    static let failureHistory = 1_024

    private let state: Lock<State>

    /// Creates a gate with every number up to `committedThrough` settled (the numbers used before this start).
    init(committedThrough: UInt64) {
        state = Lock(State(committedThrough: committedThrough))
    }

    /// Waits until the receipt's events are durable. It does not stop on cancellation: the events are recorded and
    /// will reach the monitor, so the wait is for the answer to be true, and it ends within one group commit.
    /// - Throws: ``ReportingError`` `spoolUnavailable` when they were not queued, or their commit failed (spool
    ///   full, write or sync error), or the reporter stopped first.
    func wait(for receipt: EventReceipt) async throws(ReportingError) {
        guard receipt.queued else {
            throw ReportingError(.spoolUnavailable, "the event queue is full or closed; the events were dropped")
        }
        let outcome = await withCheckedContinuation { continuation in
            let settled = state.withLock { state -> Result<Void, ReportingError>? in
                if receipt.sequences.upperBound <= state.committedThrough {
                    return Self.outcome(of: receipt.sequences, failures: state.failures)
                }
                if let reason = state.closedReason { return .failure(ReportingError(.spoolUnavailable, reason)) }
                state.waiters.append(Waiter(sequences: receipt.sequences, continuation: continuation))
                return nil
            }
            if let settled { continuation.resume(returning: settled) }
        }
        try outcome.get()
    }

    /// Reports a group commit: every number up to `through` is settled, durable except those in `failed`.
    /// - Parameters:
    ///   - through: The last sequence number assigned when the commit's events were taken.
    ///   - failed: The ranges that did not reach the synced spool.
    ///   - reason: Why they did not.
    func commit(through: UInt64, failed: [ClosedRange<UInt64>], reason: String) {
        let ready = state.withLock { state -> [(Waiter, Result<Void, ReportingError>)] in
            for range in failed {
                if let last = state.failures.last, last.sequences.upperBound &+ 1 == range.lowerBound,
                    last.reason == reason
                {
                    state.failures[state.failures.count - 1].sequences = last.sequences.lowerBound...range.upperBound
                } else {
                    state.failures.append(Failure(sequences: range, reason: reason))
                }
            }
            if state.failures.count > Self.failureHistory {
                state.failures.removeFirst(state.failures.count - Self.failureHistory)
            }
            state.committedThrough = max(state.committedThrough, through)
            var ready: [(Waiter, Result<Void, ReportingError>)] = []
            state.waiters.removeAll { waiter in
                guard waiter.sequences.upperBound <= state.committedThrough else { return false }
                ready.append((waiter, Self.outcome(of: waiter.sequences, failures: state.failures)))
                return true
            }
            return ready
        }
        for (waiter, outcome) in ready { waiter.continuation.resume(returning: outcome) }
    }

    /// The reporter stopped: every waiter left, and every later one, fails with `reason`.
    func close(reason: String) {
        let waiters = state.withLock { state in
            state.closedReason = reason
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        for waiter in waiters {
            waiter.continuation.resume(returning: .failure(ReportingError(.spoolUnavailable, reason)))
        }
    }

    private static func outcome(of sequences: ClosedRange<UInt64>, failures: [Failure]) -> Result<
        Void, ReportingError
    > {
        // Newest first: a waiter is almost always for the latest commit.
        for failure in failures.reversed() where failure.sequences.overlaps(sequences) {
            return .failure(ReportingError(.spoolUnavailable, failure.reason))
        }
        return .success(())
    }
}
