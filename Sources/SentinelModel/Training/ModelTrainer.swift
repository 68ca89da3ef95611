public import SentinelData
import SentinelDrift

/// Trains a model file's content from a training window: the documented pipeline behind `sentinel train`.
///
/// 1. Order the rows by event time (stable; dataset order when there are no times) and hold out the latest
///    `validationFraction` of them.
/// 2. Fit a validation model on the earlier rows (GBDT early-stops on the held-out slice).
/// 3. Score the held-out slice: validation AP, ROC AUC, and the threshold that maximises F1
///    (``ThresholdSelection/maximumF1(scores:labels:)``; 0.5 when the slice has no fraud).
/// 4. Refit on the whole window with the same parameters (GBDT: the number of trees early stopping kept, without
///    early stopping) — this is the model shipped, and it keeps the threshold from step 3.
/// 5. Profile every input and the final model's training scores (quantile bins) for drift detection.
///
/// The run is deterministic: the same rows, configuration and seed give an identical artifact.
///
/// ```swift
/// let artifact = try ModelTrainer.train(
///     dataset: week, configuration: TrainingConfiguration(algorithm: .logistic(LogisticRegression())))
/// try ModelFile(artifact: artifact).write(to: "model.sentinel")
/// ```
public enum ModelTrainer {
    /// Runs the pipeline on every row of a dataset.
    /// - Parameters:
    ///   - dataset: The training window, with labels.
    ///   - configuration: Algorithm, validation fraction, profile bins and seed.
    ///   - producer: Recorded as the artifact's producer.
    ///   - progress: Called on the calling thread as training advances.
    /// - Returns: A validated artifact.
    /// - Throws: ``ModelError`` for unusable data or parameters (no labels, too few rows, a window with only one
    ///   class, a bad validation fraction); errors from the learners; `CancellationError` when cancelled.
    public static func train(
        dataset: Dataset,
        configuration: TrainingConfiguration,
        producer: String = "sentinel",
        progress: ((TrainingProgress) -> Void)? = nil
    ) throws -> ModelArtifact {
        let n = dataset.rowCount
        guard dataset.labels.count == n else {
            throw ModelError(.invalidData, "the training data has no label column")
        }
        guard configuration.validationFraction > 0, configuration.validationFraction < 1 else {
            throw ModelError(
                .invalidArgument, "validation fraction must be in (0, 1), got \(configuration.validationFraction)")
        }
        guard (2...100).contains(configuration.profileBins) else {
            throw ModelError(.invalidArgument, "profile bins must be in 2...100, got \(configuration.profileBins)")
        }
        if let chunkRows = configuration.driftChunkRows, chunkRows < 1 {
            throw ModelError(.invalidArgument, "drift chunk rows must be at least 1, got \(chunkRows)")
        }
        guard dataset.features.count >= 1, dataset.features.count == dataset.featureNames.count else {
            throw ModelError(.invalidData, "the training data has no input columns")
        }
        let (order, fitRows, validationRows) = split(dataset, validationFraction: configuration.validationFraction)
        let frauds = order.count(where: { dataset.labels[$0] == 1 })
        guard frauds > 0, frauds < n else {
            throw ModelError(
                .invalidData, "the training window must hold frauds and genuine rows (\(n) rows, \(frauds) frauds)")
        }
        guard fitRows.contains(where: { dataset.labels[$0] == 1 }),
            fitRows.contains(where: { dataset.labels[$0] == 0 })
        else {
            throw ModelError(
                .invalidData,
                "the earliest \(fitRows.count) training rows (before the validation slice) must hold frauds and "
                    + "genuine rows")
        }

        // Step 2: the validation model.
        let (validationLearner, treesKept) = try fit(
            configuration.algorithm, seed: configuration.seed, dataset: dataset, rows: fitRows,
            validationRows: validationRows, stage: .validationModel, progress: progress)
        try Task.checkCancellation()

        // Step 3: threshold and validation metrics.
        let (validation, threshold, chosen) = try validate(
            validationLearner, dataset: dataset, rows: validationRows, threshold: nil)

        // Step 4: the final model on the whole window.
        var finalAlgorithm = configuration.algorithm
        if case .gradientBoosting(var parameters) = finalAlgorithm, let treesKept {
            parameters.treeCount = max(1, treesKept)
            parameters.earlyStoppingRounds = 0
            finalAlgorithm = .gradientBoosting(parameters)
        }
        let (learner, _) = try fit(
            finalAlgorithm, seed: configuration.seed, dataset: dataset, rows: order, validationRows: [],
            stage: .finalModel, progress: progress)
        try Task.checkCancellation()

        // Step 5: reference profiles.
        progress?(TrainingProgress(stage: .profiling, completed: 0, total: 1))
        let reference = try referenceProfile(
            learner, dataset: dataset, rows: order, threshold: threshold, bins: configuration.profileBins,
            chunkRows: TrainingConfiguration.chunkRows(configuration.driftChunkRows, rows: order.count))
        progress?(TrainingProgress(stage: .profiling, completed: 1, total: 1))

        let days = dataset.days.count == n ? order.map { dataset.days[$0] } : []
        var recordedAlgorithm = configuration.algorithm
        if case .gradientBoosting(var parameters) = recordedAlgorithm {
            // Record the seed the learner actually used.
            parameters.seed = configuration.seed
            recordedAlgorithm = .gradientBoosting(parameters)
        }
        let training = TrainingSummary(
            algorithm: recordedAlgorithm,
            seed: configuration.seed,
            schema: dataset.schema.rawValue,
            firstDay: days.min()?.description,
            lastDay: days.max()?.description,
            rows: n,
            frauds: frauds,
            fitRows: fitRows.count,
            validationRows: validationRows.count,
            validationFraction: configuration.validationFraction,
            treesKept: treesKept
        )
        let artifact = ModelArtifact(
            learner: learner,
            featureNames: dataset.featureNames,
            threshold: threshold,
            thresholdRule: chosen ? .maximumValidationF1 : .fallback,
            training: training,
            validation: validation,
            reference: reference,
            producer: producer
        )
        try artifact.validate()
        return artifact
    }

    /// Step 1: the rows in event-time order (stable; dataset order without times), split into the earlier rows
    /// and the latest `validationFraction` of them.
    static func split(_ dataset: Dataset, validationFraction: Double) -> (all: [Int], fit: [Int], validation: [Int]) {
        let n = dataset.rowCount
        var order = Array(0..<n)
        if dataset.eventTimes.count == n {
            let times = dataset.eventTimes
            order.sort { times[$0] != times[$1] ? times[$0] < times[$1] : $0 < $1 }
        }
        let validationCount = Int((Double(n) * validationFraction).rounded(.down))
        return (order, Array(order[..<(n - validationCount)]), Array(order[(n - validationCount)...]))
    }

    /// Step 3: scores the validation rows, chooses the threshold that maximises F1 unless one is given (0.5 when
    /// the rows hold no fraud), and measures AP, ROC AUC and the confusion matrix at the threshold.
    /// - Returns: The summary, the threshold, and whether it was chosen by F1 (false for the 0.5 fallback or a
    ///   given threshold).
    static func validate(
        _ learner: Learner, dataset: Dataset, rows: [Int], threshold given: Double?
    ) throws -> (ValidationSummary, threshold: Double, chosen: Bool) {
        let scores = try learner.scores(dataset: dataset, rows: rows)
        let labels = rows.map { dataset.labels[$0] }
        let choice = given == nil ? ThresholdSelection.maximumF1(scores: scores, labels: labels) : nil
        let threshold = given ?? choice?.threshold ?? 0.5
        let frauds = labels.count(where: { $0 == 1 })
        let hasBothClasses = frauds > 0 && frauds < labels.count
        let summary = ValidationSummary(
            rows: rows.count,
            frauds: frauds,
            averagePrecision: hasBothClasses
                ? try RankingMetrics.averagePrecision(scores: scores, labels: labels) : nil,
            rocAUC: hasBothClasses ? try RankingMetrics.rocAUC(scores: scores, labels: labels) : nil,
            confusion: rows.isEmpty
                ? ConfusionMatrix(truePositives: 0, falsePositives: 0, trueNegatives: 0, falseNegatives: 0)
                : try ConfusionMatrix(scores: scores, labels: labels, threshold: threshold)
        )
        return (summary, threshold, choice != nil)
    }

    /// Step 5: quantile profiles of every input and of the model's scores over `rows`, the fraud rate and the
    /// share of rows flagged at `threshold`, for drift detection; each profile's drift thresholds calibrated from
    /// chunks of `chunkRows` consecutive rows (``DriftCalibration``; none when the rows make fewer than two).
    static func referenceProfile(
        _ learner: Learner, dataset: Dataset, rows: [Int], threshold: Double, bins: Int, chunkRows: Int
    ) throws -> ReferenceProfile {
        let scores = try learner.scores(dataset: dataset, rows: rows)
        let columns = dataset.featureNames.indices.map { f in rows.map { dataset.features[f][$0] } }
        let profiles = dataset.featureNames.indices.map { f in
            FeatureProfile(name: dataset.featureNames[f], values: columns[f], bins: bins)
        }
        let n = Double(rows.count)
        var reference = ReferenceProfile(
            features: profiles,
            score: FeatureProfile(name: "score", values: scores, bins: bins),
            baseFraudRate: Double(rows.count(where: { dataset.labels[$0] == 1 })) / n,
            baseFlagRate: Double(scores.count(where: { $0 >= threshold })) / n
        )
        reference.calibrate(features: columns, scores: scores, chunkRows: chunkRows)
        return reference
    }

    /// Fits one learner on some rows; returns it and, for GBDT, the trees early stopping kept.
    private static func fit(
        _ algorithm: Algorithm,
        seed: UInt64,
        dataset: Dataset,
        rows: [Int],
        validationRows: [Int],
        stage: TrainingProgress.Stage,
        progress: ((TrainingProgress) -> Void)?
    ) throws -> (Learner, Int?) {
        switch algorithm {
        case .logistic(let learner):
            progress?(TrainingProgress(stage: stage, completed: 0, total: 1))
            let model = try learner.fit(features: dataset.features, labels: dataset.labels, rows: rows)
            progress?(TrainingProgress(stage: stage, completed: 1, total: 1))
            return (.logistic(model), nil)
        case .gradientBoosting(var parameters):
            parameters.seed = seed
            let columns = dataset.features.map { column in rows.map { column[$0] } }
            let labels = rows.map { dataset.labels[$0] }
            let validation =
                validationRows.isEmpty
                ? nil
                : (
                    features: dataset.features.map { column in validationRows.map { column[$0] } },
                    labels: validationRows.map { dataset.labels[$0] }
                )
            let trainer = GradientBoostingTrainer(parameters: parameters)
            do {
                let (model, report) = try trainer.fit(features: columns, labels: labels, validation: validation) {
                    round, total in
                    progress?(TrainingProgress(stage: stage, completed: round, total: total))
                }
                return (.gradientBoosting(model), report.treesKept)
            } catch let error as GradientBoostingError {
                throw ModelError(.invalidData, "gradient boosting failed: \(error)", cause: error)
            }
        case .imported:
            throw ModelError(.invalidArgument, "an imported model records its source; it cannot be trained")
        }
    }
}
