/// A trained fraud model: maps one transaction's inputs, in model order, to a fraud probability.
///
/// Learners consume raw inputs (each does its own standardisation, if any) and must accept NaN as a
/// missing value. Implementations are immutable values, safe to share between threads.
public protocol BinaryClassifier: Sendable {
    /// Number of inputs a row must have.
    var featureCount: Int { get }

    /// The fraud probability, in [0, 1], for one row of `featureCount` inputs.
    /// - Precondition: `row.count == featureCount`.
    func probability(of row: UnsafeBufferPointer<Double>) -> Double

    /// Fraud probabilities of `count` rows stored one after another (row-major, `featureCount` values each).
    /// Each result equals ``probability(of:)`` of that row, bit for bit; learners with a faster batch path
    /// (gradient-boosted trees) override the default, which scores row by row.
    /// - Precondition: `rows.count == count * featureCount` and `out.count >= count`.
    func probabilities(
        rowMajor rows: UnsafeBufferPointer<Double>, count: Int, into out: UnsafeMutableBufferPointer<Double>)
}

extension BinaryClassifier {
    /// Scores row by row with ``probability(of:)``.
    public func probabilities(
        rowMajor rows: UnsafeBufferPointer<Double>, count: Int, into out: UnsafeMutableBufferPointer<Double>
    ) {
        precondition(rows.count == count * featureCount && out.count >= count, "row-major batch of the wrong size")
        for row in 0..<count {
            out[row] = probability(
                of: UnsafeBufferPointer(rebasing: rows[(row * featureCount)..<((row + 1) * featureCount)]))
        }
    }

    /// Scores rows of a column-major table (`features[f][row]`).
    /// - Returns: One probability per row in `rows`, in order.
    public func probabilities(features: [[Double]], rows: Range<Int>) -> [Double] {
        precondition(features.count == featureCount, "expected \(featureCount) feature columns")
        var result = [Double]()
        result.reserveCapacity(rows.count)
        var row = [Double](repeating: 0, count: featureCount)
        for index in rows {
            for feature in 0..<featureCount {
                row[feature] = features[feature][index]
            }
            result.append(row.withUnsafeBufferPointer { probability(of: $0) })
        }
        return result
    }
}
