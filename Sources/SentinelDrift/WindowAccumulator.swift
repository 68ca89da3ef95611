/// The counts one time window collects: per-column bin counts and missing counts, event and flag counts,
/// and the score sum — everything the drift and fraud-rate statistics need, in fixed memory.
///
/// Columns are the model's features in order, then the score. All counts live in one flat array
/// (each column's bins followed by its missing count) and all edges in another, so recording an event
/// is O(features) with no allocation, and merging two windows is an element-wise sum.
///
/// Finding a value's bin uses a per-column lookup table of ``lookupCells`` equal-width cells between the
/// first and last edge: the table gives the number of edges in earlier cells, and a short forward scan
/// settles the edges inside the value's own cell (usually none or one). Because the cell of a value is a
/// monotone function of it, this gives exactly the binary search's answer — a value equal to an edge
/// belongs to the bin above — at a fraction of its cost.
///
/// ```swift
/// var window = WindowAccumulator(reference: reference)
/// window.record(features: [12.0, 0.3], score: 0.02, flagged: false)
/// let amount = window.histogram(column: 0)
/// ```
public struct WindowAccumulator: Sendable, Hashable, Codable {
    /// Number of columns: features plus the score.
    public let columnCount: Int
    /// Cells per column in the bin lookup table.
    public static let lookupCells = 128

    private let edges: [Double]
    // Column c's interior edges are edges[edgeStart[c]..<edgeStart[c + 1]].
    private let edgeStart: [Int]
    // Column c's cells are lookup[c · lookupCells ..< (c + 1) · lookupCells]: the global index of the first
    // edge whose cell is ≥ the cell. `scale[c]` maps (value − first edge) to a cell.
    private let lookup: [Int32]
    private let scale: [Double]
    // The most edges any one cell of column c holds: the scan from a cell's table entry takes at most that many
    // steps, so it runs as that many branch-free compare-and-adds (a data-dependent loop exit mispredicts often).
    private let scanSteps: [Int32]
    // Column c's bins start at counts[edgeStart[c] + 2c]; its missing count follows its last bin.
    private var counts: [Int]
    /// Events recorded.
    public private(set) var events: Int
    /// Events the model flagged.
    public private(set) var flagged: Int
    /// Sum of the finite scores of the recorded events.
    public private(set) var scoreSum: Double
    /// Number of events with a finite score (NaN and infinite scores are binned but not summed).
    public private(set) var scoreCount: Int

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
        (self.lookup, self.scale, self.scanSteps) = Self.makeLookup(edges: edges, starts: starts)
        self.counts = [Int](repeating: 0, count: edges.count + 2 * columns.count)
        self.events = 0
        self.flagged = 0
        self.scoreSum = 0
        self.scoreCount = 0
    }

    private enum CodingKeys: String, CodingKey {
        case columnCount, edges, edgeStart, counts, events, flagged, scoreSum, scoreCount
    }

    /// Decodes an accumulator and rebuilds its lookup table.
    /// - Parameter decoder: The decoder.
    /// - Throws: `DecodingError` when the stored layout is inconsistent.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let columnCount = try container.decode(Int.self, forKey: .columnCount)
        let edges = try container.decode([Double].self, forKey: .edges)
        let starts = try container.decode([Int].self, forKey: .edgeStart)
        let counts = try container.decode([Int].self, forKey: .counts)
        let consistent =
            columnCount >= 1 && starts.count == columnCount + 1 && starts.first == 0 && starts.last == edges.count
            && zip(starts, starts.dropFirst()).allSatisfy { $0 <= $1 } && counts.count == edges.count + 2 * columnCount
        guard consistent else {
            throw DecodingError.dataCorruptedError(
                forKey: .counts, in: container, debugDescription: "inconsistent window accumulator layout")
        }
        self.columnCount = columnCount
        self.edges = edges
        self.edgeStart = starts
        self.counts = counts
        self.events = try container.decode(Int.self, forKey: .events)
        self.flagged = try container.decode(Int.self, forKey: .flagged)
        self.scoreSum = try container.decode(Double.self, forKey: .scoreSum)
        self.scoreCount = try container.decode(Int.self, forKey: .scoreCount)
        (self.lookup, self.scale, self.scanSteps) = Self.makeLookup(edges: edges, starts: starts)
    }

    /// Encodes the layout and counts (not the lookup table, which is rebuilt).
    /// - Parameter encoder: The encoder.
    /// - Throws: Whatever the encoder throws.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(columnCount, forKey: .columnCount)
        try container.encode(edges, forKey: .edges)
        try container.encode(edgeStart, forKey: .edgeStart)
        try container.encode(counts, forKey: .counts)
        try container.encode(events, forKey: .events)
        try container.encode(flagged, forKey: .flagged)
        try container.encode(scoreSum, forKey: .scoreSum)
        try container.encode(scoreCount, forKey: .scoreCount)
    }

    private static func makeLookup(
        edges: [Double], starts: [Int]
    ) -> (lookup: [Int32], scale: [Double], scanSteps: [Int32]) {
        let cells = lookupCells
        var lookup = [Int32](repeating: 0, count: cells * (starts.count - 1))
        var scale = [Double](repeating: 0, count: starts.count - 1)
        var scanSteps = [Int32](repeating: 0, count: starts.count - 1)
        for column in 0..<(starts.count - 1) {
            let first = starts[column]
            let end = starts[column + 1]
            guard end - first >= 2 else {
                for cell in 0..<cells { lookup[column * cells + cell] = Int32(first) }
                continue
            }
            let span = edges[end - 1] - edges[first]
            let factor = span.isFinite && span > 0 ? Double(cells) / span : 0
            scale[column] = factor
            // Table entry for cell k: the first edge whose own cell is ≥ k. Every edge before it lies in
            // an earlier cell, hence below any value in cell k (the cell map is monotone).
            var edge = first
            for cell in 0..<cells {
                while edge < end && cellIndex(edges[edge] - edges[first], factor: factor, cells: cells) < cell {
                    edge += 1
                }
                lookup[column * cells + cell] = Int32(edge)
            }
            var steps: Int32 = 0
            for cell in 0..<cells {
                let following = cell + 1 < cells ? lookup[column * cells + cell + 1] : Int32(end)
                steps = max(steps, following - lookup[column * cells + cell])
            }
            scanSteps[column] = steps
        }
        return (lookup, scale, scanSteps)
    }

    @inline(__always)
    private static func cellIndex(_ offset: Double, factor: Double, cells: Int) -> Int {
        let position = offset * factor
        return position < Double(cells - 1) ? Int(position) : cells - 1
    }

    /// Number of features (columns before the score).
    public var featureCount: Int { columnCount - 1 }

    /// Records one scored event.
    /// - Parameters:
    ///   - features: The event's feature values, `featureCount` of them; NaN counts as missing.
    ///   - score: The model's score; NaN counts as missing in the score column. Only finite scores enter the
    ///     mean score.
    ///   - flagged: Whether the model flagged the event.
    public mutating func record(features: UnsafeBufferPointer<Double>, score: Double, flagged: Bool) {
        precondition(features.count == columnCount - 1, "expected \(columnCount - 1) feature values")
        let last = columnCount - 1
        edges.withUnsafeBufferPointer { edges in
            edgeStart.withUnsafeBufferPointer { starts in
                lookup.withUnsafeBufferPointer { lookup in
                    scale.withUnsafeBufferPointer { scale in
                        scanSteps.withUnsafeBufferPointer { steps in
                            counts.withUnsafeMutableBufferPointer { counts in
                                let tables = Tables(
                                    edges: edges, starts: starts, lookup: lookup, scale: scale, steps: steps)
                                for column in 0..<last {
                                    Self.add(features[column], column: column, tables: tables, counts: counts)
                                }
                                Self.add(score, column: last, tables: tables, counts: counts)
                            }
                        }
                    }
                }
            }
        }
        events += 1
        if flagged { self.flagged += 1 }
        if score.isFinite {
            scoreSum += score
            scoreCount += 1
        }
    }

    /// Records one scored event.
    /// - Parameters:
    ///   - features: The event's feature values, `featureCount` of them; NaN counts as missing.
    ///   - score: The model's score.
    ///   - flagged: Whether the model flagged the event.
    public mutating func record(features: [Double], score: Double, flagged: Bool) {
        features.withUnsafeBufferPointer { record(features: $0, score: score, flagged: flagged) }
    }

    private struct Tables {
        var edges: UnsafeBufferPointer<Double>
        var starts: UnsafeBufferPointer<Int>
        var lookup: UnsafeBufferPointer<Int32>
        var scale: UnsafeBufferPointer<Double>
        var steps: UnsafeBufferPointer<Int32>
    }

    @inline(__always)
    private static func add(
        _ value: Double, column: Int, tables: Tables, counts: UnsafeMutableBufferPointer<Int>
    ) {
        let start = tables.starts[column]
        let end = tables.starts[column + 1]
        // Count slots of column c start at its first edge's index + 2c (bins + one missing slot per column).
        let offset = 2 * column
        if value.isNaN {
            counts[end + offset + 1] += 1
            return
        }
        guard start < end, value >= tables.edges[start] else {
            counts[start + offset] += 1  // below the first edge (or no edges): bin 0
            return
        }
        guard value < tables.edges[end - 1] else {
            counts[end + offset] += 1  // at or above the last edge: the last bin
            return
        }
        // edges[start] ≤ value < edges[end − 1]: find the edges ≤ value from the value's cell.
        let cell = cellIndex(value - tables.edges[start], factor: tables.scale[column], cells: lookupCells)
        var edge = Int(tables.lookup[column &* lookupCells &+ cell])
        // Never past edges[end − 1] > value; the step count is fixed per column, so only the adds depend on data.
        for _ in 0..<Int(tables.steps[column]) {
            // A Bool's byte is 0 or 1: adding it keeps the step free of a branch (a ternary compiles to a jump).
            edge &+= Int(unsafeBitCast(tables.edges[edge] <= value, to: UInt8.self))
        }
        counts[edge + offset] += 1
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
        scoreCount += other.scoreCount
    }

    /// Clears all counts, keeping the bins.
    public mutating func reset() {
        for index in counts.indices { counts[index] = 0 }
        events = 0
        flagged = 0
        scoreSum = 0
        scoreCount = 0
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
