public import SentinelData

/// The evaluation protocol of `Docs/Evaluation.md`: drop known compromised cards, then AP, ROC AUC, CP@k and
/// the metrics at the model's threshold.
///
/// ```swift
/// let settings = try EvaluationSettings(trainingStart: first, testFrom: from, testTo: to)
/// let report = try Evaluation.evaluate(dataset: data, model: model, threshold: 0.3, settings: settings)
/// ```
public enum Evaluation {
    /// Evaluates scores of the selected test rows.
    /// - Parameters:
    ///   - dataset: The data the selection was made from.
    ///   - selection: The test rows kept (see ``TestSelection``).
    ///   - scores: One score per row of `selection.rows`, in the same order.
    ///   - threshold: The decision threshold (a row is flagged when its score is at least this).
    ///   - settings: The protocol parameters.
    /// - Returns: The full report.
    /// - Throws: ``ModelError`` `.invalidData` for a size mismatch, non-finite score or an empty selection;
    ///   `.noPositives` when the kept rows hold no fraud.
    public static func evaluate(
        dataset: Dataset,
        selection: TestSelection,
        scores: [Double],
        threshold: Double,
        settings: EvaluationSettings
    ) throws -> EvaluationReport {
        guard scores.count == selection.rows.count else {
            throw ModelError(.invalidData, "\(scores.count) scores for \(selection.rows.count) test rows")
        }
        guard !selection.rows.isEmpty else {
            throw ModelError(
                .invalidData,
                "every one of the \(selection.testWindowRows) test rows belongs to a known compromised card")
        }
        let labels = selection.rows.map { dataset.labels[$0] }
        let cards = selection.rows.map { dataset.cardIDs[$0] }
        let days = selection.rows.map { dataset.days[$0] }
        let averagePrecision = try RankingMetrics.averagePrecision(scores: scores, labels: labels)
        let rocAUC = try RankingMetrics.rocAUC(scores: scores, labels: labels)
        let cardPrecision = try CardPrecision.compute(
            scores: scores, labels: labels, cards: cards, days: days, k: settings.topK)
        let confusion = try ConfusionMatrix(scores: scores, labels: labels, threshold: threshold)
        return EvaluationReport(
            settings: settings,
            rows: labels.count,
            frauds: labels.count(where: { $0 == 1 }),
            testWindowRows: selection.testWindowRows,
            droppedKnownCompromisedRows: selection.droppedRows,
            averagePrecision: averagePrecision,
            rocAUC: rocAUC,
            cardPrecision: cardPrecision,
            threshold: threshold,
            confusion: confusion
        )
    }

    /// Selects the test rows, scores them with a model and evaluates them.
    /// - Parameters:
    ///   - dataset: Rows covering the test window and, for the known-frauds rule, the days from the training
    ///     start on; features in the model's order.
    ///   - model: The classifier to score with.
    ///   - threshold: The decision threshold.
    ///   - settings: The protocol parameters.
    /// - Returns: The full report.
    /// - Throws: ``ModelError`` as ``TestSelection/init(dataset:settings:)`` and
    ///   ``evaluate(dataset:selection:scores:threshold:settings:)`` do, and `.invalidData` when the dataset's
    ///   feature count differs from the model's.
    public static func evaluate(
        dataset: Dataset,
        model: some BinaryClassifier,
        threshold: Double,
        settings: EvaluationSettings
    ) throws -> EvaluationReport {
        let selection = try TestSelection(dataset: dataset, settings: settings)
        let scores = try score(dataset: dataset, rows: selection.rows, model: model)
        return try evaluate(
            dataset: dataset, selection: selection, scores: scores, threshold: threshold, settings: settings)
    }

    /// Scores chosen rows of a dataset.
    /// - Parameters:
    ///   - dataset: The data; its features must be in the model's order.
    ///   - rows: Row indices to score.
    ///   - model: The classifier.
    /// - Returns: One probability per index in `rows`.
    /// - Throws: ``ModelError`` `.invalidData` when the feature counts differ.
    public static func score(dataset: Dataset, rows: [Int], model: some BinaryClassifier) throws -> [Double] {
        guard dataset.features.count == model.featureCount else {
            throw ModelError(
                .invalidData, "the model takes \(model.featureCount) inputs; the data has \(dataset.features.count)")
        }
        var buffer = [Double](repeating: 0, count: model.featureCount)
        var scores = [Double]()
        scores.reserveCapacity(rows.count)
        for row in rows {
            for feature in 0..<model.featureCount {
                buffer[feature] = dataset.features[feature][row]
            }
            scores.append(buffer.withUnsafeBufferPointer { model.probability(of: $0) })
        }
        return scores
    }
}
