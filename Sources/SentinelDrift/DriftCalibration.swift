/// A column's drift thresholds calibrated from the training data itself: how far chunks of the training rows,
/// each the size of a monitoring window, already stray from the whole.
///
/// The training rows, in time order, are cut into `chunks` consecutive chunks of `chunkRows` rows (the rest is
/// left out). Each chunk's ``metric`` against the reference profile is one sample of what a window of that size
/// shows when nothing has drifted: sampling noise plus the data's own variation over time. The thresholds sit at
/// the samples' mean plus two (warn) and three (alert) standard deviations — NannyML's ±3σ band from reference
/// chunks — and never below the defaults (PSI 0.1 and 0.25), so calibration only ever makes a column less
/// alarm-prone than the defaults, never more. The standard deviation is the population one (NumPy's `std`, as
/// NannyML computes it).
///
/// ```swift
/// let calibration = DriftCalibration(profile: amount, values: amountsInTimeOrder, chunkRows: 5_000)
/// calibration?.alert   // max(0.25, mean + 3σ of the chunks' PSI)
/// ```
public struct DriftCalibration: Sendable, Hashable, Codable {
    /// The measure the thresholds apply to.
    public var metric: DriftMetric
    /// The warn threshold: max(the default warn, mean + 2σ).
    public var warn: Double
    /// The alert threshold: max(the default alert, mean + 3σ).
    public var alert: Double
    /// How many chunks were measured.
    public var chunks: Int
    /// Rows per chunk.
    public var chunkRows: Int
    /// The mean of the chunks' measure.
    public var mean: Double
    /// The population standard deviation of the chunks' measure.
    public var standardDeviation: Double

    /// Creates a calibration from stored values (for decoding and tests).
    public init(
        metric: DriftMetric, warn: Double, alert: Double, chunks: Int, chunkRows: Int, mean: Double,
        standardDeviation: Double
    ) {
        self.metric = metric
        self.warn = warn
        self.alert = alert
        self.chunks = chunks
        self.chunkRows = chunkRows
        self.mean = mean
        self.standardDeviation = standardDeviation
    }

    /// Calibrates one column; `nil` when the values make fewer than two chunks, or no chunk has a value.
    /// - Parameters:
    ///   - profile: The column's reference profile (built from the same values).
    ///   - values: The column's training values in time order; NaN is missing.
    ///   - chunkRows: Rows per chunk (at least 1): the number of events a monitoring window typically holds.
    ///   - floor: The defaults the thresholds never go below; its metric is the one measured.
    public init?(
        profile: FeatureProfile, values: some Collection<Double>, chunkRows: Int,
        floor: DriftThresholds = DriftThresholds()
    ) {
        precondition(chunkRows >= 1, "a chunk needs at least one row")
        let chunkCount = values.count / chunkRows
        guard chunkCount >= 2 else { return nil }
        var measured: [Double] = []
        measured.reserveCapacity(chunkCount)
        var start = values.startIndex
        for _ in 0..<chunkCount {
            let end = values.index(start, offsetBy: chunkRows)
            let histogram = BinnedHistogram(values: values[start..<end], profile: profile)
            if let statistics = DriftStatistics(reference: profile, current: histogram) {
                measured.append(statistics.value(of: floor.metric))
            }
            start = end
        }
        guard measured.count >= 2 else { return nil }
        let mean = measured.reduce(0, +) / Double(measured.count)
        let variance = measured.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(measured.count)
        let deviation = variance.squareRoot()
        self.init(
            metric: floor.metric, warn: Swift.max(floor.warn, mean + 2 * deviation),
            alert: Swift.max(floor.alert, mean + 3 * deviation), chunks: measured.count, chunkRows: chunkRows,
            mean: mean, standardDeviation: deviation)
    }
}

extension ReferenceProfile {
    /// Calibrates every input's and the score's thresholds from the training values they were profiled from (see
    /// ``DriftCalibration``); a column with too few rows for two chunks keeps none (the defaults apply).
    /// - Parameters:
    ///   - features: Per input, in model order, its training values in time order.
    ///   - scores: The model's scores on the same rows, in the same order.
    ///   - chunkRows: Rows per chunk (at least 1).
    ///   - floor: The defaults the thresholds never go below.
    public mutating func calibrate(
        features: [[Double]], scores: [Double], chunkRows: Int, floor: DriftThresholds = DriftThresholds()
    ) {
        precondition(features.count == self.features.count, "one value column per input")
        for index in self.features.indices {
            self.features[index].calibration = DriftCalibration(
                profile: self.features[index], values: features[index], chunkRows: chunkRows, floor: floor)
        }
        score.calibration = DriftCalibration(profile: score, values: scores, chunkRows: chunkRows, floor: floor)
    }
}
