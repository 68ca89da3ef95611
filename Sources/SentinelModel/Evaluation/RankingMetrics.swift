/// Threshold-free metrics over scored, labelled rows: average precision and ROC AUC.
///
/// Both treat equal scores as one threshold (ties grouped), so the result does not depend on row order.
///
/// ```swift
/// let ap = try RankingMetrics.averagePrecision(scores: [0.9, 0.4, 0.4], labels: [1, 0, 1])
/// let auc = try RankingMetrics.rocAUC(scores: [0.9, 0.4, 0.4], labels: [1, 0, 1])
/// ```
public enum RankingMetrics {
    /// Average precision as scikit-learn's `average_precision_score` computes it.
    ///
    /// AP = Σₙ (Rₙ − Rₙ₋₁) Pₙ, where n runs over the distinct scores from highest to lowest and Pₙ, Rₙ are
    /// the precision and recall when every row scoring at least the n-th score is flagged (R₀ = 0).
    /// - Parameters:
    ///   - scores: One finite score per row; higher means more suspicious.
    ///   - labels: One label per row, 1 for fraud and 0 for genuine.
    /// - Returns: The average precision, in [0, 1].
    /// - Throws: ``ModelError`` `.invalidData` for mismatched sizes, no rows, a non-finite score or a label
    ///   other than 0/1; `.noPositives` when no row is a fraud.
    public static func averagePrecision(scores: [Double], labels: [UInt8]) throws -> Double {
        let positives = try validate(scores: scores, labels: labels)
        guard positives > 0 else {
            throw ModelError(.noPositives, "average precision needs at least one fraud among the rows")
        }
        let order = scores.indices.sorted { scores[$0] > scores[$1] }
        var truePositives = 0
        var flagged = 0
        var previousRecall = 0.0
        var result = 0.0
        var position = 0
        while position < order.count {
            let score = scores[order[position]]
            // Every row with this score crosses the threshold together.
            while position < order.count, scores[order[position]] == score {
                truePositives += Int(labels[order[position]])
                flagged += 1
                position += 1
            }
            let recall = Double(truePositives) / Double(positives)
            let precision = Double(truePositives) / Double(flagged)
            result += (recall - previousRecall) * precision
            previousRecall = recall
        }
        return result
    }

    /// The area under the ROC curve: the probability that a random fraud scores above a random genuine row,
    /// a tie counting one half (the Mann–Whitney statistic).
    /// - Parameters:
    ///   - scores: One finite score per row.
    ///   - labels: One label per row, 1 for fraud and 0 for genuine.
    /// - Returns: The ROC AUC, in [0, 1].
    /// - Throws: ``ModelError`` `.invalidData` for bad input (see ``averagePrecision(scores:labels:)``);
    ///   `.noPositives` when the rows are all fraud or all genuine.
    public static func rocAUC(scores: [Double], labels: [UInt8]) throws -> Double {
        let positives = try validate(scores: scores, labels: labels)
        let negatives = scores.count - positives
        guard positives > 0, negatives > 0 else {
            throw ModelError(.noPositives, "ROC AUC needs at least one fraud and one genuine row")
        }
        let order = scores.indices.sorted { scores[$0] < scores[$1] }
        // Sum of the (1-based, tie-averaged) ranks of the frauds.
        var rankSum = 0.0
        var position = 0
        while position < order.count {
            let score = scores[order[position]]
            var end = position
            var frauds = 0
            while end < order.count, scores[order[end]] == score {
                frauds += Int(labels[order[end]])
                end += 1
            }
            let averageRank = Double(position + 1 + end) / 2
            rankSum += averageRank * Double(frauds)
            position = end
        }
        let p = Double(positives)
        return (rankSum - p * (p + 1) / 2) / (p * Double(negatives))
    }

    /// Checks sizes, scores and labels; returns the number of frauds.
    static func validate(scores: [Double], labels: [UInt8]) throws -> Int {
        guard scores.count == labels.count else {
            throw ModelError(.invalidData, "\(scores.count) scores for \(labels.count) labels")
        }
        guard !scores.isEmpty else {
            throw ModelError(.invalidData, "no rows to evaluate")
        }
        if let bad = scores.firstIndex(where: { !$0.isFinite }) {
            throw ModelError(.invalidData, "score of row \(bad) is \(scores[bad]); scores must be finite")
        }
        var positives = 0
        for (row, label) in labels.enumerated() {
            guard label <= 1 else {
                throw ModelError(.invalidData, "label of row \(row) is \(label); labels must be 0 or 1")
            }
            positives += Int(label)
        }
        return positives
    }
}
