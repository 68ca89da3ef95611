import SentinelLock
import Synchronization

/// A thread-safe ``LatencyHistogram`` exported as a Prometheus summary (seconds) with quantiles
/// 0.5, 0.9, 0.99 and 0.999, `_sum` and `_count`.
///
/// ```swift
/// let latency = try registry.makeSummary(name: "sentinel_score_latency_seconds", help: "Scoring latency.")
/// latency.record(nanoseconds: 95_000)
/// ```
public final class LatencySummary: Sendable {
    /// The quantiles rendered.
    public static let quantiles: [Double] = [0.5, 0.9, 0.99, 0.999]

    /// The metric name.
    public let name: String
    /// The label values of this series.
    public let labels: [String: String]
    private let histogram = Lock(LatencyHistogram())

    /// Creates an empty summary, outside any registry.
    /// - Parameters:
    ///   - name: The metric name.
    ///   - labels: The label values of this series.
    public init(name: String, labels: [String: String] = [:]) {
        self.name = name
        self.labels = labels
    }

    /// Records one latency.
    /// - Parameter nanoseconds: The latency in nanoseconds.
    public func record(nanoseconds: UInt64) {
        histogram.withLock { $0.record(nanoseconds: nanoseconds) }
    }

    /// Adds a histogram's values (e.g. a batch recorded without the lock).
    /// - Parameter other: The values to add.
    public func merge(_ other: LatencyHistogram) {
        histogram.withLock { $0.merge(other) }
    }

    /// A copy of the histogram.
    public var snapshot: LatencyHistogram { histogram.withLock { $0 } }
}
