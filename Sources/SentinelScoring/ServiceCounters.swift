import Glibc
import SentinelLock
import SentinelMetrics
import SentinelSchema
import SentinelWire
import Synchronization

/// The scoring service's counters since start: requests, transactions, flags, errors by status code, reloads and
/// the server-side scoring latency.
///
/// Counters are relaxed atomics (two loops add to them; a Stats reader sees each one exactly, not all at one
/// instant); the latency histogram sits behind a `Lock` held for one O(1) record.
final class ServiceCounters: Sendable {
    let requests = Atomic<UInt64>(0)
    let transactions = Atomic<UInt64>(0)
    let flagged = Atomic<UInt64>(0)
    let reloads = Atomic<UInt64>(0)
    let failedReloads = Atomic<UInt64>(0)
    /// Model loads that succeeded and failed, the start-up load included.
    let loads = Atomic<UInt64>(0)
    let failedLoads = Atomic<UInt64>(0)
    /// Error answers and refused batch items by status code (0…16); codes above 16 are counted as 2 UNKNOWN.
    private let errors = Lock([UInt64](repeating: 0, count: 17))
    /// Refused transactions (Score errors and refused batch items) by status code.
    private let transactionErrors = Lock([UInt64](repeating: 0, count: 17))
    private let latency = Lock(LatencyHistogram())
    /// When the service started, on the monotonic clock, in nanoseconds.
    let startedAt = MonotonicClock.nanoseconds()

    /// Counts one error answer (or one failed batch item) with `code`.
    func countError(_ code: StatusCode, times: UInt64 = 1) {
        let index = code.rawValue <= 16 ? Int(code.rawValue) : 2
        errors.withLock { $0[index] += times }
    }

    /// Counts refused transactions (a Score error, or refused batch items) with `code`.
    func countTransactionError(_ code: StatusCode, times: UInt64 = 1) {
        let index = code.rawValue <= 16 ? Int(code.rawValue) : 2
        transactionErrors.withLock { $0[index] += times }
    }

    /// Refused transactions by status code, one entry per code seen.
    var transactionErrorCounts: [(StatusCode, UInt64)] {
        transactionErrors.withLock { counts in
            counts.indices.filter { counts[$0] > 0 }.map { (StatusCode(rawValue: UInt16($0)), counts[$0]) }
        }
    }

    /// Records the server-side latency of one scoring request.
    func recordLatency(nanoseconds: UInt64) {
        latency.withLock { $0.record(nanoseconds: nanoseconds) }
    }

    /// Error counts, one entry per code seen, in code order.
    var errorCounts: [StatsResponse.ErrorCount] {
        errors.withLock { counts in
            counts.indices.filter { counts[$0] > 0 }.map {
                StatsResponse.ErrorCount(statusCode: UInt32($0), count: counts[$0])
            }
        }
    }

    /// The latency quantiles of every scoring request so far.
    var latencySummary: SentinelSchema.LatencySummary {
        let histogram = latency.withLock { $0 }
        guard let percentiles = histogram.percentiles else { return SentinelSchema.LatencySummary() }
        return SentinelSchema.LatencySummary(
            count: histogram.count, p50Nanoseconds: UInt64(percentiles.p50), p90Nanoseconds: UInt64(percentiles.p90),
            p99Nanoseconds: UInt64(percentiles.p99), p999Nanoseconds: UInt64(percentiles.p999),
            maxNanoseconds: histogram.maximum, meanNanoseconds: histogram.mean ?? 0)
    }
}

/// Clock readings for latency and timestamps.
enum MonotonicClock {
    /// `CLOCK_MONOTONIC` in nanoseconds: for durations (never jumps with wall-clock changes).
    @inline(__always)
    static func nanoseconds() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return UInt64(spec.tv_sec) &* 1_000_000_000 &+ UInt64(spec.tv_nsec)
    }

    /// `CLOCK_REALTIME` in microseconds since the Unix epoch: for event timestamps.
    @inline(__always)
    static func unixMicroseconds() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) &* 1_000_000 &+ Int64(spec.tv_nsec / 1000)
    }
}
