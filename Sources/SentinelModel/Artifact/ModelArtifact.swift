public import SentinelDrift

/// Everything `sentinel train` produces and the scoring service loads: the learner, its inputs, its decision
/// threshold, what it was trained on, how it did on validation, and the reference profile for drift.
///
/// On disk it is the body of a ``ModelFile``: one JSON file with an envelope holding the format name and version,
/// the model version and the SHA-256 of the body (see the ModelFileFormat article).
///
/// ```swift
/// let artifact = try ModelFile(contentsOf: "model.sentinel").artifact
/// let p = row.withUnsafeBufferPointer { artifact.learner.probability(of: $0) }
/// let flagged = p >= artifact.threshold
/// ```
public struct ModelArtifact: Sendable, Equatable, Codable {
    /// The trained model.
    public var learner: Learner
    /// The model's inputs, in the order rows must present them.
    public var featureNames: [String]
    /// A row is flagged as fraud when its probability is at least this.
    public var threshold: Double
    /// How ``threshold`` was chosen.
    public var thresholdRule: ThresholdRule
    /// The training window, row counts and algorithm.
    public var training: TrainingSummary
    /// The validation model's metrics on the held-out slice.
    public var validation: ValidationSummary
    /// The training distribution of every input and of the score, for drift detection.
    public var reference: ReferenceProfile
    /// The program that wrote the file, such as `sentinel 0.1.0` (no timestamp, so files are reproducible).
    public var producer: String

    /// Creates an artifact from its parts; call ``validate()`` to check them.
    public init(
        learner: Learner,
        featureNames: [String],
        threshold: Double,
        thresholdRule: ThresholdRule,
        training: TrainingSummary,
        validation: ValidationSummary,
        reference: ReferenceProfile,
        producer: String
    ) {
        self.learner = learner
        self.featureNames = featureNames
        self.threshold = threshold
        self.thresholdRule = thresholdRule
        self.training = training
        self.validation = validation
        self.reference = reference
        self.producer = producer
    }

    /// The name in the envelope's `format` field.
    public static let formatName = "sentinel-model"
    /// The newest body layout version this build reads; it reads every version from 1 on.
    ///
    /// Version 2 adds imported models (``Algorithm/imported(_:)``, trees without training parameters and forests
    /// whose sum is a probability). A file is written with the lowest version that holds its content, so a model
    /// trained by Sentinel is still version 1 and an older build refuses an imported model instead of misreading it.
    public static let formatVersion = 2

    /// The lowest format version that holds this artifact: 2 for an imported model, else 1.
    public var requiredFormatVersion: Int {
        training.algorithm.source == nil ? 1 : 2
    }
}
