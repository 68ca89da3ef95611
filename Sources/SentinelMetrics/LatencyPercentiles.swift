/// The usual latency quantiles of a ``LatencyHistogram``, in nanoseconds.
///
/// ```swift
/// if let p = histogram.percentiles { print("p99 \(p.p99 / 1e6) ms") }
/// ```
public struct LatencyPercentiles: Sendable, Hashable, Codable {
    /// Median.
    public var p50: Double
    /// 90th percentile.
    public var p90: Double
    /// 99th percentile.
    public var p99: Double
    /// 99.9th percentile.
    public var p999: Double

    /// Creates percentiles from stored values.
    public init(p50: Double, p90: Double, p99: Double, p999: Double) {
        self.p50 = p50
        self.p90 = p90
        self.p99 = p99
        self.p999 = p999
    }
}
