/// The counts one time window collects: per-column bin counts and missing counts, event and flag counts,
/// and the score sum — everything the drift and fraud-rate statistics need, in fixed memory.
///
/// Columns are the model's features in order, then the score. All counts live in one flat array
/// (each column's bins followed by its missing count) and all edges in another, so recording an event
/// is O(features · log bins) with no allocation, and merging two windows is an element-wise sum.
///
/// ```swift
/// var window = WindowAccumulator(reference: reference)
/// window.record(features: [12.0, 0.3], score: 0.02, flagged: false)
/// let amount = window.histogram(column: 0)
/// ```
public struct WindowAccumulator: Sendable, Hashable, Codable {
    /// Number of columns: features plus the score.
    public let columnCount: Int
    private let edges: [Double]
    // Column c's interior edges are edges[edgeStart[c]..<edgeStart[c + 1]].
    private let edgeStart: [Int]
    // Column c's bins start at counts[edgeStart[c] + 2c]; its missing count follows its last bin.
    private var counts: [Int]
    /// Events recorded.
    public private(set) var events: Int
    /// Events the model flagged.
    public private(set) var flagged: Int
    /// Sum of the scores of the recorded events.
    public private(set) var scoreSum: Double

    /// Creates an empty accumulator over a reference's features and score.
    /// - Parameter reference: The reference profile whose bins to use.
    public init(reference: ReferenceProfile) {
        self.init(columns: reference.features + [reference.score])
    }

    /// Creates an empty accumulator over the given column profiles (the last one is the score's).
    /// - Parameter columns: The profiles whose bins to use; at least one (the score).
    public init(columns: [FeatureProfile]) {
        precondition(!columns.isEmpty, "an accumulator needs at least the score column")
        var edges: [Double] = []
        var starts: [Int] = [0]
        for column in columns {
            edges += column.edges
            starts.append(edges.count)
        }
        self.columnCount = columns.count
        self.edges = edges
        self.edgeStart = starts
        self.counts = [Int](repeating: 0, count: edges.count + 2 * columns.count)
        self.events = 0
        self.flagged = 0
        self.scoreSum = 0
    }

    /// Number of features (columns before the score).
    public var featureCount: Int { columnCount - 1 }

    /// Records one scored event.
    /// - Parameters:
    ///   - features: The event's feature values, `featureCount` of them; NaN counts as missing.
    ///   - score: The model's score; NaN counts as missing in the score column (and adds nothing to the sum).
    ///   - flagged: Whether the model flagged the event.
    public mutating func record(features: UnsafeBufferPointer<Double>, score: Double, flagged: Bool) {
        precondition(features.count == columnCount - 1, "expected \(columnCount - 1) feature values")
        let last = columnCount - 1
        edges.withUnsafeBufferPointer { edges in
            edgeStart.withUnsafeBufferPointer { starts in
                counts.withUnsafeMutableBufferPointer { counts in
                    for column in 0..<last {
                        Self.add(features[column], column: column, edges: edges, starts: starts, counts: counts)
                    }
                    Self.add(score, column: last, edges: edges, starts: starts, counts: counts)
                }
            }
        }
        events += 1
        if flagged { self.flagged += 1 }
        if !score.isNaN { scoreSum += score }
    }

    /// Records one scored event.
    /// - Parameters:
    ///   - features: The event's feature values, `featureCount` of them; NaN counts as missing.
    ///   - score: The model's score.
    ///   - flagged: Whether the model flagged the event.
    public mutating func record(features: [Double], score: Double, flagged: Bool) {
        features.withUnsafeBufferPointer { record(features: $0, score: score, flagged: flagged) }
    }

    @inline(__always)
    private static func add(
        _ value: Double,
        column: Int,
        edges: UnsafeBufferPointer<Double>,
        starts: UnsafeBufferPointer<Int>,
        counts: UnsafeMutableBufferPointer<Int>
    ) {
        var low = starts[column]
        var high = starts[column + 1]
        if value.isNaN {
            counts[high + 2 * column + 1] += 1
            return
        }
        // Number of edges ≤ value: a value equal to an edge belongs to the bin above it.
        while low < high {
            let middle = (low + high) >> 1
            if edges[middle] <= value {
                low = middle + 1
            } else {
                high = middle
            }
        }
        counts[low + 2 * column] += 1
    }

    /// Adds another window's counts to this one (for "since start" and longer periods).
    /// - Parameter other: An accumulator over the same columns and bins.
    public mutating func merge(_ other: WindowAccumulator) {
        precondition(other.edges == edges && other.edgeStart == edgeStart, "merging windows over different bins")
        counts.withUnsafeMutableBufferPointer { counts in
            other.counts.withUnsafeBufferPointer { source in
                for index in counts.indices { counts[index] += source[index] }
            }
        }
        events += other.events
        flagged += other.flagged
        scoreSum += other.scoreSum
    }

    /// Clears all counts, keeping the bins.
    public mutating func reset() {
        for index in counts.indices { counts[index] = 0 }
        events = 0
        flagged = 0
        scoreSum = 0
    }

    /// The bin and missing counts of one column.
    /// - Parameter column: A column index; `featureCount` is the score.
    /// - Returns: The column's histogram.
    public func histogram(column: Int) -> BinnedHistogram {
        let start = edgeStart[column] + 2 * column
        let end = edgeStart[column + 1] + 2 * column + 1  // one past the last bin
        return BinnedHistogram(counts: Array(counts[start..<end]), missing: counts[end])
    }

    /// The number of non-missing values of one column.
    /// - Parameter column: A column index.
    /// - Returns: The sum of its bin counts.
    public func valueCount(column: Int) -> Int {
        let start = edgeStart[column] + 2 * column
        let end = edgeStart[column + 1] + 2 * column + 1
        var sum = 0
        for index in start..<end { sum += counts[index] }
        return sum
    }

    /// The drift of one column against its profile, in O(bins) without allocation; `nil` when empty.
    /// - Parameters:
    ///   - column: A column index.
    ///   - profile: That column's reference profile (the one the accumulator was built with).
    /// - Returns: The statistics, or `nil` when the column holds no non-missing value.
    public func statistics(column: Int, profile: FeatureProfile) -> DriftStatistics? {
        let start = edgeStart[column] + 2 * column
        let bins = edgeStart[column + 1] - edgeStart[column] + 1
        precondition(bins == profile.binCount, "profile does not match column \(column)")
        let total = valueCount(column: column)
        guard total > 0 else { return nil }
        return counts.withUnsafeBufferPointer { counts in
            profile.proportions.withUnsafeBufferPointer { proportions in
                DriftStatistics.compute(
                    reference: proportions,
                    counts: UnsafeBufferPointer(rebasing: counts[start..<(start + bins)]),
                    scale: 1 / Double(total),
                    midpoints: profile.binMidpoints,
                    normaliser: profile.wassersteinScale
                )
            }
        }
    }
}
