import Dispatch
import Foundation
import Glibc
import SentinelLock
import SentinelPosix
import Synchronization

/// The shared state of an open ``StateStore`` and its log writer thread.
///
/// Callers enqueue framed batches under the mutex (taking positions in call order) and park continuations
/// there; the writer thread takes *every* pending batch at once, writes them, syncs once and resumes every
/// waiter the sync covers (group commit). Snapshots are written on a serial Dispatch queue, never on the
/// cooperative pool.
final class LogCore: Sendable {
    /// A segment file on disk, in position order; the last one is the active segment.
    struct Segment {
        var first: UInt64
        var name: String
        var bytes: Int64
    }

    /// A snapshot file on disk.
    struct SnapshotEntry {
        var position: UInt64
        var name: String
        var bytes: Int64
    }

    /// Framed records of one `enqueue` call.
    struct Batch {
        var start: UInt64
        var end: UInt64
        var bytes: [UInt8]
    }

    struct Waiter {
        var position: UInt64
        var continuation: CheckedContinuation<Void, any Error>
    }

    /// Transitions: open → (failed: a write or sync threw; every later write is refused) → closing (close
    /// requested: the writer drains what is pending, then exits) → closed (writer exited).
    struct State {
        var pending: [Batch] = []
        var enqueued: UInt64
        var durable: UInt64
        var waiters: [Waiter] = []
        var failure: PersistenceError?
        var closing = false
        var writerIdle = false
        var writerExited = false
        var exitWaiters: [CheckedContinuation<Void, Never>] = []
        var segments: [Segment]
        var snapshots: [SnapshotEntry]
        var bytesEnqueued: Int64 = 0
        var bytesSinceSnapshot: Int64
        var stats = StateStoreStatistics()
    }

    let directory: String
    let options: StateStoreOptions
    let state: Lock<State>
    private let wake = DispatchSemaphore(value: 0)
    private let active: Lock<ActiveSegment>
    let snapshotQueue = DispatchQueue(label: "sentinel.state-store.snapshots")
    private let lockFD: Int32
    /// Records the last position written and synced, so the next start can tell an acknowledged record lost
    /// from a torn write; `nil` when the mark could not be mapped.
    private let mark: PersistentMark?
    /// Called on the writer thread before each commit; tests hold it to make batching deterministic.
    let beforeCommit = Lock<(@Sendable () -> Void)?>(nil)

    init(
        directory: String, options: StateStoreOptions, lockFD: Int32, active: ActiveSegment, next: UInt64,
        segments: [Segment], snapshots: [SnapshotEntry], bytesSinceSnapshot: Int64, mark: PersistentMark? = nil
    ) {
        self.mark = mark
        mark?.store(next)
        self.directory = directory
        self.options = options
        self.lockFD = lockFD
        self.active = Lock(active)
        self.state = Lock(
            State(
                enqueued: next, durable: next, segments: segments, snapshots: snapshots,
                bytesSinceSnapshot: bytesSinceSnapshot))
    }

    /// Starts the writer thread; called once by `StateStore.open`.
    func start() {
        let thread = Thread { [self] in self.runWriter() }
        thread.name = "sentinel-wal"
        thread.start()
    }

    // MARK: Callers

    func enqueue(_ records: [LogRecord]) throws -> UInt64 {
        for record in records where record.payload.count > options.maximumRecordBytes {
            throw PersistenceError(
                .recordTooLarge,
                "record of \(record.payload.count) bytes exceeds the maximum \(options.maximumRecordBytes)")
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(LogFormat.framedSize(records))
        LogFormat.frame(records, into: &bytes)
        let count = UInt64(records.count)
        let (position, signal) = try state.withLock { s -> (UInt64, Bool) in
            if let failure = s.failure { throw failure }
            if s.closing { throw PersistenceError(.closed, "the state store is closed") }
            guard count > 0 else { return (s.enqueued, false) }
            let start = s.enqueued
            s.enqueued += count
            s.bytesEnqueued += Int64(bytes.count)
            s.bytesSinceSnapshot += Int64(bytes.count)
            s.stats.appends += 1
            s.stats.records += count
            s.pending.append(Batch(start: start, end: s.enqueued, bytes: bytes))
            let signal = s.writerIdle
            s.writerIdle = false
            return (s.enqueued, signal)
        }
        if signal { wake.signal() }
        return position
    }

    func waitUntilDurable(_ position: UInt64) async throws {
        let ready = try state.withLock { s -> Bool in
            guard position <= s.enqueued else {
                throw PersistenceError(
                    .invalidPosition,
                    "position \(position) is beyond the last enqueued record (\(s.enqueued))")
            }
            if position <= s.durable { return true }
            if let failure = s.failure { throw failure }
            return false
        }
        if ready { return }
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let outcome = state.withLock { s -> Result<Bool, PersistenceError> in
                if position <= s.durable { return .success(true) }
                if let failure = s.failure { return .failure(failure) }
                s.waiters.append(Waiter(position: position, continuation: continuation))
                return .success(false)
            }
            switch outcome {
            case .success(true): continuation.resume()
            case .success(false): break
            case .failure(let error): continuation.resume(throwing: error)
            }
        }
    }

    /// Asks the writer to finish what is pending and exit; later enqueues are refused.
    func requestClose() {
        let signal = state.withLock { s -> Bool in
            s.closing = true
            let signal = s.writerIdle
            s.writerIdle = false
            return signal
        }
        if signal { wake.signal() }
    }

    func close() async {
        requestClose()
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let done = state.withLock { s -> Bool in
                if s.writerExited { return true }
                s.exitWaiters.append(continuation)
                return false
            }
            if done { continuation.resume() }
        }
    }

    /// Points the active segment's descriptor at `fd` (a read-only one makes the next write fail with `EBADF`);
    /// tests use it to exercise the fail-stop path with a real failing system call.
    func redirectActiveSegmentForTesting(to fd: Int32) {
        active.withLock { segment in _ = dup2(fd, segment.fd) }
    }

    // MARK: Writer thread

    private func runWriter() {
        while true {
            let (work, stop) = state.withLock { s -> ([Batch], Bool) in
                if s.pending.isEmpty {
                    if s.closing { return ([], true) }
                    s.writerIdle = true
                    return ([], false)
                }
                let work = s.pending
                s.pending = []
                return (work, false)
            }
            if stop { break }
            if work.isEmpty {
                wake.wait()
                continue
            }
            commit(work)
        }
        active.withLock { $0.close() }
        Glibc.close(lockFD)
        let waiters = state.withLock { s -> [CheckedContinuation<Void, Never>] in
            s.writerExited = true
            let waiters = s.exitWaiters
            s.exitWaiters = []
            return waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    private func commit(_ work: [Batch]) {
        if let hook = beforeCommit.withLock({ $0 }) { hook() }
        if let failure = state.withLock({ $0.failure }) {
            fail(failure)
            return
        }
        var syncs: UInt64 = 0
        var written: Int64 = 0
        do {
            try active.withLock { segment in
                for batch in work {
                    let bytes = Int64(batch.bytes.count)
                    if segment.size > Int64(LogFormat.segmentHeaderBytes)
                        && segment.size + bytes > Int64(options.segmentBytes)
                    {
                        syncs += try rotate(&segment, first: batch.start)
                    }
                    try segment.append(batch.bytes)
                    written += bytes
                }
                if options.syncs {
                    try segment.sync()
                    syncs += 1
                }
            }
        } catch {
            fail(
                PersistenceError(
                    .storeFailed, "writing the log in \(directory) failed; no further writes accepted",
                    cause: error as? PersistenceError))
            return
        }
        let end = work[work.count - 1].end
        // Before anyone is told the records are durable (the mark is a memory write, kept by the page cache).
        mark?.store(end)
        let activeSize = active.withLock { $0.size }
        let ready = state.withLock { s -> [Waiter] in
            s.durable = end
            s.stats.syncs += syncs
            s.stats.commits += 1
            s.stats.logBytesWritten += UInt64(written)
            if !s.segments.isEmpty { s.segments[s.segments.count - 1].bytes = activeSize }
            var ready: [Waiter] = []
            s.waiters.removeAll { waiter in
                guard waiter.position <= end else { return false }
                ready.append(waiter)
                return true
            }
            return ready
        }
        for waiter in ready { waiter.continuation.resume() }
    }

    /// Closes the active segment (synced) and starts the next one at `first`; returns the syncs made.
    private func rotate(_ segment: inout ActiveSegment, first: UInt64) throws -> UInt64 {
        var syncs: UInt64 = 0
        if options.syncs {
            try segment.sync()
            syncs += 1
        }
        let closedSize = segment.size
        segment.close()
        segment = try ActiveSegment.create(directory: directory, first: first, syncs: options.syncs)
        if options.syncs { syncs += 1 }
        let name = segment.name
        let size = segment.size
        state.withLock { s in
            if !s.segments.isEmpty { s.segments[s.segments.count - 1].bytes = closedSize }
            s.segments.append(Segment(first: first, name: name, bytes: size))
        }
        return syncs
    }

    private func fail(_ error: PersistenceError) {
        let waiters = state.withLock { s -> [Waiter] in
            if s.failure == nil { s.failure = error }
            s.pending = []
            let waiters = s.waiters
            s.waiters = []
            return waiters
        }
        for waiter in waiters { waiter.continuation.resume(throwing: error) }
    }
}
