public import SentinelData

/// The parameters of the evaluation protocol in `Docs/Evaluation.md`.
///
/// ```swift
/// let settings = try EvaluationSettings(
///     trainingStart: Day("2018-07-25")!, testFrom: Day("2018-08-08")!, testTo: Day("2018-08-14")!)
/// ```
public struct EvaluationSettings: Sendable, Codable, Equatable {
    /// The model's first training day: frauds from this day on count as known.
    public var trainingStart: Day
    /// First test day (inclusive).
    public var testFrom: Day
    /// Last test day (inclusive).
    public var testTo: Day
    /// Days before a fraud's label is known: a test transaction of day t is dropped when its card had a fraud
    /// on a day from `trainingStart` through t − `delayDays` − 1.
    public var delayDays: Int
    /// The k of CP@k.
    public var topK: Int

    /// Creates settings.
    /// - Parameters:
    ///   - trainingStart: The model's first training day.
    ///   - testFrom: First test day.
    ///   - testTo: Last test day.
    ///   - delayDays: Label delay in days (default 7).
    ///   - topK: Cards investigated per day (default 100).
    /// - Throws: ``ModelError`` `.invalidArgument` when `testTo` precedes `testFrom`, the delay is negative or
    ///   k is below 1.
    public init(trainingStart: Day, testFrom: Day, testTo: Day, delayDays: Int = 7, topK: Int = 100) throws {
        guard testFrom <= testTo else {
            throw ModelError(.invalidArgument, "test window is empty: \(testFrom) is after \(testTo)")
        }
        guard delayDays >= 0 else {
            throw ModelError(.invalidArgument, "delay must be 0 days or more, got \(delayDays)")
        }
        guard topK >= 1 else {
            throw ModelError(.invalidArgument, "k must be at least 1, got \(topK)")
        }
        self.trainingStart = trainingStart
        self.testFrom = testFrom
        self.testTo = testTo
        self.delayDays = delayDays
        self.topK = topK
    }
}
