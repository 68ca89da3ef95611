import Foundation
public import SentinelData

/// Turns a model trained by XGBoost, LightGBM or scikit-learn (through ONNX) into a Sentinel model artifact that
/// scores every row as the source library does, with a threshold and a drift reference profile like a model
/// trained by `sentinel train`.
///
/// 1. ``read(_:format:)`` decodes the source file into an ``ImportedModel`` (trees go into the same compiled
///    forest as Sentinel's own GBDT; a logistic regression becomes Sentinel's logistic model).
/// 2. ``makeArtifact(_:source:reference:configuration:producer:)`` scores the reference data (the model's
///    training data, with labels): the latest `validationFraction` by time gives the validation metrics and, unless
///    a threshold is given, the threshold that maximises F1; all of it gives the reference profile.
///
/// ```swift
/// let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: "model.json")))
/// let model = try ModelImporter.read(bytes, format: nil)
/// let artifact = try ModelImporter.makeArtifact(
///     model, source: ModelImporter.source(of: bytes, format: .xgboostJSON, model: model, path: "model.json"),
///     reference: trainingWeek, configuration: ImportConfiguration())
/// try ModelFile(artifact: artifact).write(to: "model.sentinel")
/// ```
public enum ModelImporter {
    /// Decodes a source model file.
    ///
    /// ONNX files are protobuf messages; this module has no protobuf decoder, so the caller passes one
    /// (`SentinelONNX`'s `ONNXDecoder.decode`), and ``ONNXModelReader`` gives the operators their meaning.
    /// - Parameters:
    ///   - bytes: The file's contents.
    ///   - format: The format, or nil to detect it from the contents (``ImportFormat/detect(_:)``).
    ///   - decodeONNX: Turns an ONNX file into its graph; nil refuses ONNX files.
    /// - Returns: The model.
    /// - Throws: ``ModelError``: `.truncated` (empty or cut short), `.corrupted`, `.unsupportedFormat` (not a
    ///   model of the format), `.unsupportedModel` (an objective, operator or split type that cannot be imported
    ///   exactly), `.inconsistent` (parts that disagree).
    public static func read(
        _ bytes: [UInt8], format: ImportFormat?, decodeONNX: (([UInt8]) throws(ModelError) -> ONNXGraph)? = nil
    ) throws -> ImportedModel {
        guard !bytes.isEmpty else { throw ModelError(.truncated, "the file is empty") }
        guard let format = format ?? ImportFormat.detect(bytes) else {
            throw ModelError(
                .unsupportedFormat,
                "not an XGBoost JSON, LightGBM text or ONNX model")
        }
        switch format {
        case .xgboostJSON: return try XGBoostModelReader.read(bytes)
        case .lightGBMText: return try LightGBMModelReader.read(bytes)
        case .onnx:
            guard let decodeONNX else {
                throw ModelError(.unsupportedFormat, "ONNX models need a decoder (SentinelONNX's ONNXDecoder.decode)")
            }
            return try ONNXModelReader.read(decodeONNX(bytes))
        }
    }

    /// The provenance record of a source file: its format, library, model description, name and SHA-256.
    public static func source(of bytes: [UInt8], format: ImportFormat, model: ImportedModel, path: String)
        -> ModelSource
    {
        ModelSource(
            format: format.rawValue, library: model.library, model: model.model,
            sourceFile: URL(fileURLWithPath: path).lastPathComponent, sourceSHA256: SHA256.hex(SHA256.hash(bytes)))
    }

    /// Builds the artifact for an imported model from its reference data.
    /// - Parameters:
    ///   - model: The imported model.
    ///   - source: Its provenance record.
    ///   - reference: Labelled rows (the model's training data), whose inputs are the model's, in model order.
    ///   - configuration: Threshold, validation fraction and profile bins.
    ///   - producer: Recorded as the artifact's producer.
    /// - Returns: A validated artifact, written as format version 2.
    /// - Throws: ``ModelError`` `.invalidData` when the reference data has no labels, holds no frauds or no
    ///   genuine rows, or has a different number of inputs; `.invalidArgument` for a bad configuration.
    public static func makeArtifact(
        _ model: ImportedModel, source: ModelSource, reference: Dataset, configuration: ImportConfiguration,
        producer: String = "sentinel"
    ) throws -> ModelArtifact {
        let n = reference.rowCount
        guard reference.features.count == model.learner.featureCount else {
            throw ModelError(
                .invalidData,
                "the model takes \(model.learner.featureCount) inputs but the reference data has "
                    + "\(reference.features.count) (\(reference.featureNames.joined(separator: ",")))")
        }
        guard reference.labels.count == n else {
            throw ModelError(.invalidData, "the reference data has no label column")
        }
        guard configuration.validationFraction >= 0, configuration.validationFraction < 1 else {
            throw ModelError(
                .invalidArgument, "validation fraction must be in [0, 1), got \(configuration.validationFraction)")
        }
        if let threshold = configuration.threshold, !(threshold.isFinite && (0...1).contains(threshold)) {
            throw ModelError(.invalidArgument, "threshold must be in [0, 1], got \(threshold)")
        }
        guard (2...100).contains(configuration.profileBins) else {
            throw ModelError(.invalidArgument, "profile bins must be in 2...100, got \(configuration.profileBins)")
        }
        if let chunkRows = configuration.driftChunkRows, chunkRows < 1 {
            throw ModelError(.invalidArgument, "drift chunk rows must be at least 1, got \(chunkRows)")
        }
        let frauds = reference.labels.count(where: { $0 == 1 })
        guard frauds > 0, frauds < n else {
            throw ModelError(
                .invalidData, "the reference data must hold frauds and genuine rows (\(n) rows, \(frauds) frauds)")
        }
        let (order, earlier, validationRows) = ModelTrainer.split(
            reference, validationFraction: configuration.validationFraction)
        guard !earlier.isEmpty else {
            throw ModelError(.invalidData, "the reference data is too small to hold out a validation slice")
        }
        let (validation, threshold, chosen) = try ModelTrainer.validate(
            model.learner, dataset: reference, rows: validationRows, threshold: configuration.threshold)
        let rule: ThresholdRule =
            configuration.threshold != nil ? .given : chosen ? .maximumReferenceF1 : .fallback
        let profile = try ModelTrainer.referenceProfile(
            model.learner, dataset: reference, rows: order, threshold: threshold, bins: configuration.profileBins,
            chunkRows: TrainingConfiguration.chunkRows(configuration.driftChunkRows, rows: order.count))
        let days = reference.days.count == n ? reference.days : []
        let training = TrainingSummary(
            algorithm: .imported(source), seed: 0, schema: reference.schema.rawValue,
            firstDay: days.min()?.description, lastDay: days.max()?.description, rows: n, frauds: frauds,
            fitRows: earlier.count, validationRows: validationRows.count,
            validationFraction: configuration.validationFraction, treesKept: nil)
        let artifact = ModelArtifact(
            learner: model.learner, featureNames: reference.featureNames, threshold: threshold, thresholdRule: rule,
            training: training, validation: validation, reference: profile, producer: producer)
        try artifact.validate()
        return artifact
    }
}

/// How `ModelImporter` gives an imported model its threshold and reference profile.
///
/// ```swift
/// let configuration = ImportConfiguration(threshold: 0.3)
/// ```
public struct ImportConfiguration: Sendable, Equatable {
    /// The decision threshold, or nil to choose the one that maximises F1 on the validation slice.
    public var threshold: Double?
    /// The latest fraction of the reference rows (by event time) scored for validation metrics and the threshold;
    /// in [0, 1).
    public var validationFraction: Double
    /// Quantile bins per reference profile.
    public var profileBins: Int
    /// Rows per drift-calibration chunk of the reference data; `nil`: a tenth of the rows (as `sentinel train`).
    public var driftChunkRows: Int?

    /// Creates a configuration.
    /// - Parameters:
    ///   - threshold: A given threshold, or nil (default) to choose it.
    ///   - validationFraction: Held-out latest fraction (default 0.2, as `sentinel train`).
    ///   - profileBins: Bins per reference profile (default 20, as `sentinel train`).
    ///   - driftChunkRows: Rows per calibration chunk (default: a tenth of the rows).
    public init(
        threshold: Double? = nil, validationFraction: Double = 0.2, profileBins: Int = 20, driftChunkRows: Int? = nil
    ) {
        self.threshold = threshold
        self.validationFraction = validationFraction
        self.profileBins = profileBins
        self.driftChunkRows = driftChunkRows
    }
}
