/// What happened while training gradient-boosted trees: rounds, early stopping, validation curves and timing.
///
/// ```swift
/// let (_, report) = try trainer.fit(features: columns, labels: labels, validation: (validColumns, validLabels))
/// print(report.treesKept, report.bestValidationAveragePrecision ?? .nan)
/// ```
public struct GradientBoostingReport: Sendable, Codable, Equatable {
    /// Boosting rounds run (trees grown), including those dropped by early stopping.
    public var roundsRun: Int
    /// Trees in the returned model (the best round's count when early stopping ran).
    public var treesKept: Int
    /// Whether training stopped before `treeCount` rounds because the validation metric stopped improving.
    public var stoppedEarly: Bool
    /// Validation log-loss after each round; empty without validation data.
    public var validationLogLoss: [Double]
    /// Validation average precision after each round; empty without validation data.
    public var validationAveragePrecision: [Double]
    /// Total split gain per input over the kept trees (a feature-importance measure).
    public var featureGain: [Double]
    /// Number of value bins per input after quantile binning.
    public var binCounts: [Int]
    /// Training rows and frauds among them.
    public var rowCount: Int
    /// Fraud rows in the training data.
    public var positiveCount: Int
    /// Wall-clock seconds spent binning the inputs.
    public var binningSeconds: Double
    /// Wall-clock seconds of the whole fit, binning included.
    public var trainingSeconds: Double

    /// Validation log-loss of the kept model, if validation data was given.
    public var bestValidationLogLoss: Double? {
        treesKept > 0 && validationLogLoss.count >= treesKept ? validationLogLoss[treesKept - 1] : nil
    }

    /// Validation average precision of the kept model, if validation data was given.
    public var bestValidationAveragePrecision: Double? {
        treesKept > 0 && validationAveragePrecision.count >= treesKept ? validationAveragePrecision[treesKept - 1] : nil
    }
}
