extension GradientBoostedTrees {
    /// Scores rows of a column-major table (`features[f][row]`) in blocks of rows; each result equals
    /// ``probability(of:)`` of that row, bit for bit.
    /// - Parameters:
    ///   - features: `featureCount` columns of equal length.
    ///   - rows: The rows to score.
    /// - Returns: One probability per row in `rows`, in order.
    /// - Precondition: `features.count == featureCount` and every column covers `rows`.
    public func probabilities(features: [[Double]], rows: Range<Int>) -> [Double] {
        var scores = rawScores(features: features, rows: rows)
        scores.withUnsafeMutableBufferPointer { finish($0) }
        return scores
    }

    /// Log-odds of rows of a column-major table (`features[f][row]`), scored in blocks.
    /// - Parameters:
    ///   - features: `featureCount` columns of equal length.
    ///   - rows: The rows to score.
    /// - Returns: One log-odds per row in `rows`, in order.
    /// - Precondition: `features.count == featureCount` and every column covers `rows`.
    public func rawScores(features: [[Double]], rows: Range<Int>) -> [Double] {
        precondition(features.count == featureCount, "expected \(featureCount) feature columns, got \(features.count)")
        for column in features {
            precondition(rows.clamped(to: column.indices) == rows, "a feature column does not cover rows \(rows)")
        }
        return compiled.rawScores(features: features, rows: rows, fallback: trees)
    }

    /// Scores `count` rows stored one after another (row-major, `featureCount` values each) in blocks of rows.
    /// Each result equals ``probability(of:)`` of that row, bit for bit.
    /// - Precondition: `rows.count == count * featureCount` and `out.count >= count`.
    public func probabilities(
        rowMajor rows: UnsafeBufferPointer<Double>, count: Int, into out: UnsafeMutableBufferPointer<Double>
    ) {
        precondition(rows.count == count * featureCount && out.count >= count, "row-major batch of the wrong size")
        guard compiled.isComplete else {
            for row in 0..<count {
                out[row] = probability(
                    of: UnsafeBufferPointer(rebasing: rows[(row * featureCount)..<((row + 1) * featureCount)]))
            }
            return
        }
        compiled.rawScores(rowMajor: rows, count: count, into: out)
        finish(UnsafeMutableBufferPointer(rebasing: out[..<count]))
    }

    /// Turns raw scores into probabilities in place, as ``output`` says (one loop per kind, no branch per row).
    private func finish(_ scores: UnsafeMutableBufferPointer<Double>) {
        switch output {
        case .logOdds:
            for index in scores.indices {
                scores[index] = Self.sigmoid(scores[index])
            }
        case .probability:
            for index in scores.indices {
                scores[index] = min(max(scores[index], 0), 1)
            }
        }
    }
}
