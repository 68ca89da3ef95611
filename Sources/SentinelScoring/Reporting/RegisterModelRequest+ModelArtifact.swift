public import SentinelDrift
public import SentinelModel
public import SentinelSchema

extension RegisterModelRequest {
    /// The registration of a model version with the monitor: its reference profile, threshold and learner.
    ///
    /// ```swift
    /// let file = try ModelFile(contentsOf: "model.sentinel")
    /// let request = RegisterModelRequest(modelVersion: file.modelVersion, artifact: file.artifact, producerId: "api-1")
    /// ```
    /// - Parameters:
    ///   - modelVersion: The model version (the model file's `model_version`).
    ///   - artifact: The model; its `reference` becomes the wire profile field by field.
    ///   - producerId: The registering producer, for the monitor's logs.
    public init(modelVersion: String, artifact: ModelArtifact, producerId: String) {
        self.init(
            modelVersion: modelVersion,
            reference: RegisterModelRequest.ReferenceProfile(artifact.reference),
            threshold: artifact.threshold,
            learner: artifact.learner.kind,
            producerId: producerId)
    }
}

extension RegisterModelRequest.ReferenceProfile {
    /// The wire form of a drift reference profile.
    /// - Parameter profile: The profile, as the model artifact stores it.
    public init(_ profile: ReferenceProfile) {
        self.init(
            features: profile.features.map(RegisterModelRequest.FeatureProfile.init),
            score: RegisterModelRequest.FeatureProfile(profile.score),
            baseFraudRate: profile.baseFraudRate,
            baseFlagRate: profile.baseFlagRate)
    }
}

extension RegisterModelRequest.FeatureProfile {
    /// The wire form of one feature's (or the score's) profile.
    /// - Parameter profile: The profile, as the model artifact stores it.
    public init(_ profile: FeatureProfile) {
        self.init(
            name: profile.name,
            edges: profile.edges,
            proportions: profile.proportions,
            count: UInt64(max(0, profile.count)),
            mean: profile.mean,
            standardDeviation: profile.standardDeviation,
            minimum: profile.minimum,
            maximum: profile.maximum,
            missingFraction: profile.missingFraction,
            calibrationChunks: UInt32(clamping: profile.calibration?.chunks ?? 0),
            calibrationChunkRows: UInt64(max(0, profile.calibration?.chunkRows ?? 0)),
            calibrationMean: profile.calibration?.mean ?? 0,
            calibrationStandardDeviation: profile.calibration?.standardDeviation ?? 0,
            calibratedWarn: profile.calibration?.warn ?? 0,
            calibratedAlert: profile.calibration?.alert ?? 0)
    }
}
