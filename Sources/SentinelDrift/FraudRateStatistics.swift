/// One window's live fraud rate: how many events the model flagged, their share and the mean score,
/// with a Wilson interval around the flagged share.
///
/// ```swift
/// let stats = FraudRateStatistics(events: 10_000, flagged: 31, scoreSum: 25.2, baseRate: 0.0017)
/// stats.baseRateOutside   // true when 0.0017 is outside the 95 % interval
/// ```
public struct FraudRateStatistics: Sendable, Hashable, Codable {
    /// Events scored in the window.
    public var events: Int
    /// Events the model flagged.
    public var flagged: Int
    /// `flagged / events` (0 when there were no events).
    public var flaggedRate: Double
    /// Mean of the finite model scores (0 when there were none).
    public var meanScore: Double
    /// The training flag rate it is compared with.
    public var baseRate: Double
    /// Wilson interval of the flagged rate; `nil` when there were no events.
    public var interval: WilsonInterval?

    /// Computes the statistics.
    /// - Parameters:
    ///   - events: Events scored.
    ///   - flagged: Events flagged (`0...events`).
    ///   - scoreSum: Sum of the finite scores.
    ///   - scoreCount: Number of finite scores (default: `events`).
    ///   - baseRate: The training flag rate.
    ///   - confidence: The interval's confidence (default 0.95).
    public init(
        events: Int, flagged: Int, scoreSum: Double, scoreCount: Int? = nil, baseRate: Double, confidence: Double = 0.95
    ) {
        let scoreCount = scoreCount ?? events
        self.events = events
        self.flagged = flagged
        self.baseRate = baseRate
        if events > 0 {
            self.flaggedRate = Double(flagged) / Double(events)
            self.meanScore = scoreCount > 0 ? scoreSum / Double(scoreCount) : 0
            self.interval = WilsonInterval(successes: flagged, trials: events, confidence: confidence)
        } else {
            self.flaggedRate = 0
            self.meanScore = 0
            self.interval = nil
        }
    }

    /// The flag rates a window of this size would show at the training base rate: base ± z·√(base(1 − base)/n),
    /// within [0, 1]; `nil` without events.
    ///
    /// The base rate lies outside the live rate's Wilson interval exactly when the live rate lies outside this range
    /// (the Wilson interval is the inversion of this score test), so an alert can be read either way; people read
    /// "the rate is below the expected range" more easily.
    /// - Parameter confidence: The confidence level, e.g. 0.95.
    public func expectedRange(confidence: Double) -> (lower: Double, upper: Double)? {
        guard events > 0 else { return nil }
        let z = WilsonInterval.normalQuantile(0.5 + confidence / 2)
        let half = z * (baseRate * (1 - baseRate) / Double(events)).squareRoot()
        return (Swift.max(0, baseRate - half), Swift.min(1, baseRate + half))
    }

    /// Whether the base rate lies outside the interval (false when there were no events).
    public var baseRateOutside: Bool {
        guard let interval else { return false }
        return !interval.contains(baseRate)
    }
}
