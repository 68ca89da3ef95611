/// Everything `Docs/Evaluation.md` asks to report for one model on one test window.
///
/// ```swift
/// let report = try Evaluation.evaluate(dataset: data, model: model, threshold: 0.5, settings: settings)
/// print(report.averagePrecision, report.rocAUC, report.cardPrecision.mean)
/// ```
public struct EvaluationReport: Sendable, Codable, Equatable {
    /// The protocol parameters used.
    public var settings: EvaluationSettings
    /// Test transactions evaluated (after removing known compromised cards).
    public var rows: Int
    /// Frauds among them.
    public var frauds: Int
    /// Test-window transactions before the filter.
    public var testWindowRows: Int
    /// Test-window transactions dropped because their card was known to be compromised.
    public var droppedKnownCompromisedRows: Int
    /// Average precision (scikit-learn's definition).
    public var averagePrecision: Double
    /// ROC AUC, ties counted one half.
    public var rocAUC: Double
    /// CP@k per day and its mean.
    public var cardPrecision: CardPrecision
    /// The decision threshold the confusion matrix uses.
    public var threshold: Double
    /// Counts at the threshold.
    public var confusion: ConfusionMatrix

    /// Creates a report from stored parts.
    public init(
        settings: EvaluationSettings,
        rows: Int,
        frauds: Int,
        testWindowRows: Int,
        droppedKnownCompromisedRows: Int,
        averagePrecision: Double,
        rocAUC: Double,
        cardPrecision: CardPrecision,
        threshold: Double,
        confusion: ConfusionMatrix
    ) {
        self.settings = settings
        self.rows = rows
        self.frauds = frauds
        self.testWindowRows = testWindowRows
        self.droppedKnownCompromisedRows = droppedKnownCompromisedRows
        self.averagePrecision = averagePrecision
        self.rocAUC = rocAUC
        self.cardPrecision = cardPrecision
        self.threshold = threshold
        self.confusion = confusion
    }
}
