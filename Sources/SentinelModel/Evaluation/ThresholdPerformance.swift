public import SentinelDrift

/// Precision, recall and the confirmed fraud rate at a model's decision threshold over the labelled part of the
/// scored transactions, with Wilson intervals that say how far the labelled part may be from the whole.
///
/// A transaction is flagged when its score is at least the threshold. Precision is the labelled frauds flagged over
/// the labelled transactions flagged, recall the labelled frauds flagged over the labelled frauds, and the fraud
/// rate the labelled frauds over the labelled transactions: each a binomial proportion of the labelled counts.
/// Each is `nil` where it is undefined (nothing labelled, nothing flagged, no fraud), never 0.
///
/// The intervals treat the labelled transactions as a random sample of the scored ones: each is the Wilson score
/// interval of its proportion at ``confidence``, from the labelled counts. They are given only while labels are
/// partial (``labelled`` < ``scored``); once every scored transaction is labelled the figures are exact for the
/// traffic and there is nothing left to estimate. Chargebacks arrive late and not at random — frauds are often
/// labelled sooner than genuine payments — so an interval is the sampling uncertainty only, not a bound on that bias.
///
/// ```swift
/// var performance = ThresholdPerformance(threshold: 0.5, scored: 1_000)
/// performance.add(score: 0.9, fraud: true)
/// performance.add(score: 0.7, fraud: false)
/// performance.precision            // 0.5
/// performance.precisionInterval    // Wilson 95 % interval from 1 of 2
/// ```
public struct ThresholdPerformance: Sendable, Hashable, Codable {
    /// The decision threshold: a score at or above it is flagged.
    public var threshold: Double
    /// Scored transactions, labelled or not.
    public var scored: Int
    /// Labelled transactions.
    public private(set) var labelled: Int
    /// Labelled transactions that were fraud.
    public private(set) var frauds: Int
    /// Labelled transactions the threshold flags.
    public private(set) var flagged: Int
    /// Labelled frauds the threshold flags.
    public private(set) var truePositives: Int
    /// The intervals' two-sided confidence level, in (0, 1).
    public var confidence: Double

    /// Creates an empty tally.
    /// - Parameters:
    ///   - threshold: The model's decision threshold.
    ///   - scored: Scored transactions, labelled or not (at least the labelled ones added later).
    ///   - confidence: The intervals' confidence level (default 0.95).
    public init(threshold: Double, scored: Int, confidence: Double = 0.95) {
        precondition(confidence > 0 && confidence < 1, "confidence must be in (0, 1)")
        self.threshold = threshold
        self.scored = scored
        self.labelled = 0
        self.frauds = 0
        self.flagged = 0
        self.truePositives = 0
        self.confidence = confidence
    }

    /// Counts one labelled transaction.
    /// - Parameters:
    ///   - score: Its fraud probability.
    ///   - fraud: Its label.
    public mutating func add(score: Double, fraud: Bool) {
        let flag = score >= threshold
        labelled += 1
        if fraud { frauds += 1 }
        if flag { flagged += 1 }
        if flag && fraud { truePositives += 1 }
    }

    /// The labelled share of the scored transactions, in [0, 1]; `nil` when nothing was scored.
    public var coverage: Double? {
        scored > 0 ? Swift.min(1, Double(labelled) / Double(scored)) : nil
    }

    /// Whether part of the scored transactions is unlabelled (then the intervals are given).
    public var isPartial: Bool { labelled < scored }

    /// Labelled frauds flagged over labelled transactions flagged; `nil` when none is flagged.
    public var precision: Double? { Self.share(truePositives, of: flagged) }

    /// Labelled frauds flagged over labelled frauds; `nil` without a labelled fraud.
    public var recall: Double? { Self.share(truePositives, of: frauds) }

    /// Labelled frauds over labelled transactions; `nil` when nothing is labelled.
    public var fraudRate: Double? { Self.share(frauds, of: labelled) }

    /// The Wilson interval of ``precision`` while labels are partial; else `nil`.
    public var precisionInterval: WilsonInterval? { interval(truePositives, of: flagged) }

    /// The Wilson interval of ``recall`` while labels are partial; else `nil`.
    public var recallInterval: WilsonInterval? { interval(truePositives, of: frauds) }

    /// The Wilson interval of ``fraudRate`` while labels are partial; else `nil`.
    public var fraudRateInterval: WilsonInterval? { interval(frauds, of: labelled) }

    private static func share(_ part: Int, of whole: Int) -> Double? {
        whole > 0 ? Double(part) / Double(whole) : nil
    }

    private func interval(_ successes: Int, of trials: Int) -> WilsonInterval? {
        guard isPartial, trials > 0 else { return nil }
        return WilsonInterval(successes: successes, trials: trials, confidence: confidence)
    }
}
