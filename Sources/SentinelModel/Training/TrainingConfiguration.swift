/// What `ModelTrainer` trains and how it splits the training window.
///
/// ```swift
/// let configuration = TrainingConfiguration(algorithm: .logistic(LogisticRegression()), seed: 0)
/// ```
public struct TrainingConfiguration: Sendable, Equatable {
    /// The learner and its parameters.
    public var algorithm: Algorithm
    /// The latest fraction of the window (by event time) held out to choose the threshold, measure validation
    /// metrics and, for GBDT, early-stop; in (0, 1).
    public var validationFraction: Double
    /// Quantile bins per reference profile (10–20 recommended).
    public var profileBins: Int
    /// The seed for the learner's random draws (GBDT row and feature sampling).
    public var seed: UInt64
    /// Rows per chunk when calibrating the drift thresholds (`DriftCalibration`): the events a monitoring window
    /// typically holds; `nil` cuts the training rows into ten chunks (NannyML's default chunking).
    public var driftChunkRows: Int?

    /// Creates a configuration.
    /// - Parameters:
    ///   - algorithm: The learner and its parameters.
    ///   - validationFraction: Held-out latest fraction (default 0.2).
    ///   - profileBins: Bins per reference profile (default 20, the same as `sentinel drift`, so live and offline PSI agree).
    ///   - seed: Learner seed (default 0).
    ///   - driftChunkRows: Rows per calibration chunk (default: a tenth of the rows).
    public init(
        algorithm: Algorithm, validationFraction: Double = 0.2, profileBins: Int = 20, seed: UInt64 = 0,
        driftChunkRows: Int? = nil
    ) {
        self.algorithm = algorithm
        self.validationFraction = validationFraction
        self.profileBins = profileBins
        self.seed = seed
        self.driftChunkRows = driftChunkRows
    }

    /// The calibration chunk size for `rows` training rows: the configured one, else a tenth of the rows.
    static func chunkRows(_ configured: Int?, rows: Int) -> Int {
        configured ?? Swift.max(1, rows / 10)
    }
}

/// Where a training run is, for progress displays.
public struct TrainingProgress: Sendable, Equatable {
    /// The steps of a training run, in order.
    public enum Stage: String, Sendable, Equatable {
        /// Fitting on the earliest part of the window.
        case validationModel = "validation model"
        /// Fitting the final model on the whole window.
        case finalModel = "final model"
        /// Computing reference profiles.
        case profiling = "profiling"
    }

    /// The current step.
    public var stage: Stage
    /// Work done in this step (GBDT rounds; 0 or 1 for steps that cannot report finer progress).
    public var completed: Int
    /// Work in this step.
    public var total: Int

    /// Creates a progress report.
    public init(stage: Stage, completed: Int, total: Int) {
        self.stage = stage
        self.completed = completed
        self.total = total
    }
}
