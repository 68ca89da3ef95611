import SentinelLock
import Synchronization

/// A Prometheus histogram: counts of observations at or below each bucket bound, their sum and count.
///
/// Bounds are fixed at creation; `+Inf` is implicit. As in the Prometheus clients, a NaN observation lands
/// in the `+Inf` bucket and makes the sum NaN. For latency quantiles with a guaranteed relative error, see
/// ``LatencyHistogram``.
///
/// ```swift
/// let latency = try registry.makeHistogram(
///     name: "sentinel_rpc_seconds", help: "RPC latency.", buckets: [0.001, 0.01, 0.1])
/// latency.observe(0.004)
/// ```
public final class Histogram: Sendable {
    /// A consistent copy of the histogram's counts.
    public struct Snapshot: Sendable, Hashable {
        /// Count per bucket (not cumulative); the last entry is the `+Inf` bucket.
        public var bucketCounts: [UInt64]
        /// Sum of the observations.
        public var sum: Double
        /// Number of observations.
        public var count: UInt64

        /// Counts of observations at or below each bound, then the total (`+Inf`).
        public var cumulativeCounts: [UInt64] {
            var running: UInt64 = 0
            return bucketCounts.map { count in
                running += count
                return running
            }
        }
    }

    /// Prometheus's default buckets (seconds): 5 ms … 10 s.
    public static let defaultBuckets: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    /// Request-duration buckets (seconds): 10 µs … 1 s. Sentinel answers in tens of microseconds, where the default
    /// buckets would put every request in the first one.
    public static let requestDurationBuckets: [Double] = [
        0.000_01, 0.000_025, 0.000_05, 0.000_1, 0.000_25, 0.000_5, 0.001, 0.002_5, 0.005, 0.01, 0.025, 0.05, 0.1,
        0.25, 0.5, 1,
    ]

    /// The metric name.
    public let name: String
    /// The label values of this series.
    public let labels: [String: String]
    /// Upper bounds of the buckets, strictly increasing and finite (`+Inf` implicit).
    public let buckets: [Double]
    private let state: Lock<Snapshot>

    /// Creates an empty histogram, outside any registry.
    /// - Parameters:
    ///   - name: The metric name.
    ///   - labels: The label values of this series.
    ///   - buckets: Upper bounds, strictly increasing and finite.
    /// - Throws: ``MetricsError`` `.invalidBuckets` for bad bounds.
    public init(name: String, labels: [String: String] = [:], buckets: [Double] = Histogram.defaultBuckets)
        throws(MetricsError)
    {
        guard !buckets.isEmpty, buckets.allSatisfy(\.isFinite), zip(buckets, buckets.dropFirst()).allSatisfy(<)
        else {
            throw MetricsError(
                .invalidBuckets,
                "histogram \(name) needs finite, strictly increasing bucket bounds, got \(buckets)")
        }
        self.name = name
        self.labels = labels
        self.buckets = buckets
        self.state = Lock(Snapshot(bucketCounts: [UInt64](repeating: 0, count: buckets.count + 1), sum: 0, count: 0))
    }

    /// Records one observation.
    /// - Parameter value: The observed value.
    public func observe(_ value: Double) {
        // First bound ≥ value (Prometheus buckets are "less than or equal"); NaN falls through to +Inf.
        var low = 0
        var high = buckets.count
        while low < high {
            let middle = (low + high) / 2
            if value <= buckets[middle] {
                high = middle
            } else {
                low = middle + 1
            }
        }
        let index = value.isNaN ? buckets.count : low
        state.withLock { state in
            state.bucketCounts[index] += 1
            state.sum += value
            state.count += 1
        }
    }

    /// Replaces the counts with a copy taken elsewhere: for a histogram that mirrors one kept by another component
    /// (read by a collector at scrape time).
    /// - Parameter snapshot: Per-bucket counts (one per bound, then `+Inf`), sum and count.
    public func replace(with snapshot: Snapshot) {
        precondition(snapshot.bucketCounts.count == buckets.count + 1, "one count per bucket, then +Inf")
        state.withLock { $0 = snapshot }
    }

    /// A consistent copy of the counts.
    public var snapshot: Snapshot { state.withLock { $0 } }
}
