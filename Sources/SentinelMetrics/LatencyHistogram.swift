/// A log-linear latency histogram (HDR-style): fixed memory, O(1) recording, mergeable, and quantiles
/// within 0.79 % relative error.
///
/// Values are nanoseconds. Values below 64 ns each have their own bucket (exact). Above, every power of two
/// [2^e, 2^(e+1)) is split into 64 equal sub-buckets, so a bucket is at most 1/64 of its lower bound wide;
/// a quantile is reported as its bucket's mid-point, at most 1/128 ≈ 0.78 % from any value in the bucket,
/// and clamped to the recorded minimum and maximum. The range ends at 2^40 ns (about 18 minutes); larger
/// values are recorded in the last bucket and counted in ``saturated``. 2,240 buckets of 8 bytes: 17.5 KiB.
///
/// The quantile q is the nearest-rank value: the ⌈q·n⌉-th smallest (the smallest for q = 0). The smallest
/// and largest values are reported exactly.
///
/// Not synchronised: a window owns its histogram, or wrap it in a `Lock` (see ``LatencySummary``).
///
/// ```swift
/// var latency = LatencyHistogram()
/// latency.record(nanoseconds: 180_000)
/// let p99 = latency.quantile(0.99)   // nanoseconds
/// ```
public struct LatencyHistogram: Sendable, Hashable, Codable {
    /// Sub-buckets per power of two, as a power of two.
    public static let precisionBits = 6
    /// The largest value recorded without saturation is `2^rangeBits − 1` nanoseconds.
    public static let rangeBits = 40
    /// The worst relative error of a reported quantile.
    public static let relativeErrorBound = 1.0 / Double(1 << (precisionBits + 1))
    /// The number of buckets.
    public static let bucketCount = (1 << precisionBits) * (rangeBits - precisionBits + 1)

    private static let subBuckets = 1 << precisionBits
    private static let maximumTrackable = (UInt64(1) << UInt64(rangeBits)) - 1

    private var counts: [UInt64]
    /// Number of recorded values.
    public private(set) var count: UInt64
    /// Sum of the recorded values (saturated values at their true size), in nanoseconds.
    public private(set) var sum: Double
    /// Smallest recorded value (`UInt64.max` when empty).
    public private(set) var minimum: UInt64
    /// Largest recorded value (0 when empty).
    public private(set) var maximum: UInt64
    /// Values above the range, recorded in the last bucket.
    public private(set) var saturated: UInt64

    /// Creates an empty histogram.
    public init() {
        self.counts = [UInt64](repeating: 0, count: Self.bucketCount)
        self.count = 0
        self.sum = 0
        self.minimum = .max
        self.maximum = 0
        self.saturated = 0
    }

    /// The bucket of a value: exact below 64, then 64 sub-buckets per power of two.
    @inline(__always)
    static func bucketIndex(of value: UInt64) -> Int {
        let clamped = Swift.min(value, maximumTrackable)
        if clamped < UInt64(subBuckets) { return Int(clamped) }
        let exponent = 63 - clamped.leadingZeroBitCount  // ≥ precisionBits
        let shift = exponent - precisionBits
        let subBucket = Int(clamped >> UInt64(shift)) - subBuckets  // 0..<64
        return subBuckets + shift * subBuckets + subBucket
    }

    /// The lowest value of a bucket and its width.
    static func bucketRange(_ index: Int) -> (lower: Double, width: Double) {
        if index < subBuckets { return (Double(index), 1) }
        let shift = (index - subBuckets) / subBuckets
        let subBucket = (index - subBuckets) % subBuckets
        let width = Double(UInt64(1) << UInt64(shift))
        return (Double(subBuckets + subBucket) * width, width)
    }

    /// Records one value.
    /// - Parameter nanoseconds: The latency in nanoseconds.
    public mutating func record(nanoseconds: UInt64) {
        counts[Self.bucketIndex(of: nanoseconds)] += 1
        count += 1
        sum += Double(nanoseconds)
        if nanoseconds < minimum { minimum = nanoseconds }
        if nanoseconds > maximum { maximum = nanoseconds }
        if nanoseconds > Self.maximumTrackable { saturated += 1 }
    }

    /// Records one duration; a negative duration counts as 0.
    /// - Parameter duration: The latency.
    public mutating func record(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        guard seconds >= 0, attoseconds >= 0 else {
            record(nanoseconds: 0)
            return
        }
        let whole = UInt64(seconds).multipliedReportingOverflow(by: 1_000_000_000)
        let nanoseconds = whole.overflow ? UInt64.max : whole.partialValue &+ UInt64(attoseconds / 1_000_000_000)
        record(nanoseconds: nanoseconds)
    }

    /// Adds another histogram's values to this one; the result equals recording both streams into one.
    /// - Parameter other: Another histogram.
    public mutating func merge(_ other: LatencyHistogram) {
        counts.withUnsafeMutableBufferPointer { counts in
            other.counts.withUnsafeBufferPointer { source in
                for index in counts.indices { counts[index] += source[index] }
            }
        }
        count += other.count
        sum += other.sum
        minimum = Swift.min(minimum, other.minimum)
        maximum = Swift.max(maximum, other.maximum)
        saturated += other.saturated
    }

    /// The mean of the recorded values in nanoseconds, or `nil` when empty.
    public var mean: Double? { count == 0 ? nil : sum / Double(count) }

    /// The q-quantile in nanoseconds (nearest rank), or `nil` when empty.
    /// - Parameter q: A probability in [0, 1].
    /// - Returns: The bucket mid-point of the ⌈q·n⌉-th smallest value, clamped to the recorded min and max.
    public func quantile(_ q: Double) -> Double? {
        precondition(q >= 0 && q <= 1, "quantile needs q in [0, 1], got \(q)")
        guard count > 0 else { return nil }
        let rank = Swift.max(1, UInt64((q * Double(count)).rounded(.up)))
        // The extremes are known exactly (also past the range).
        if rank >= count { return Double(maximum) }
        if rank == 1 { return Double(minimum) }
        var seen: UInt64 = 0
        for index in counts.indices {
            seen += counts[index]
            if seen >= rank {
                let (lower, width) = Self.bucketRange(index)
                let middle = width == 1 ? lower : lower + width / 2
                return Swift.min(Double(maximum), Swift.max(Double(minimum), middle))
            }
        }
        return Double(maximum)
    }

    /// p50, p90, p99 and p99.9 in nanoseconds, or `nil` when empty.
    public var percentiles: LatencyPercentiles? {
        guard let p50 = quantile(0.5), let p90 = quantile(0.9), let p99 = quantile(0.99),
            let p999 = quantile(0.999)
        else { return nil }
        return LatencyPercentiles(p50: p50, p90: p90, p99: p99, p999: p999)
    }

    /// Prometheus-style buckets of these values: per bound in seconds, the values at or below it (within one
    /// bucket of this histogram, a relative error of at most ``relativeErrorBound`` × 2), then the values above the
    /// last bound; with the sum in seconds and the count.
    /// - Parameter bounds: Bucket bounds in seconds, increasing.
    /// - Returns: The snapshot a ``Histogram`` with those buckets takes.
    public func prometheusSnapshot(bounds: [Double]) -> Histogram.Snapshot {
        var bucketCounts = [UInt64](repeating: 0, count: bounds.count + 1)
        var bound = 0
        for index in counts.indices where counts[index] > 0 {
            let (lower, _) = Self.bucketRange(index)
            while bound < bounds.count && lower > bounds[bound] * 1e9 { bound += 1 }
            bucketCounts[bound] += counts[index]
        }
        return Histogram.Snapshot(bucketCounts: bucketCounts, sum: sum / 1e9, count: count)
    }

    /// Clears all values.
    public mutating func reset() {
        self = LatencyHistogram()
    }
}
