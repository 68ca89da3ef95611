/// Counts of flagged and missed rows at one decision threshold; a row is flagged when its score is at least
/// the threshold.
///
/// ```swift
/// let matrix = try ConfusionMatrix(scores: [0.9, 0.2], labels: [1, 0], threshold: 0.5)
/// print(matrix.precision, matrix.recall, matrix.f1)
/// ```
public struct ConfusionMatrix: Sendable, Codable, Equatable {
    /// Frauds flagged.
    public var truePositives: Int
    /// Genuine rows flagged.
    public var falsePositives: Int
    /// Genuine rows not flagged.
    public var trueNegatives: Int
    /// Frauds not flagged.
    public var falseNegatives: Int

    /// Creates a matrix from its four counts.
    public init(truePositives: Int, falsePositives: Int, trueNegatives: Int, falseNegatives: Int) {
        self.truePositives = truePositives
        self.falsePositives = falsePositives
        self.trueNegatives = trueNegatives
        self.falseNegatives = falseNegatives
    }

    /// Counts rows at a threshold.
    /// - Parameters:
    ///   - scores: One finite score per row.
    ///   - labels: One label per row, 0 or 1.
    ///   - threshold: Rows scoring at least this are flagged.
    /// - Throws: ``ModelError`` `.invalidData` for mismatched sizes, no rows, a non-finite score or a bad label.
    public init(scores: [Double], labels: [UInt8], threshold: Double) throws {
        _ = try RankingMetrics.validate(scores: scores, labels: labels)
        var tp = 0
        var fp = 0
        var tn = 0
        var fn = 0
        for (score, label) in zip(scores, labels) {
            switch (score >= threshold, label == 1) {
            case (true, true): tp += 1
            case (true, false): fp += 1
            case (false, false): tn += 1
            case (false, true): fn += 1
            }
        }
        self.init(truePositives: tp, falsePositives: fp, trueNegatives: tn, falseNegatives: fn)
    }

    /// Flagged frauds over flagged rows; 0 when nothing is flagged (scikit-learn's `zero_division=0`).
    public var precision: Double {
        let flagged = truePositives + falsePositives
        return flagged == 0 ? 0 : Double(truePositives) / Double(flagged)
    }

    /// Flagged frauds over all frauds; 0 when there are no frauds.
    public var recall: Double {
        let frauds = truePositives + falseNegatives
        return frauds == 0 ? 0 : Double(truePositives) / Double(frauds)
    }

    /// Harmonic mean of precision and recall; 0 when both are 0.
    public var f1: Double {
        let sum = precision + recall
        return sum == 0 ? 0 : 2 * precision * recall / sum
    }

    /// Flagged rows over all rows.
    public var flagRate: Double {
        let total = truePositives + falsePositives + trueNegatives + falseNegatives
        return total == 0 ? 0 : Double(truePositives + falsePositives) / Double(total)
    }
}
