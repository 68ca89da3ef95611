/// Counts of one feature's live values in the bins of its reference profile, plus missing values.
///
/// Recording is O(log bins) with no allocation; two histograms over the same edges merge by adding
/// counts, so a window's histogram can be folded into a longer period. For many features at once,
/// ``WindowAccumulator`` keeps the same counts in one flat array.
///
/// ```swift
/// var histogram = BinnedHistogram(binCount: profile.binCount)
/// histogram.record(12.5, edges: profile.edges)
/// let drift = DriftStatistics(reference: profile, current: histogram)
/// ```
public struct BinnedHistogram: Sendable, Hashable, Codable {
    /// The count in each bin.
    public private(set) var counts: [Int]
    /// The number of missing (NaN) values seen.
    public private(set) var missing: Int

    /// Creates an empty histogram.
    /// - Parameter binCount: The number of bins (at least 1).
    public init(binCount: Int) {
        precondition(binCount >= 1, "a histogram needs at least one bin")
        self.counts = [Int](repeating: 0, count: binCount)
        self.missing = 0
    }

    /// Creates a histogram from stored counts (for decoding and tests).
    /// - Parameters:
    ///   - counts: The count in each bin.
    ///   - missing: The number of missing values.
    public init(counts: [Int], missing: Int = 0) {
        precondition(!counts.isEmpty, "a histogram needs at least one bin")
        self.counts = counts
        self.missing = missing
    }

    /// Creates a histogram of the given values in the bins of a profile.
    /// - Parameters:
    ///   - values: The values; NaN counts as missing.
    ///   - profile: The profile whose edges define the bins.
    public init(values: some Sequence<Double>, profile: FeatureProfile) {
        self.init(binCount: profile.binCount)
        for value in values {
            record(value, edges: profile.edges)
        }
    }

    /// The number of non-missing values recorded.
    public var total: Int {
        var sum = 0
        for count in counts { sum += count }
        return sum
    }

    /// Records one value.
    /// - Parameters:
    ///   - value: The value; NaN counts as missing.
    ///   - edges: The interior edges of the bins (`counts.count - 1` of them, increasing).
    @inlinable
    public mutating func record(_ value: Double, edges: [Double]) {
        if value.isNaN {
            recordMissing()
        } else {
            record(bin: FeatureProfile.binIndex(of: value, edges: edges))
        }
    }

    /// Adds one to a bin.
    /// - Parameter bin: The bin index, in `0..<counts.count`.
    public mutating func record(bin: Int) {
        counts[bin] += 1
    }

    /// Adds one to the missing count.
    public mutating func recordMissing() {
        missing += 1
    }

    /// Adds another histogram's counts to this one.
    /// - Parameter other: A histogram over the same bins.
    public mutating func merge(_ other: BinnedHistogram) {
        precondition(other.counts.count == counts.count, "merging histograms over different bins")
        for index in counts.indices {
            counts[index] += other.counts[index]
        }
        missing += other.missing
    }

    /// The proportion of non-missing values in each bin (all zeros when nothing was recorded).
    public var proportions: [Double] {
        let total = Double(self.total)
        guard total > 0 else { return [Double](repeating: 0, count: counts.count) }
        return counts.map { Double($0) / total }
    }
}
