public import SentinelMetrics

/// The server-side latency of one closed window, summarised (the full histogram is not kept per window: 17.5 KiB ×
/// 1,440 windows would be 25 MiB per model version).
///
/// ```swift
/// let summary = WindowLatency(start: 0, histogram: histogram)
/// print(summary.p99Nanoseconds)
/// ```
public struct WindowLatency: Sendable, Codable, Equatable {
    /// Start of the window, milliseconds since the epoch.
    public var start: Int64
    /// Number of observations.
    public var count: UInt64
    /// Median, nanoseconds.
    public var p50Nanoseconds: UInt64
    /// 90th percentile, nanoseconds.
    public var p90Nanoseconds: UInt64
    /// 99th percentile, nanoseconds.
    public var p99Nanoseconds: UInt64
    /// 99.9th percentile, nanoseconds.
    public var p999Nanoseconds: UInt64
    /// Largest observation, nanoseconds.
    public var maxNanoseconds: UInt64
    /// Mean, nanoseconds (0 without observations).
    public var meanNanoseconds: Double

    /// Summarises a histogram.
    /// - Parameters:
    ///   - start: Start of the window, milliseconds since the epoch.
    ///   - histogram: The window's latencies.
    public init(start: Int64, histogram: LatencyHistogram) {
        self.start = start
        self.count = histogram.count
        let percentiles = histogram.percentiles
        self.p50Nanoseconds = UInt64((percentiles?.p50 ?? 0).rounded())
        self.p90Nanoseconds = UInt64((percentiles?.p90 ?? 0).rounded())
        self.p99Nanoseconds = UInt64((percentiles?.p99 ?? 0).rounded())
        self.p999Nanoseconds = UInt64((percentiles?.p999 ?? 0).rounded())
        self.maxNanoseconds = histogram.count == 0 ? 0 : histogram.maximum
        self.meanNanoseconds = histogram.mean ?? 0
    }
}
