import Foundation

/// The two metrics early stopping can watch, computed on validation scores.
enum ValidationMetrics {
    /// Mean binary log-loss of log-odds `scores` against `labels`, computed stably from the log-odds.
    static func logLoss(scores: [Double], labels: [UInt8]) -> Double {
        var total = 0.0
        for (score, label) in zip(scores, labels) {
            // log(1 + e^-|s|) + max(s, 0) − y·s is −log-likelihood without overflow.
            total += log1p(exp(-abs(score))) + max(score, 0) - (label == 1 ? score : 0)
        }
        return total / Double(max(1, scores.count))
    }

    /// Average precision as scikit-learn computes it: Σ (Rₙ − Rₙ₋₁) Pₙ over distinct score thresholds, descending;
    /// 0 when there is no positive.
    static func averagePrecision(scores: [Double], labels: [UInt8]) -> Double {
        let positives = labels.reduce(0) { $0 + Int($1) }
        guard positives > 0 else { return 0 }
        let order = scores.indices.sorted { scores[$0] > scores[$1] }
        var truePositives = 0
        var seen = 0
        var previousRecall = 0.0
        var sum = 0.0
        var index = 0
        while index < order.count {
            let score = scores[order[index]]
            // `repeat` always advances, even past a score that equals nothing (NaN).
            repeat {
                truePositives += Int(labels[order[index]])
                seen += 1
                index += 1
            } while index < order.count && scores[order[index]] == score
            let recall = Double(truePositives) / Double(positives)
            sum += (recall - previousRecall) * Double(truePositives) / Double(seen)
            previousRecall = recall
        }
        return sum
    }
}
