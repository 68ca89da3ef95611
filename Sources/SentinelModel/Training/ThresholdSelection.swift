/// Chooses a decision threshold from validation scores.
///
/// ```swift
/// let choice = ThresholdSelection.maximumF1(scores: [0.9, 0.4, 0.1], labels: [1, 1, 0])
/// // choice?.threshold == 0.4, choice?.f1 == 1
/// ```
public enum ThresholdSelection {
    /// The score whose "flag everything scoring at least this" rule gives the highest F1.
    ///
    /// Candidates are the distinct scores; on equal F1 the highest score wins (fewer alerts for the same F1).
    /// - Parameters:
    ///   - scores: Validation scores.
    ///   - labels: Validation labels (0/1), one per score.
    /// - Returns: The threshold and its F1, or nil when there is no fraud or the sizes differ.
    public static func maximumF1(scores: [Double], labels: [UInt8]) -> (threshold: Double, f1: Double)? {
        guard scores.count == labels.count else { return nil }
        let positives = labels.count(where: { $0 == 1 })
        guard positives > 0 else { return nil }
        let order = scores.indices.sorted { scores[$0] > scores[$1] }
        var best: (threshold: Double, f1: Double)?
        var truePositives = 0
        var flagged = 0
        var position = 0
        while position < order.count {
            let score = scores[order[position]]
            while position < order.count, scores[order[position]] == score {
                truePositives += labels[order[position]] == 1 ? 1 : 0
                flagged += 1
                position += 1
            }
            // F1 = 2·TP / (flagged + frauds).
            let f1 = 2 * Double(truePositives) / Double(flagged + positives)
            if best.map({ f1 > $0.f1 }) ?? true {
                best = (score, f1)
            }
        }
        return best
    }
}
