/// What a model was trained on and how its threshold was chosen, as stored in the model file.
///
/// Days are written `YYYY-MM-DD`; they are absent when the data carried no dates.
///
/// ```swift
/// print(artifact.training.firstDay ?? "-", artifact.training.rows, artifact.training.frauds)
/// ```
public struct TrainingSummary: Sendable, Codable, Equatable {
    /// The algorithm and parameters that built the final model.
    public var algorithm: Algorithm
    /// The seed given to the learner (logistic regression does not draw random numbers; it is recorded anyway).
    public var seed: UInt64
    /// The data layout the training file had (`handbook`, `ulb` or `custom`).
    public var schema: String
    /// First training day, `YYYY-MM-DD`.
    public var firstDay: String?
    /// Last training day, `YYYY-MM-DD`.
    public var lastDay: String?
    /// Rows the final model was trained on (the whole window).
    public var rows: Int
    /// Frauds among them.
    public var frauds: Int
    /// Rows used to fit the validation model (the earliest part of the window by time).
    public var fitRows: Int
    /// Rows held out for validation (the latest part of the window by time).
    public var validationRows: Int
    /// The fraction of the window held out for validation.
    public var validationFraction: Double
    /// The GBDT trees kept by early stopping on the validation slice, reused when refitting on the whole window;
    /// nil for logistic regression.
    public var treesKept: Int?

    /// Creates a summary.
    public init(
        algorithm: Algorithm,
        seed: UInt64,
        schema: String,
        firstDay: String?,
        lastDay: String?,
        rows: Int,
        frauds: Int,
        fitRows: Int,
        validationRows: Int,
        validationFraction: Double,
        treesKept: Int?
    ) {
        self.algorithm = algorithm
        self.seed = seed
        self.schema = schema
        self.firstDay = firstDay
        self.lastDay = lastDay
        self.rows = rows
        self.frauds = frauds
        self.fitRows = fitRows
        self.validationRows = validationRows
        self.validationFraction = validationFraction
        self.treesKept = treesKept
    }
}

/// Metrics of the validation model on the held-out slice of the training window.
///
/// The ranking metrics are nil when the slice had no fraud (or no genuine row) to rank.
public struct ValidationSummary: Sendable, Codable, Equatable {
    /// Validation rows.
    public var rows: Int
    /// Frauds among them.
    public var frauds: Int
    /// Average precision on the slice.
    public var averagePrecision: Double?
    /// ROC AUC on the slice.
    public var rocAUC: Double?
    /// Counts at the chosen threshold.
    public var confusion: ConfusionMatrix

    /// Creates a summary.
    public init(rows: Int, frauds: Int, averagePrecision: Double?, rocAUC: Double?, confusion: ConfusionMatrix) {
        self.rows = rows
        self.frauds = frauds
        self.averagePrecision = averagePrecision
        self.rocAUC = rocAUC
        self.confusion = confusion
    }
}

/// How the decision threshold was chosen.
public struct ThresholdRule: Sendable, Codable, Equatable {
    /// A short name, such as `max-f1-validation`.
    public var name: String
    /// One or two sentences a person can check.
    public var explanation: String

    /// Creates a rule.
    public init(name: String, explanation: String) {
        self.name = name
        self.explanation = explanation
    }

    /// The rule `sentinel train` uses: the score that maximises F1 on the validation slice.
    public static let maximumValidationF1 = ThresholdRule(
        name: "max-f1-validation",
        explanation:
            "The validation model (fitted on the earliest part of the training window) scores the held-out latest "
            + "part; the threshold is the score at which flagging every row scoring at least it gives the highest "
            + "F1 (the highest such score on ties). The final model, refitted on the whole window, keeps it."
    )

    /// The rule `sentinel model import` uses when no threshold is given: the score that maximises F1 on the latest
    /// part of the reference data.
    public static let maximumReferenceF1 = ThresholdRule(
        name: "max-f1-reference",
        explanation:
            "The imported model scores the latest part of the reference data (held out as sentinel train holds out "
            + "its validation slice); the threshold is the score at which flagging every row scoring at least it "
            + "gives the highest F1 (the highest such score on ties)."
    )

    /// A threshold given by whoever imported the model (`sentinel model import --threshold`).
    public static let given = ThresholdRule(
        name: "given",
        explanation: "The threshold was given when the model was imported."
    )

    /// The fallback when the validation slice holds no fraud: 0.5.
    public static let fallback = ThresholdRule(
        name: "fixed-0.5",
        explanation: "The validation slice held no fraud, so no threshold could be chosen on it; 0.5 is used."
    )
}
