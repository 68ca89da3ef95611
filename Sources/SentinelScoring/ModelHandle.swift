import Foundation
import SentinelDrift
public import SentinelModel

/// One loaded, validated model, immutable: what a request reads once and scores with to the end.
///
/// The service swaps whole handles (``ModelStore``), so a request that took a handle finishes on it even when a
/// reload replaces it meanwhile.
///
/// ```swift
/// let handle = try ModelHandle.load(path: "model.sentinel")
/// let p = row.withUnsafeBufferPointer { handle.learner.probability(of: $0) }
/// ```
public final class ModelHandle: Sendable {
    /// The model file as loaded (artifact, hash, version).
    public let file: ModelFile
    /// The model version (the first 12 hex digits of the body's SHA-256).
    public let version: String
    /// The learner that scores.
    public let learner: Learner
    /// The decision threshold: a probability at or above it is flagged.
    public let threshold: Double
    /// The input names, in the order a transaction's features must follow.
    public let featureNames: [String]
    /// Where the model was loaded from.
    public let source: String
    /// When it was loaded, in microseconds since the Unix epoch.
    public let loadedAtMicroseconds: Int64
    /// The probability of the reference profile's feature means: the smoke score checked at load.
    public let smokeScore: Double

    /// Validates a model file's content and wraps it.
    /// - Parameters:
    ///   - file: The decoded, hash-checked file.
    ///   - source: Where it came from, for ModelInfo and logs.
    ///   - loadedAtMicroseconds: The load time.
    /// - Throws: ``ScoringError`` `.reloadFailed` when the learner's input count disagrees with the feature names or
    ///   the smoke score (the learner applied to the reference means) is not a finite probability.
    public init(file: ModelFile, source: String, loadedAtMicroseconds: Int64) throws {
        let artifact = file.artifact
        guard artifact.learner.featureCount == artifact.featureNames.count else {
            throw ScoringError(
                .reloadFailed,
                "model \(file.modelVersion) has \(artifact.featureNames.count) feature names but its learner takes "
                    + "\(artifact.learner.featureCount) inputs")
        }
        let means = artifact.reference.features.map(\.mean)
        guard means.count == artifact.learner.featureCount else {
            throw ScoringError(
                .reloadFailed,
                "model \(file.modelVersion): reference profile has \(means.count) features, expected "
                    + "\(artifact.learner.featureCount)")
        }
        let smoke = means.withUnsafeBufferPointer { artifact.learner.probability(of: $0) }
        guard smoke.isFinite, (0...1).contains(smoke) else {
            throw ScoringError(
                .reloadFailed, "model \(file.modelVersion): smoke score on the reference means is \(smoke)")
        }
        self.file = file
        self.version = file.modelVersion
        self.learner = artifact.learner
        self.threshold = artifact.threshold
        self.featureNames = artifact.featureNames
        self.source = source
        self.loadedAtMicroseconds = loadedAtMicroseconds
        self.smokeScore = smoke
    }

    /// Reads, verifies and validates a model file (blocking file I/O: call it off the event loops).
    /// - Parameter path: The model file.
    /// - Returns: The handle.
    /// - Throws: ``ScoringError`` `.reloadFailed` naming the path and the reason (missing, truncated, corrupted,
    ///   inconsistent, failed smoke score).
    public static func load(path: String) throws -> ModelHandle {
        let file: ModelFile
        do {
            file = try ModelFile(contentsOf: path)
        } catch {
            throw ScoringError(.reloadFailed, "cannot load model '\(path)': \(error)", cause: error)
        }
        let now = Int64((Date().timeIntervalSince1970 * 1_000_000).rounded())
        return try ModelHandle(file: file, source: path, loadedAtMicroseconds: now)
    }

    /// The learner's kind, e.g. `logistic` or `gradient_boosting`.
    public var learnerKind: String { learner.kind }
}
