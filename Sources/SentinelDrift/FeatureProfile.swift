/// The training distribution of one input (or of the model's score), summarised for drift detection.
///
/// Bins come from training quantiles: `edges` holds the interior bin edges in increasing order, so there
/// are `edges.count + 1` bins; the first and last are open-ended, so a value outside the training range
/// still lands in a bin. A value equal to an edge belongs to the bin above it. Missing values (NaN) are
/// not binned; they are counted in `missingFraction`.
///
/// ```swift
/// let profile = FeatureProfile(name: "TX_AMOUNT", values: amounts, bins: 10)
/// let bin = profile.binIndex(of: 42.0)
/// ```
public struct FeatureProfile: Sendable, Codable, Equatable {
    /// The input's name, as the model declares it.
    public var name: String
    /// Interior bin edges, strictly increasing.
    public var edges: [Double]
    /// The training proportion in each bin; sums to 1 when `count > 0`.
    public var proportions: [Double]
    /// Number of non-missing training values.
    public var count: Int
    /// Mean of the non-missing training values.
    public var mean: Double
    /// Population standard deviation of the non-missing training values.
    public var standardDeviation: Double
    /// Smallest non-missing training value.
    public var minimum: Double
    /// Largest non-missing training value.
    public var maximum: Double
    /// Fraction of training rows where the value was missing.
    public var missingFraction: Double
    /// Number of distinct non-missing training values; `nil` in profiles written before it was recorded.
    public var distinctValues: Int?
    /// Whether every non-missing training value is a whole number (a count, a code); `nil` when not recorded.
    public var integerValued: Bool?
    /// The drift thresholds calibrated from chunks of the training values (``DriftCalibration``); `nil` when the
    /// model was not calibrated (the monitor's defaults apply).
    public var calibration: DriftCalibration?

    /// Creates a profile from stored parts (for decoding and tests).
    public init(
        name: String,
        edges: [Double],
        proportions: [Double],
        count: Int,
        mean: Double,
        standardDeviation: Double,
        minimum: Double,
        maximum: Double,
        missingFraction: Double,
        distinctValues: Int? = nil,
        integerValued: Bool? = nil,
        calibration: DriftCalibration? = nil
    ) {
        self.name = name
        self.edges = edges
        self.proportions = proportions
        self.count = count
        self.mean = mean
        self.standardDeviation = standardDeviation
        self.minimum = minimum
        self.maximum = maximum
        self.missingFraction = missingFraction
        self.distinctValues = distinctValues
        self.integerValued = integerValued
        self.calibration = calibration
    }

    /// Builds a profile from training values.
    ///
    /// An input with at most `bins` distinct values (a flag, a small count, a code) gets one bin per value, so a
    /// shift between rare values shows. Otherwise edge `i` (1 ≤ i < bins) is the sorted value at index ⌊i·n/bins⌋
    /// (the lower empirical quantile), repeated edges merged; when the minimum alone holds at least one bin's
    /// share (a count or a risk share that is mostly 0), the smallest value above it is an edge too, so the mass
    /// at the minimum has a bin of its own instead of swallowing the whole range.
    /// - Parameters:
    ///   - name: The input's name.
    ///   - values: Training values; NaN marks a missing value.
    ///   - bins: The wanted number of bins (at least 2).
    public init(name: String, values: some Collection<Double>, bins: Int = 10) {
        precondition(bins >= 2, "a profile needs at least two bins")
        var sorted = values.filter { !$0.isNaN }
        sorted.sort()
        let total = values.count
        self.name = name
        self.count = sorted.count
        self.missingFraction = total == 0 ? 0 : Double(total - sorted.count) / Double(total)
        guard let first = sorted.first, let last = sorted.last else {
            self.edges = []
            self.proportions = [0]
            self.mean = 0
            self.standardDeviation = 0
            self.minimum = 0
            self.maximum = 0
            return
        }
        self.minimum = first
        self.maximum = last
        var sum = 0.0
        for value in sorted { sum += value }
        let mean = sum / Double(sorted.count)
        var squares = 0.0
        for value in sorted { squares += (value - mean) * (value - mean) }
        self.mean = mean
        self.standardDeviation = (squares / Double(sorted.count)).squareRoot()

        var distinct: [Double] = []
        var distinctCount = 0
        var previous = Double.nan
        var integerValued = true
        for value in sorted where value != previous {
            distinctCount += 1
            if distinctCount <= bins { distinct.append(value) }
            if integerValued && value != value.rounded() { integerValued = false }
            previous = value
        }
        self.distinctValues = distinctCount
        self.integerValued = integerValued

        var edges: [Double] = []
        if distinctCount <= bins {
            edges = Array(distinct.dropFirst())
        } else {
            for i in 1..<bins {
                let edge = sorted[i * sorted.count / bins]
                // An edge at the minimum would leave the first bin empty by construction.
                if edge > first, edges.last.map({ edge > $0 }) ?? true {
                    edges.append(edge)
                }
            }
            if sorted[sorted.count / bins] == first, let above = distinct.dropFirst().first {
                edges = [above] + edges.filter { $0 > above }
            }
        }
        self.edges = edges
        var counts = [Int](repeating: 0, count: edges.count + 1)
        for value in sorted {
            counts[Self.binIndex(of: value, edges: edges)] += 1
        }
        self.proportions = counts.map { Double($0) / Double(sorted.count) }
    }

    /// Number of bins (`edges.count + 1`).
    public var binCount: Int { edges.count + 1 }

    /// Whether the input looks categorical rather than continuous: few distinct training values (at most 20, one
    /// bin each) or whole numbers only (counts, codes). `nil` when the profile does not record it.
    public var isCategoricalLike: Bool? {
        guard let distinctValues, let integerValued else { return nil }
        return distinctValues <= Self.lowCardinality || integerValued
    }

    /// The most distinct values an input may have and still count as low-cardinality.
    public static let lowCardinality = 20

    /// The bin a value falls in: the number of edges less than or equal to it. Not defined for NaN.
    @inlinable
    public func binIndex(of value: Double) -> Int {
        Self.binIndex(of: value, edges: edges)
    }

    /// The bin a value falls in for the given edges (binary search; a value equal to an edge goes above it).
    @inlinable
    public static func binIndex(of value: Double, edges: [Double]) -> Int {
        var low = 0
        var high = edges.count
        while low < high {
            let middle = (low + high) / 2
            if edges[middle] <= value {
                low = middle + 1
            } else {
                high = middle
            }
        }
        return low
    }
}

/// The reference a monitor compares live traffic with: one profile per model input, in model order,
/// one for the model's score, and the training fraud rate.
public struct ReferenceProfile: Sendable, Codable, Equatable {
    /// One profile per model input, in the model's feature order.
    public var features: [FeatureProfile]
    /// The profile of the model's predicted probability on the training data.
    public var score: FeatureProfile
    /// Fraction of training rows labelled fraud.
    public var baseFraudRate: Double
    /// Fraction of training rows the model flags at its decision threshold.
    public var baseFlagRate: Double

    /// Creates a reference profile.
    public init(features: [FeatureProfile], score: FeatureProfile, baseFraudRate: Double, baseFlagRate: Double) {
        self.features = features
        self.score = score
        self.baseFraudRate = baseFraudRate
        self.baseFlagRate = baseFlagRate
    }
}
